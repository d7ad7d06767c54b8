"""/healthz, /readyz and the administrators' "Upstream status" line."""

import pytest
from django.contrib.auth.models import Group

from tests.fakes import API_KEY, EMPTY_LIST

# /readyz keeps its answer in the shared cache (the database cache when CACHE_URL is unset).
pytestmark = pytest.mark.django_db


def test_healthz_needs_no_login_and_no_upstream(client, upstream):
    response = client.get("/healthz")
    assert len(upstream.calls) == 0
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_healthz_reads_no_session_and_no_database(client, django_assert_num_queries):
    client.cookies["sessionid"] = "a-session-that-would-be-read"
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_a_load_balancer_probing_by_address_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["office.example.com"]
    probe = client.get("/healthz", HTTP_HOST="10.0.3.7:8000")
    assert probe.status_code == 200 and probe.json() == {"status": "ok"}
    # Everything else still gets the redirect (and the host check).
    redirected = client.get("/accounts/login/", HTTP_HOST="office.example.com")
    assert redirected.status_code == 301
    assert redirected["Location"].startswith("https://office.example.com/")


@pytest.mark.parametrize("probe", ["/healthz", "/readyz"])
def test_probes_answer_get_and_head_only(client, upstream, probe):
    upstream.on("GET", "customers", json=EMPTY_LIST)  # what /readyz asks
    assert client.head(probe).status_code == 200  # some load balancers probe with HEAD
    assert client.post(probe).status_code == 405


def test_readyz_is_ready_when_the_upstream_answers_with_our_key(client, upstream):
    upstream.on("GET", "customers", json=EMPTY_LIST)
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json()["status"] == "ready"
    assert upstream.calls[0].headers["Authorization"] == f"Bearer {API_KEY}"


@pytest.mark.parametrize(("status", "reason"), [(401, "Unauthorized"), (503, "Unavailable")])
def test_readyz_says_not_ready_in_general_words_and_logs_why(
    client, upstream, caplog, status, reason
):
    upstream.on("GET", "customers", json={"status": "error", "message": "x"}, status=status)
    with caplog.at_level("WARNING", logger="customers.readiness"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "not ready"}  # nothing about the upstream's error
    assert reason not in response.content.decode() and API_KEY not in response.content.decode()
    logged = [r.getMessage() for r in caplog.records if r.name == "customers.readiness"]
    assert logged == [f"Not ready: the upstream said {reason}"]


def test_administrators_see_the_upstream_status(
    admin_client, client, upstream, django_user_model, _frozen_clock, settings
):
    upstream.on("GET", "customers", json=EMPTY_LIST)
    page = admin_client.get("/customers/").content.decode()
    assert "Upstream status: not checked lately" in page  # the page itself asks nothing more
    assert len(upstream.calls) == 1
    upstream.replace("GET", "customers", json={"status": "error", "message": "x"}, status=500)
    client.get("/readyz")  # a load balancer's probe; its answer is shared by every instance
    page = admin_client.get("/customers/").content.decode()
    assert "failing" in page
    upstream.replace("GET", "customers", json=EMPTY_LIST)
    _frozen_clock.shift(settings.CTAX_READYZ_CACHE_SECONDS + 1)
    client.get("/readyz")
    page = admin_client.get("/customers/").content.decode()
    assert "answering" in page
    staff = django_user_model.objects.create_user("plain", "p@example.com", "pw")
    staff.groups.add(Group.objects.get(name="Office staff"))
    client.force_login(staff)
    page = client.get("/customers/")
    assert page.status_code == 200 and "Upstream status" not in page.content.decode()
