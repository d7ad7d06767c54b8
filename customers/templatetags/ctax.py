"""Template filters and tags: money in KES, highlighted matches, rows, page links, filters.

Rows are rendered in Python, as the admin's `items_for_result` does (a template loop
costs several ms for 25 rows), with `format_html` escaping each value; their columns are
declared once, in customers/columns.py and customers/transaction_columns.py. Everything
else (headers, page links, filter selects) is a small template under templates/customers/.
"""

import re

from django import template
from django.core.paginator import Paginator
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

from .. import columns as list_columns
from .. import preserved_filters, transaction_columns
from ..reports.monthly import type_label as _type_label

register = template.Library()


@register.filter
def kes(value) -> str:
    """1250000 -> 'KES 1,250,000.00'; blank for None."""
    return transaction_columns.kes(value)


@register.filter
def with_currency(label: str) -> str:
    """'Amount' -> 'Amount (KES)': a header over amounts shown without the currency."""
    return transaction_columns.with_currency(label)


@register.filter
def type_label(kind: str) -> str:
    """A type's name, from reports.monthly.TYPE_LABELS: "sales" -> "Sales"."""
    return _type_label(kind)


@register.inclusion_tag("customers/_header_cells.html")
def transaction_header(table: str):
    """The <th> cells of a table of transactions ("history", "recent", "statement")."""
    return {"headers": transaction_columns.headers(transaction_columns.TABLES[table])}


@register.inclusion_tag("customers/_totals_table.html")
def totals_table(lines, table: str, count_label: str, caption: str = ""):
    """The totals per type (a TypeLine each) under a table of transactions ("history",
    "statement"), its money shown as that table shows it: "KES 1,250.00" in each cell, or
    the currency in the headers ("Amount (KES)" over "1,250.00") on the statement."""
    shown = transaction_columns.TABLES[table]
    amount, tax = (transaction_columns.BY_KEY[key] for key in ("amount", "tax_amount"))
    return {
        "caption": caption,
        "headers": [count_label, amount.header_label(shown), tax.header_label(shown)],
        "rows": [
            (
                line.label,
                line.counted.count,
                shown.money(line.counted.amount),
                shown.money(line.counted.tax),
            )
            for line in lines
        ],
    }


@register.simple_tag
def transaction_rows(transactions, table: str):
    """Its <tr> rows, one per transaction, from the columns declared once."""
    return transaction_columns.rows(transactions, transaction_columns.TABLES[table])


@register.simple_tag(takes_context=True)
def add_preserved_filters(context, url: str, filters: str | None = None) -> str:
    """`url` with the list's filters (as the admin's tag of that name): given, or the
    `changelist_filters` a record's page carries."""
    if filters is None:
        filters = context.get("changelist_filters", "")
    return preserved_filters.add_preserved_filters(url, filters)


def marker(query: str):
    """A function: text -> HTML with each match of any word of `query` in <mark>."""
    words = sorted({w for w in (query or "").split() if w}, key=len, reverse=True)
    if not words:
        return lambda text: conditional_escape("" if text is None else str(text))
    split = re.compile("(" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE).split

    def mark(text) -> SafeString:
        parts = split("" if text is None else str(text))
        return format_html_join(
            "",
            "{}",
            (
                (format_html("<mark>{}</mark>", part) if index % 2 else part,)
                for index, part in enumerate(parts)
            ),
        )

    return mark


@register.inclusion_tag("customers/_header_cells.html")
def header_cells(columns=None):
    """The <th> cells of the list's header row, from the column definition."""
    return {"headers": list_columns.headers(columns or list_columns.LIST_COLUMNS)}


@register.simple_tag
def customer_rows(cl, selectable=False):
    """The <tr> rows of the customer list, one per customer, from the column definition."""
    return list_columns.rows(cl.result.items, cl.row_context(), selectable=bool(selectable))


@register.inclusion_tag("customers/_search_options.html")
def search_options(hits, query):
    """The options of the quick-search listbox, each word of the query marked."""
    mark = marker(query)
    return {"options": [(hit, mark(hit.name), _marked_meta(hit, mark)) for hit in hits]}


def _marked_meta(hit, mark) -> list[SafeString]:
    """Number, TIN and phone of a hit, as the option shows them under its name."""
    meta = [mark(hit.customer_no)]
    if hit.tin:
        meta.append(format_html("TIN {}", mark(hit.tin)))
    if hit.phone:
        meta.append(mark(hit.phone))
    return meta


@register.inclusion_tag("customers/_filter_select.html")
def filter_select(name, choices, current):
    """A filter <select> (id_<name>) of (value, label) choices, the current value selected."""
    current = str(current)
    options = [(value, label, str(value) == current) for value, label in choices]
    return {"name": name, "options": options}


@register.inclusion_tag("customers/_pagination.html", takes_context=True)
def pagination(context, meta, *, target="#results", label="Pages", url="", push=True):
    """The list's and the history's page links: previous, numbered (elided as the admin's
    are), next; each keeps every other query parameter and swaps `target` in place."""
    current, last = meta.current_page, meta.last_page
    if last <= 1:
        return {"last_page": last}  # one page: no links
    params = context["request"].GET.copy()
    params.pop("page", None)
    others = params.urlencode()
    start = f"{url}?{others}&page=" if others else f"{url}?page="
    numbers = Paginator(range(last), 1).get_elided_page_range(
        max(1, min(current, last)), on_each_side=2, on_ends=1
    )
    pages = [
        {"number": n, "current": n == current, "href": f"{start}{n}" if isinstance(n, int) else ""}
        for n in numbers
    ]
    return {
        "label": label,
        "target": target,
        "push": push,
        "pages": pages,
        "last_page": last,
        "total": meta.total,
        "previous": f"{start}{current - 1}" if current > 1 else "",
        "next": f"{start}{current + 1}" if current < last else "",
    }
