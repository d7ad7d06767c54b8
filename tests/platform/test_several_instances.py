"""Two app instances (gunicorn, 2 workers x 4 threads each) on one PostgreSQL and one
Redis, the sandbox (served by the first) as their upstream: one truth for every process.

Skipped, with a one-line reason, when PostgreSQL or Redis does not answer; CI sets
CTAX_REQUIRE_SERVICES=1, which turns that skip into a failure.
"""

import threading

import pytest
import requests

from tests.platform.platform_servers import USERNAME, Cluster, csrf_token, hidden_value

REPLAYS = 40


@pytest.fixture(scope="module")
def cluster():
    from tests.platform.platform_servers import require_postgresql, require_redis

    require_postgresql()
    require_redis()
    cluster = Cluster(postgres=True, redis=True)
    try:
        cluster.prepare()
        cluster.start(2)
        yield cluster
    finally:
        cluster.close()


def get(base: str, path: str, cookies: dict) -> requests.Response:
    """On a new connection, so that either worker of the instance may answer."""
    return requests.get(f"{base}{path}", cookies=cookies, allow_redirects=False, timeout=30)


def test_logging_out_through_one_instance_logs_out_everywhere(cluster):
    one, two = cluster.instances
    login = cluster.login(one)
    assert login.status_code == 302
    cookies = dict(login.session.cookies)
    for _ in range(6):  # browse through both, every worker
        for instance in (one, two):
            assert get(instance.url, "/customers/", cookies).status_code == 200
    page = get(two.url, "/customers/", cookies).text
    logout = requests.post(
        f"{two.url}/accounts/logout/",
        data={"csrfmiddlewaretoken": csrf_token(page)},
        cookies=cookies,
        allow_redirects=False,
        timeout=30,
    )
    assert logout.status_code == 302
    served = [
        instance.name
        for n in range(REPLAYS)
        for instance in [(one, two)[n % 2]]
        if get(instance.url, "/customers/", cookies).status_code == 200
    ]
    assert served == [], f"{len(served)} of {REPLAYS} replays were served: {served}"


def test_failed_logins_spread_over_both_instances_lock_out_on_both(cluster):
    one, two = cluster.instances
    for n in range(5):  # the limit: 5 failures for one username from one address
        answer = cluster.login((one, two)[n % 2], password=f"wrong-{n}")
        assert answer.status_code in (200, 429), answer.status_code
    for instance in (one, two):
        answer = cluster.login(instance)  # the right password, now refused
        assert answer.status_code == 429, f"{instance.name}: HTTP {answer.status_code}"
        assert "Too many attempts" in answer.text
    cluster.manage("axes_reset_username", USERNAME)  # leave the cluster usable


def test_one_form_token_sent_to_both_instances_writes_once(cluster):
    one, two = cluster.instances
    cookies = dict(cluster.login(one).session.cookies)
    form = get(one.url, "/customers/new/", cookies)
    assert form.status_code == 200
    customer_no = "PLAT-TOKEN-1"
    data = {
        "csrfmiddlewaretoken": csrf_token(form.text),
        "submission_token": hidden_value(form.text, "submission_token"),
        "branch_id": "00",
        "customer_no": customer_no,
        "name": "Token Test Traders",
        "_save": "Save",
    }
    start = threading.Barrier(2)
    answers = {}

    def submit(instance):
        start.wait(timeout=10)
        answers[instance.name] = requests.post(
            f"{instance.url}/customers/new/",
            data=data,
            cookies=cookies,
            headers={"Referer": f"{one.url}/customers/new/"},
            allow_redirects=False,
            timeout=60,
        )

    threads = [threading.Thread(target=submit, args=(i,)) for i in (one, two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert sorted(a.status_code for a in answers.values())[0] in (200, 302)
    upstream = cluster.upstream().get(
        f"{cluster.env['CTAX_API_BASE_URL']}/customers",
        params={"search": "Token Test Traders"},  # the API searches names, not numbers
        timeout=30,
    )
    matches = [c for c in upstream.json()["data"] if c["customer_no"] == customer_no]
    assert len(matches) == 1, f"{len(matches)} upstream writes"
    audited = cluster.manage(
        "shell",
        "--no-imports",
        "-c",
        "from customers.models import AuditEntry; "
        f"print(AuditEntry.objects.filter(customer_no={customer_no!r}).count())",
    )
    assert audited.strip() == "1"
