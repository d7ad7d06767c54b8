"""the production command (docs/operations.md) (one instance, 2 workers x 4 threads, SQLite, no
CACHE_URL): after logout, the old session cookie is refused by every worker.

The defect this pins: sessions were `cached_db` on each process's own memory cache, so
the worker that had not served the logout kept trusting its copy (9 of 40 replays got the
customer list). Needs no PostgreSQL or Redis: it always runs.
"""

import pytest

from tests.platform.platform_servers import Cluster, csrf_token

REPLAYS = 40


@pytest.fixture
def cluster():
    cluster = Cluster()
    try:
        cluster.prepare()
        cluster.start(1)
        yield cluster
    finally:
        cluster.close()


def test_a_logged_out_cookie_is_refused_by_every_worker(cluster):
    (app,) = cluster.instances
    login = cluster.login(app)
    assert login.status_code == 302
    browser = login.session
    old_cookie = dict(browser.cookies)
    # Browse on new connections, enough for both workers to have read (and, before the
    # fix, kept in their own memory) the session.
    for _ in range(12):
        assert _replay(app.url, old_cookie).status_code == 200
    page = browser.get(f"{app.url}/customers/", timeout=30).text
    logout = browser.post(
        f"{app.url}/accounts/logout/",
        data={"csrfmiddlewaretoken": csrf_token(page)},
        allow_redirects=False,
        timeout=30,
    )
    assert logout.status_code == 302
    accepted = sum(_replay(app.url, old_cookie).status_code == 200 for _ in range(REPLAYS))
    assert accepted == 0, f"{accepted} of {REPLAYS} replays of the old cookie were served"


def _replay(base: str, cookies: dict):
    import requests

    # A new connection each time: gunicorn hands connections to either worker.
    return requests.get(f"{base}/customers/", cookies=cookies, allow_redirects=False, timeout=30)
