"""Template filters and tags: money in KES, highlighted matches, list rows."""

import re
from decimal import Decimal, InvalidOperation

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def kes(value) -> str:
    """1250000 -> 'KES 1,250,000.00'; blank for None."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return ""
    return f"KES {amount:,.2f}"


@register.filter
def highlight(text, query):
    """Escape `text` and wrap each case-insensitive occurrence of `query` in <mark>."""
    text = "" if text is None else str(text)
    query = (query or "").strip()
    if not query:
        return escape(text)
    parts = re.split(f"({re.escape(query)})", text, flags=re.IGNORECASE)
    html = "".join(
        f"<mark>{escape(part)}</mark>" if i % 2 else escape(part) for i, part in enumerate(parts)
    )
    return mark_safe(html)  # noqa: S308 - every part is escaped above


# --- Lists rendered in Python, as the admin's result_list tag does: these are the
# hot paths (a Django template loop costs several ms for 25 rows).


def _detail_base() -> str:
    """'/customers/' as the detail URLs start; reversed once, not once per row."""
    return escape(reverse("customers:detail", args=[0])[:-2])


def _local_day(value) -> str:
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return f"{local.day} {local:%b %Y}"


@register.simple_tag
def customer_rows(cl):
    """The <tr> rows of the customer list."""
    suffix = cl.preserved_filters
    names = cl.branch_names
    base = _detail_base()
    rows = []
    for c in cl.result.items:
        url = escape(f"{base}{c.id}/{suffix}")
        branch = escape(c.branch_id)
        if names.get(c.branch_id):
            branch += f' <span class="quiet">{escape(names[c.branch_id])}</span>'
        active = (
            '<span class="status-active">Active</span>'
            if c.is_active
            else '<span class="status-inactive">Inactive</span>'
        )
        total = "—" if c.total_transactions is None else c.total_transactions
        rows.append(
            f'<tr><td class="field-customer_no"><a href="{url}">{escape(c.customer_no)}</a></td>'
            f'<th scope="row" class="field-name"><a href="{url}">{escape(c.name)}</a></th>'
            f"<td>{escape(c.tin or '—')}</td><td>{escape(c.phone or '—')}</td>"
            f'<td class="field-branch">{branch}</td><td class="field-is_active">{active}</td>'
            f'<td class="numeric">{total}</td><td class="nowrap">{_local_day(c.created_at)}</td>'
            "</tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value is escaped above


@register.simple_tag
def search_options(hits, query):
    """The options of the quick-search listbox, the matched text marked."""
    options = []
    base = _detail_base()
    for number, hit in enumerate(hits, start=1):
        meta = highlight(hit.customer_no, query)
        if hit.tin:
            meta += f" · TIN {highlight(hit.tin, query)}"
        if hit.phone:
            meta += f" · {highlight(hit.phone, query)}"
        url = f"{base}{hit.id}/"
        options.append(
            f'<li id="quick-search-option-{number}" role="option" aria-selected="false" '
            f'data-href="{url}"><span class="qs-option"><span class="qs-name">'
            f'{highlight(hit.name, query)}</span><span class="qs-meta">{meta}</span></span></li>'
        )
    return mark_safe("".join(options))  # noqa: S308 - highlight() escapes every part


@register.simple_tag
def filter_select(form, name):
    """A filter <select> (id_<name>), the current value selected: quicker than the widget."""
    field = form[name]
    current = "" if field.value() is None else str(field.value())
    options = "".join(
        f'<option value="{escape(value)}"{" selected" if str(value) == current else ""}>'
        f"{escape(label)}</option>"
        for value, label in field.field.choices
    )
    return mark_safe(f'<select name="{name}" id="id_{name}">{options}</select>')  # noqa: S308


@register.simple_tag(takes_context=True)
def page_links(context, meta, numbers, target="#results"):
    """Previous / numbered (elided) / next links keeping every other query parameter."""
    params = context["request"].GET.copy()

    def link(page, text, extra=""):
        params["page"] = page
        href = escape(f"?{params.urlencode()}")
        return (
            f'<a href="{href}" hx-get="{href}" hx-target="{target}" hx-push-url="true"'
            f"{extra}>{text}</a>"
        )

    parts = []
    if meta.current_page > 1:
        parts.append(link(meta.current_page - 1, "‹ Previous", ' rel="prev"'))
    for number in numbers:
        if number == meta.current_page:
            parts.append(f'<span class="this-page" aria-current="page">{number}</span>')
        elif isinstance(number, int):
            parts.append(link(number, number, f' aria-label="Page {number}"'))
        else:
            parts.append('<span class="ellipsis">…</span>')
    if meta.current_page < meta.last_page:
        parts.append(link(meta.current_page + 1, "Next ›", ' rel="next"'))
    return mark_safe("\n".join(parts))  # noqa: S308 - hrefs escaped, the rest is ours
