"""The template tags: rows built in Python, headers, page links, fixed links, user tools."""

import dataclasses
import datetime as dt
from types import SimpleNamespace

from django.contrib.auth.models import Group
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import set_script_prefix
from pytest_django.asserts import assertInHTML

from customers import columns
from customers.columns import COLUMNS, LIST_COLUMNS, RowContext
from customers.templatetags.ctax import customer_rows, kes
from customers.upstream.types import CustomerSummary, PageMeta


def link(name: str) -> str:
    """A page's fixed link, as the templates write it."""
    return render("{% url '" + name + "' %}")


def render(source: str, **context) -> str:
    return Template("{% load ctax ctax_shell %}" + source).render(Context(context))


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
    context = RowContext(
        detail_prefix="/customers/",
        filters_suffix=preserved,
        branch_names=names if names is not None else {"01": "Head & Office"},
    )
    return SimpleNamespace(result=SimpleNamespace(items=list(items)), row_context=lambda: context)


def test_row_escapes_every_value_and_shows_nairobi_dates():
    html = customer_rows(changelist(summary(), preserved="?_changelist_filters=search%3Da"))

    url = "/customers/7/?_changelist_filters=search%3Da"
    assertInHTML(f'<td class="field-customer_no"><a href="{url}">C&lt;7&gt;</a></td>', html)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons" in html
    assert "<script>" not in html
    assertInHTML('<td class="field-tin">—</td>', html)
    assertInHTML('<td class="field-phone">+254 700 000&#x27;001</td>', html)
    assertInHTML(
        '<td class="field-branch">01 <span class="quiet">Head &amp; Office</span></td>', html
    )
    assertInHTML(
        '<td class="field-is_active"><span class="status-inactive">Inactive</span></td>', html
    )
    assertInHTML('<td class="field-total_transactions numeric">—</td>', html)
    assertInHTML(  # 22:30 UTC is 01:30 the next day in Nairobi
        '<td class="field-created_at nowrap"><time datetime="2025-02-01T01:30+03:00">'
        "1 Feb 2025</time></td>",
        html,
    )


def test_row_of_an_unregistered_branch_shows_its_code_alone():
    row = summary(branch_id="99", is_active=True, total_transactions=12, created_at=None)

    html = customer_rows(changelist(row))

    assertInHTML('<td class="field-branch">99</td>', html)
    assertInHTML('<span class="status-active">Active</span>', html)
    assertInHTML('<td class="field-total_transactions numeric">12</td>', html)
    assertInHTML('<td class="field-created_at nowrap">—</td>', html)


def test_a_selectable_row_has_a_checkbox_named_after_the_customer():
    html = customer_rows(changelist(summary(name="Jane & Co")), selectable=True)

    assertInHTML(
        '<td class="action-checkbox"><input type="checkbox" name="selected" value="7" '
        'class="action-select" aria-label="Select Jane &amp; Co"></td>',
        html,
    )
    assert '<tr id="customer-row-7" data-href="/customers/7/">' in html


def test_header_cells_follow_the_declared_columns():
    html = render("{% header_cells columns %}", columns=LIST_COLUMNS)

    assert html.count("<th ") == len(LIST_COLUMNS)
    assert html.startswith('<th scope="col" class="column-customer_no">Customer number</th>')


def test_one_definition_gives_the_list_and_the_csv_the_same_columns():
    listed = [c.label for c in LIST_COLUMNS]
    exported = columns.csv_header()

    assert [c.label for c in COLUMNS if c.in_list] == listed
    assert exported[: len(exported)] == [c.csv_label or c.label for c in COLUMNS]
    assert {"Email", "Address", "Branch name"} <= set(exported) - set(listed)


def test_money_is_formatted_with_grouping():
    assert kes(1250000) == "KES 1,250,000.00"
    assert kes(None) == ""
    assert render("{{ 'Tax'|with_currency }}") == "Tax (KES)"


def test_one_totals_table_shows_money_as_its_transactions_table_does():
    """The history's totals and the statement's are one partial: "KES" in each cell under
    the history, in the headers on the statement (as their transaction tables do)."""
    from decimal import Decimal

    from customers.reports.monthly import Totals
    from customers.reports.statement import TypeLine

    lines = [TypeLine("sales", counted=Totals(2, Decimal("1250000.50"), Decimal("13.79")))]
    history = render(
        '{% totals_table lines "history" "Successful transactions" caption="Per type" %}',
        lines=lines,
    )
    statement = render('{% totals_table lines "statement" "Transactions" %}', lines=lines)

    assertInHTML(
        '<table class="report-table totals-table"><caption class="visually-hidden">Per type'
        '</caption><thead><tr><th scope="col">Type</th><th scope="col" class="numeric">'
        'Successful transactions</th><th scope="col" class="numeric">Amount</th>'
        '<th scope="col" class="numeric">Tax</th></tr></thead><tbody><tr><th scope="row">'
        'Sales</th><td class="numeric">2</td><td class="numeric nowrap">KES 1,250,000.50</td>'
        '<td class="numeric nowrap">KES 13.79</td></tr></tbody></table>',
        history,
    )
    assertInHTML(
        '<table class="report-table totals-table"><thead><tr><th scope="col">Type</th>'
        '<th scope="col" class="numeric">Transactions</th><th scope="col" class="numeric">'
        'Amount (KES)</th><th scope="col" class="numeric">Tax (KES)</th></tr></thead><tbody>'
        '<tr><th scope="row">Sales</th><td class="numeric">2</td><td class="numeric nowrap">'
        '1,250,000.50</td><td class="numeric nowrap">13.79</td></tr></tbody></table>',
        statement,
    )


