"""Template filters and tags: money in KES, highlighted matches, list rows."""

import re
from decimal import Decimal, InvalidOperation
from functools import cache
from html import escape as _escape

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
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


def _marker(query):
    """A function: text -> escaped HTML with each match of `query` marked."""
    query = (query or "").strip()
    if not query:
        return lambda text: _escape("" if text is None else str(text))
    split = re.compile(f"({re.escape(query)})", flags=re.IGNORECASE).split

    def mark(text) -> str:
        parts = split("" if text is None else str(text))
        parts[1::2] = [f"<mark>{_escape(part)}</mark>" for part in parts[1::2]]
        parts[::2] = [_escape(part) for part in parts[::2]]
        return "".join(parts)

    return mark


# --- Lists rendered in Python, as the admin's result_list tag does: these are the
# hot paths (a Django template loop costs several ms for 25 rows). They escape with
# the standard library's html.escape, which Django's escape() wraps (same output,
# without the lazy-string checks on every cell).

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ACTIVE = {
    True: '<span class="status-active">Active</span>',
    False: '<span class="status-inactive">Inactive</span>',
}


@cache
def _reversed(name: str, args: tuple, prefix: str, urlconf) -> str:
    return reverse(name, args=args, urlconf=urlconf)


@receiver(setting_changed)
def _forget_urls(*, setting, **kwargs):
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _reversed.cache_clear()


def cached_reverse(name: str, *args) -> str:
    """reverse(), remembered per process and script prefix (URLs do not change at run time)."""
    return _reversed(name, args, get_script_prefix(), get_urlconf())


@register.simple_tag
def link(name: str) -> str:
    """{% url name %} for the page's fixed links, without reversing on every request."""
    return cached_reverse(name)


def _detail_base() -> str:
    """'/customers/' as the detail URLs start; reversed once, not once per row."""
    return _escape(cached_reverse("customers:detail", 0)[:-2])


def _local_day(value, zone) -> str:
    if value is None:
        return "—"
    local = value.astimezone(zone)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


@register.simple_tag
def header_cells(columns):
    """The <th> cells of a list's header row, from its (key, label) columns."""
    return mark_safe(  # noqa: S308 - keys are ours, labels escaped
        "".join(
            f'<th scope="col" class="column-{key}">{_escape(label)}</th>' for key, label in columns
        )
    )


@register.simple_tag
def customer_rows(cl):
    """The <tr> rows of the customer list."""
    suffix = _escape(cl.preserved_filters)
    names = {
        code: f' <span class="quiet">{_escape(name)}</span>' if name else ""
        for code, name in cl.branch_names.items()
    }
    base = _detail_base()
    zone = timezone.get_current_timezone()
    rows = []
    for c in cl.result.items:
        url = f"{base}{c.id}/{suffix}"
        total = "—" if c.total_transactions is None else c.total_transactions
        rows.append(
            f'<tr><td class="field-customer_no"><a href="{url}">{_escape(c.customer_no)}</a></td>'
            f'<th scope="row" class="field-name"><a href="{url}">{_escape(c.name)}</a></th>'
            f"<td>{_escape(c.tin or '—')}</td><td>{_escape(c.phone or '—')}</td>"
            f'<td class="field-branch">{_escape(c.branch_id)}{names.get(c.branch_id, "")}</td>'
            f'<td class="field-is_active">{ACTIVE[bool(c.is_active)]}</td>'
            f'<td class="numeric">{total}</td><td class="nowrap">{_local_day(c.created_at, zone)}'
            "</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value is escaped above


@register.simple_tag
def search_options(hits, query):
    """The options of the quick-search listbox, the matched text marked."""
    options = []
    base = _detail_base()
    mark = _marker(query)
    for number, hit in enumerate(hits, start=1):
        meta = mark(hit.customer_no)
        if hit.tin:
            meta += f" · TIN {mark(hit.tin)}"
        if hit.phone:
            meta += f" · {mark(hit.phone)}"
        options.append(
            f'<li id="quick-search-option-{number}" role="option" aria-selected="false" '
            f'data-href="{base}{hit.id}/"><span class="qs-option"><span class="qs-name">'
            f'{mark(hit.name)}</span><span class="qs-meta">{meta}</span></span></li>'
        )
    return mark_safe("".join(options))  # noqa: S308 - _marker escapes every part


@register.simple_tag
def filter_select(name, choices, current):
    """A filter <select> (id_<name>) of (value, label) choices, the current value selected."""
    current = str(current)
    options = "".join(
        f'<option value="{_escape(str(value))}"{" selected" if str(value) == current else ""}>'
        f"{_escape(str(label))}</option>"
        for value, label in choices
    )
    return mark_safe(f'<select name="{name}" id="id_{name}">{options}</select>')  # noqa: S308


@register.simple_tag(takes_context=True)
def page_links(context, meta, numbers, target="#results"):
    """Previous / numbered (elided) / next links keeping every other query parameter."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    others = params.urlencode()
    start = _escape(f"?{others}&page=" if others else "?page=")

    def anchor(page, text, extra=""):
        href = f"{start}{page}"
        return (
            f'<a href="{href}" hx-get="{href}" hx-target="{target}" hx-push-url="true"'
            f"{extra}>{text}</a>"
        )

    parts = []
    if meta.current_page > 1:
        parts.append(anchor(meta.current_page - 1, "‹ Previous", ' rel="prev"'))
    for number in numbers:
        if number == meta.current_page:
            parts.append(f'<span class="this-page" aria-current="page">{number}</span>')
        elif isinstance(number, int):
            parts.append(anchor(number, number, f' aria-label="Page {number}"'))
        else:
            parts.append('<span class="ellipsis">…</span>')
    if meta.current_page < meta.last_page:
        parts.append(anchor(meta.current_page + 1, "Next ›", ' rel="next"'))
    return mark_safe("\n".join(parts))  # noqa: S308 - hrefs escaped, the rest is ours
