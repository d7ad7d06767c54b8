"""Fixtures for the report tests: a paging fake upstream, branches 00/01, one user per role."""

import threading

import pytest
import responses

from customers.upstream import door, errors
from tests.reports.report_fakes import BASE, FakeUpstream, customer
from tests.role_users import make_user


@pytest.fixture
def fake(settings):
    settings.CTAX_API_BASE_URL = BASE
    settings.CTAX_API_KEY = "k-report-test"
    settings.CTAX_API_TIMEOUT = 2
    door.reset_client()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        upstream = FakeUpstream(mock).install()
        upstream.customers = {
            1: customer(1, "HQ001", "Head Office Trading Ltd", "00"),
            2: customer(2, "MSA001", "Mombasa Secret Supplies", "01"),
        }
        yield upstream
    door.reset_client()


@pytest.fixture
def people(django_user_model, branches):
    return {
        "staff00": make_user(
            django_user_model, "staff00", role="Office staff", branch_codes=["00"]
        ),
        "manager00": make_user(
            django_user_model, "manager00", role="Branch manager", branch_codes=["00"]
        ),
        "manager01": make_user(
            django_user_model, "manager01", role="Branch manager", branch_codes=["01"]
        ),
        "admin": make_user(django_user_model, "admin", superuser=True),
    }


@pytest.fixture
def as_user(client, people):
    def login(name):
        client.force_login(people[name])
        return client

    return login


class SlowPages:
    """Pages of the history that never answer (until the test ends): the upstream hangs."""

    def __init__(self, monkeypatch):
        self.blocked: set[tuple[int | None, int]] = set()  # (customer or any, page)
        self.started: list[int] = []
        self.release = threading.Event()
        self._original = door.get_client().list_transactions
        monkeypatch.setattr(door.get_client(), "list_transactions", self._list_transactions)

    def block(self, *pages: int, customer_id: int | None = None) -> None:
        self.blocked.update((customer_id, page) for page in pages)

    def _list_transactions(self, customer_id, **kwargs):
        page = kwargs.get("page", 1)
        self.started.append(page)
        if {(None, page), (customer_id, page)} & self.blocked:
            self.release.wait(30)
            raise errors.UpstreamTimeout()  # never an answer, even once released
        return self._original(customer_id, **kwargs)


@pytest.fixture
def slow_pages(monkeypatch):
    pages = SlowPages(monkeypatch)
    yield pages
    pages.release.set()
