"""Who may see a branch's review, start its refresh, read its lists: managers of that
branch and administrators; another branch is 404, the own branch without the role 403."""

import pytest
from django.utils import timezone

from customers.jobs import Job
from customers.review import sections, snapshot

URLS = [
    ("get", "/branches/{}/review/"),
    ("get", "/branches/{}/review/progress/"),
    ("post", "/branches/{}/review/refresh/"),
    ("get", "/branches/{}/review/changes.csv"),
    ("get", "/branches/{}/review/top.csv"),
    ("get", "/branches/{}/review/action-progress/"),
    ("post", "/branches/{}/review/dormant/mark-inactive/"),
]


@pytest.fixture(autouse=True)
def _review_of_branch_00(users):
    """A review of branch 00 with a top customer (beside the shared users, one per role)."""
    snapshot.replace(
        branch_code="00",
        user=None,
        calls=3,
        sections={
            **sections.build([], now=timezone.now()),
            "top": [{"id": 1, "customer_no": "HQ001", "name": "Secret Ltd", "sales": "5"}],
        },
    )


def _ask(client, method, url):
    return getattr(client, method)(url.format("00"))


@pytest.mark.parametrize(("method", "url"), URLS)
@pytest.mark.parametrize(("who", "status"), [("staff00", 403), ("manager01", 404)])
def test_others_may_not_see_the_review(client, users, who, status, method, url):
    client.force_login(users[who])
    answer = _ask(client, method, url)
    assert answer.status_code == status
    assert b"Secret Ltd" not in answer.content
    assert not Job.objects.exists()


@pytest.mark.parametrize(("method", "url"), URLS)
def test_anonymous_is_sent_to_login(client, users, method, url):
    answer = _ask(client, method, url)
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
    assert not Job.objects.exists()


@pytest.mark.parametrize("who", ["manager00", "admin"])
def test_the_branchs_manager_and_administrators_may(client, users, who):
    client.force_login(users[who])
    assert client.get("/branches/00/review/").status_code == 200
    top = client.get("/branches/00/review/top.csv")
    assert top.status_code == 200 and b"Secret Ltd" in b"".join(top.streaming_content)
    assert client.post("/branches/00/review/refresh/").status_code == 302
    assert Job.objects.get().started_by == users[who]


@pytest.mark.parametrize(("who", "links"), [("manager00", 1), ("staff00", 0), ("manager01", 0)])
def test_the_header_links_the_reviews_the_user_may_open(client, users, who, links):
    client.force_login(users[who])
    html = client.get("/accounts/password_change/").content.decode()
    assert html.count('href="/branches/00/review/">Review 00</a>') == links


def test_an_administrator_naming_a_branch_code_too_long_for_one_gets_404(client, users):
    client.force_login(users["admin"])
    assert client.post("/branches/" + "9" * 21 + "/review/refresh/").status_code == 404
    assert not Job.objects.exists()


@pytest.mark.parametrize(("method", "url"), URLS)
def test_an_administrator_naming_a_branch_not_registered_gets_404(client, users, method, url):
    client.force_login(users["admin"])
    answer = _ask(client, method, url.replace("{}", "ZZ"))
    assert answer.status_code == 404
    assert not Job.objects.exists()


def test_the_progress_fragments_send_a_plain_request_to_the_page(client, users):
    client.force_login(users["manager00"])
    for fragment in ("progress", "action-progress"):
        answer = client.get(f"/branches/00/review/{fragment}/")
        assert answer.status_code == 302 and answer["Location"] == "/branches/00/review/"
    fragment = client.get("/branches/00/review/progress/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and b'id="review-progress"' in fragment.content
    assert b"<html" not in fragment.content
    fragment = client.get("/branches/00/review/action-progress/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and b'id="review-action-progress"' in fragment.content
    assert b"<html" not in fragment.content
