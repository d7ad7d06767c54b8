"""A page reads the user's branches from the database once, however many of its parts
ask (the list's filter and names, the header's review links, the detail's branch name)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.usefixtures("branches")


def branch_reads(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return sum('FROM "customers_branch"' in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("name", ["admin", "manager00", "staff00"])
def test_the_list_reads_the_branches_once(as_user, upstream, name):
    upstream.list()

    assert branch_reads(as_user(name), "/customers/") == 1


@pytest.mark.parametrize("name", ["admin", "manager00", "staff00"])
def test_the_detail_reads_the_branches_once(as_user, upstream, name):
    upstream.detail(1, branch_id="00", branch_name=None)
    upstream.transactions(1, items=[], total=0)

    assert branch_reads(as_user(name), "/customers/1/") == 1


def test_the_branch_review_reads_the_branches_once(as_user):
    """The branch asked, whether it is registered, and the header's review links: one read."""
    assert branch_reads(as_user("manager00"), "/branches/00/review/") == 1
