"""The list's HTML built in Python (rows, header, page links, fixed links), checked."""

import datetime as dt
from types import SimpleNamespace

from django.test import RequestFactory
from django.urls import set_script_prefix

from customers.changelist import COLUMNS
from customers.templatetags.ctax import customer_rows, header_cells, link, page_links
from customers.upstream_types import CustomerSummary, PageMeta


def summary(**overrides) -> CustomerSummary:
    values = dict(
        id=7,
        customer_no="C<7>",
        name='<script>alert("x")</script> & Sons',
        tin=None,
        phone="+254 700 000'001",
        email=None,
        address=None,
        branch_id="01",
        is_active=False,
        total_transactions=None,
        created_at=dt.datetime(2025, 1, 31, 22, 30, tzinfo=dt.UTC),
    )
    return CustomerSummary(**(values | overrides))


def changelist(*items, names=None, preserved=""):
    return SimpleNamespace(
        result=SimpleNamespace(items=list(items)),
        branch_names=names if names is not None else {"01": "Head & Office"},
        preserved_filters=preserved,
    )


def test_row_escapes_every_value_and_shows_nairobi_dates():
    html = customer_rows(changelist(summary(), preserved="?_changelist_filters=search%3Da"))

    assert '<a href="/customers/7/?_changelist_filters=search%3Da">C&lt;7&gt;</a>' in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons" in html
    assert "<script>" not in html
    assert "<td>—</td><td>+254 700 000&#x27;001</td>" in html
    assert '<td class="field-branch">01 <span class="quiet">Head &amp; Office</span></td>' in html
    assert '<span class="status-inactive">Inactive</span>' in html
    assert '<td class="numeric">—</td><td class="nowrap">1 Feb 2025</td>' in html  # 01:30 EAT


def test_row_of_an_unregistered_branch_shows_its_code_alone():
    row = summary(branch_id="99", is_active=True, total_transactions=12, created_at=None)

    html = customer_rows(changelist(row))

    assert '<td class="field-branch">99</td>' in html
    assert '<span class="status-active">Active</span>' in html
    assert '<td class="numeric">12</td><td class="nowrap">—</td>' in html


def test_header_cells_follow_the_declared_columns():
    html = header_cells(COLUMNS)

    assert html.count("<th ") == len(COLUMNS)
    assert html.startswith('<th scope="col" class="column-customer_no">Customer number</th>')


def test_page_links_keep_other_parameters_whatever_their_order():
    request = RequestFactory().get("/customers/?page=2&search=a%26b&status=active")
    meta = PageMeta(total=150, per_page=25, current_page=2, last_page=6)

    html = page_links({"request": request}, meta, [1, 2, 3, "…", 6])

    assert 'href="?search=a%26b&amp;status=active&amp;page=1"' in html
    assert '<span class="this-page" aria-current="page">2</span>' in html
    assert 'rel="next">Next ›</a>' in html
    assert html.count("page=") == 2 * 5  # href and hx-get of prev, 1, 3, 6, next


def test_fixed_links_follow_the_script_prefix():
    try:
        set_script_prefix("/office/")
        assert link("customers:list") == "/office/customers/"
    finally:
        set_script_prefix("/")
    assert link("customers:list") == "/customers/"
