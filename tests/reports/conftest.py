"""Fixtures for the report tests: pages of the history that never answer.

The fake upstream (`served_upstream`) and the users (`users`, `as_user`) are shared
(tests/conftest.py).
"""

import threading

import pytest

from customers.upstream import door, errors


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