def test_types_are_named_by_type_labels(monkeypatch):
    from customers.reports import monthly

    assert render('{{ "sales"|type_label }}, {{ "purchases"|type_label|lower }}') == (
        "Sales, purchases"
    )
    monkeypatch.setitem(monthly.TYPE_LABELS, "sales", "Sales to customers")
    assert render('{{ "sales"|type_label }} amount') == "Sales to customers amount"
    assert render('{{ "refund"|type_label }}') == "Refund"


def test_page_links_keep_other_parameters_whatever_their_order():
    request = RequestFactory().get("/customers/?page=2&search=a%26b&status=active")
    meta = PageMeta(total=150, per_page=25, current_page=2, last_page=6)

    html = render("{% pagination meta %}", request=request, meta=meta)

    assert 'href="?search=a%26b&amp;status=active&amp;page=1"' in html
    assertInHTML(
        '<span class="this-page" aria-current="page"><span class="visually-hidden">Page </span>2'
        '<span class="visually-hidden"> of 6</span></span>',
        html,
    )
    assert 'rel="next">Next ›</a>' in html
    assert html.count("page=") == 2 * 7  # href and hx-get of prev, 1, 3, 4, 5, 6, next


def test_the_history_paginates_as_the_list_does():
    request = RequestFactory().get("/customers/1/?type=sales&page=2&_changelist_filters=a%3D1")
    meta = PageMeta(total=45, per_page=25, current_page=2, last_page=2)
    url = "/customers/1/transactions/"

    html = render(
        '{% pagination meta target="#history" label="Transaction pages" url=url push=False %}',
        request=request,
        meta=meta,
        url=url,
    )

    previous = f"{url}?type=sales&amp;_changelist_filters=a%3D1&amp;page=1"
    assertInHTML(
        f'<a href="{previous}" hx-get="{previous}" hx-target="#history" rel="prev">‹ Previous</a>',
        html,
    )
    assert 'aria-label="Transaction pages"' in html
    assert "hx-push-url" not in html
    assert "Next" not in html
    one_page = dataclasses.replace(meta, last_page=1)
    assert render("{% pagination meta %}", request=request, meta=one_page).strip() == ""


def test_fixed_links_follow_the_script_prefix():
    try:
        set_script_prefix("/office/")
        assert link("customers:list") == "/office/customers/"
    finally:
        set_script_prefix("/")
    assert link("customers:list") == "/customers/"


def test_the_header_shows_each_user_only_their_links(admin_client, django_user_model):
    client = Client()
    clerk = django_user_model.objects.create_user("clerk", first_name="Amina <b>")
    clerk.set_unusable_password()
    clerk.save()
    clerk.groups.add(Group.objects.get(name="Office staff"))
    client.force_login(clerk)

    clerk_page = client.get("/accounts/password_change/").content.decode()
    admin_page = admin_client.get("/accounts/password_change/").content.decode()

    assert "Welcome, <strong>Amina &lt;b&gt;</strong>." in clerk_page
    assert "Administration" not in clerk_page
    assert "Change password</a> /" not in clerk_page
    assert 'action="/accounts/logout/"' in clerk_page
    assert 'name="csrfmiddlewaretoken" value="' in clerk_page
    assert "Welcome, <strong>root</strong>." in admin_page
    assert '<a href="/admin/">Administration</a>' in admin_page
    assert '<a href="/accounts/password_change/">Change password</a>' in admin_page


def test_fixed_links_follow_a_changed_urlconf(settings):
    assert link("customers:list") == "/customers/"

    settings.ROOT_URLCONF = "tests.views.office_urls"

    assert link("customers:list") == "/office/customers/"


def test_report_assets_come_from_one_tag_with_the_nonce():
    html = render("{% report_assets %}", csp_nonce="n<1>")
    shell = render("{% head_assets %}", csp_nonce="abc")

    assertInHTML('<link rel="stylesheet" href="/static/ctax/report.css">', html)
    assertInHTML(
        '<script src="/static/ctax/report.js" defer nonce="n&lt;1&gt;"'
        ' data-export-cookie="ctax_export"></script>',
        html,
    )
    assert "ctax/report.js" not in render("{% report_assets scripts=False %}", csp_nonce="n")
    assertInHTML('<script type="module" src="/static/ctax/ctax.js" nonce="abc"></script>', shell)


def test_the_list_page_loads_the_report_assets_for_exporters(admin_client, upstream, branches):
    upstream.list()

    body = admin_client.get("/customers/").content.decode()

    assert body.count("ctax/report.js") == 1
    assert "noqa" not in body
