"""Template filters: money in KES, highlighted matches."""

import re
from decimal import Decimal, InvalidOperation

from django import template
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


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
