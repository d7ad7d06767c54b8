"""The list's query string read into one upstream query; invalid values are dropped."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from customers.changelist import CustomerChangeList

NAMES = {"00": "Head Office", "01": "Mombasa Road"}
BRANCHES = [(code, f"{code} — {name}") for code, name in NAMES.items()]


@pytest.fixture(autouse=True)
def _registered(branches):
    """The changelist names branches from the registry (00 and 01)."""


def changelist(query: str, *, allowed=None) -> CustomerChangeList:
    request = RequestFactory().get(f"/customers/?{query}")
    return CustomerChangeList.from_params(
        request.GET, branches=BRANCHES, allowed=allowed, names=NAMES
    )


def test_valid_filters_are_kept():
    cl = changelist("search=+Kamau+&branch_id=01&status=inactive&per_page=50&page=3")

    assert (cl.search, cl.branch_id, cl.status) == ("Kamau", "01", "inactive")
    assert (cl.per_page, cl.page_number, cl.upstream_branch) == (50, 3, "01")
    assert cl.is_filtered
    assert cl.preserved_filters.startswith("?_changelist_filters=search%3D")


@pytest.mark.parametrize(
    "query",
    [
        "branch_id=9%209&status=deleted&per_page=7&page=-4",
        "branch_id=&status=&per_page=&page=abc",
        "search=" + "x" * 101,
        "search=a%00b",
    ],
)
def test_invalid_values_are_dropped(query):
    cl = changelist(query)

    assert (cl.search, cl.branch_id, cl.status) == ("", "", "")
    assert (cl.per_page, cl.page_number) == (25, 1)
    assert not cl.is_filtered


def test_a_branch_user_chooses_among_their_branches_only():
    cl = changelist("", allowed=["01"])

    assert cl.branch_choices == BRANCHES  # no "All branches"
    assert cl.upstream_branch == "01"


def test_the_filter_select_marks_the_current_value():
    cl = changelist("per_page=100")

    html = Template("{% load ctax %}{% filter_select 'per_page' cl.per_page_choices cl.per_page %}")
    html = html.render(Context({"cl": cl}))

    assert html.startswith('<select name="per_page" id="id_per_page">')
    assert '<option value="100" selected>100</option>' in html
    assert html.count(" selected") == 1
