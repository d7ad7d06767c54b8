"""Template filters and tags: money in KES, highlighted matches, list rows, page links.

The list's rows are rendered in Python, as the admin's `items_for_result` does (a
template loop costs several ms for 25 rows), with `format_html` escaping each value.
The columns themselves are defined once, in customers/columns.py.
"""

import re

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

from .. import columns as list_columns
from .. import preserved_filters, transaction_columns

register = template.Library()


@register.filter
def kes(value) -> str:
    """1250000 -> 'KES 1,250,000.00'; blank for None."""
    return transaction_columns.kes(value)


@register.simple_tag
def transaction_header(table: str):
    """The <th> cells of a table of transactions ("history", "recent", "statement")."""
    return transaction_columns.header_cells(transaction_columns.TABLES[table])


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


@register.simple_tag
def header_cells(columns=None):
    """The <th> cells of the list's header row, from the column definition."""
    return list_columns.header_cells(columns or list_columns.LIST_COLUMNS)


@register.simple_tag
def customer_rows(cl, selectable=False):
    """The <tr> rows of the customer list, one per customer, from the column definition."""
    return list_columns.rows(cl.result.items, cl.row_context(), selectable=bool(selectable))


def _search_option(number: int, hit, url: str, mark) -> SafeString:
    meta = [mark(hit.customer_no)]
    if hit.tin:
        meta.append(format_html("TIN {}", mark(hit.tin)))
    if hit.phone:
        meta.append(mark(hit.phone))
    return format_html(
        '<li id="quick-search-option-{}" role="option" aria-selected="false" data-href="{}">'
        '<span class="qs-option"><span class="qs-name long-text" title="{}">{}</span>'
        '<span class="qs-meta">{}</span></span></li>',
        number,
        url,
        hit.name,
        mark(hit.name),
        format_html_join(" · ", "{}", ((part,) for part in meta)),
    )


@register.simple_tag
def search_options(hits, query, start=1):
    """The options of the quick-search listbox, each word of the query marked."""
    prefix = reverse("customers:list")
    mark = marker(query)
    return format_html_join(
        "",
        "{}",
        (
            (_search_option(number, hit, f"{prefix}{hit.id}/", mark),)
            for number, hit in enumerate(hits, start=start)
        ),
    )


_OPTION = '<option value="{}">{}</option>'
_SELECTED = '<option value="{}" selected>{}</option>'


@register.simple_tag
def filter_select(name, choices, current):
    """A filter <select> (id_<name>) of (value, label) choices, the current value selected."""
    current = str(current)
    options = format_html_join(
        "",
        "{}",
        (
            (format_html(_SELECTED if str(value) == current else _OPTION, value, label),)
            for value, label in choices
        ),
    )
    return format_html('<select name="{}" id="id_{}">{}</select>', name, name, options)


@register.simple_tag(takes_context=True)
def page_links(context, meta, numbers, target="#results"):
    """Previous / numbered (elided) / next links keeping every other query parameter."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    others = params.urlencode()
    start = f"?{others}&page=" if others else "?page="

    def anchor(page, text, **attrs):
        href = f"{start}{page}"
        extra = format_html_join("", ' {}="{}"', attrs.items())
        return format_html(
            '<a href="{}" hx-get="{}" hx-target="{}" hx-push-url="true"{}>{}</a>',
            href,
            href,
            target,
            extra,
            text,
        )

    parts = []
    if meta.current_page > 1:
        parts.append(anchor(meta.current_page - 1, "‹ Previous", rel="prev"))
    for number in numbers:
        if number == meta.current_page:
            parts.append(
                format_html('<span class="this-page" aria-current="page">{}</span>', number)
            )
        elif isinstance(number, int):
            parts.append(anchor(number, number, **{"aria-label": f"Page {number}"}))
        else:
            parts.append(format_html('<span class="ellipsis">{}</span>', "…"))
    if meta.current_page < meta.last_page:
        parts.append(anchor(meta.current_page + 1, "Next ›", rel="next"))
    return format_html_join("\n", "{}", ((part,) for part in parts))
