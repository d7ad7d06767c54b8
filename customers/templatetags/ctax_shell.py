"""The page shell's dynamic parts, rendered in Python: assets, user tools, upstream status.

base.html renders on every page; built by the template engine, these parts were
a quarter of the list page's rendering (one node per link, test and asset).
"""

import time
from functools import cache
from html import escape

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django_htmx.jinja import htmx_script

from .. import services
from .ctax import cached_reverse

register = template.Library()

STYLESHEETS = (
    "admin/css/base.css",
    "admin/css/dark_mode.css",
    "admin/css/forms.css",
    "admin/css/changelists.css",
    "admin/css/responsive.css",
    "ctax/ctax.css",
)


@cache
def _assets(prefix: str) -> tuple[str, str, str]:
    """(stylesheet links, theme script URL, ctax script URL); static URLs do not change."""
    links = "\n".join(f'<link rel="stylesheet" href="{escape(static(p))}">' for p in STYLESHEETS)
    return links, escape(static("admin/js/theme.js")), escape(static("ctax/ctax.js"))


@receiver(setting_changed)
def _forget_assets(*, setting, **kwargs):
    if setting in ("STATIC_URL", "STORAGES", "STATICFILES_STORAGE"):
        _assets.cache_clear()


@register.simple_tag(takes_context=True)
def head_assets(context):
    """Stylesheets, then the theme script, htmx (django-htmx's own copy) and ours."""
    nonce = context.get("csp_nonce")
    attr = f' nonce="{escape(str(nonce))}"' if nonce is not None else ""
    links, theme, ours = _assets(get_script_prefix())
    return mark_safe(  # noqa: S308 - URLs and nonce escaped; htmx_script escapes its own
        f'{links}\n<script src="{theme}"{attr}></script>\n'
        f"{htmx_script(nonce=nonce)}\n"
        f'<script src="{ours}" defer{attr}></script>'
    )


@register.simple_tag(takes_context=True)
def user_tools(context):
    """Welcome, the user's links and log out (a POST, with the CSRF token)."""
    user = context["user"]
    name = escape(user.get_short_name() or user.get_username())
    links = [f'<a href="{cached_reverse("customers:list")}">Customers</a> /']
    if user.is_staff:
        links.append(f'<a href="{cached_reverse("admin:index")}">Administration</a> /')
    if user.has_usable_password():
        links.append(f'<a href="{cached_reverse("password_change")}">Change password</a> /')
    token = escape(str(context.get("csrf_token", "")))
    return mark_safe(  # noqa: S308 - every value escaped above
        f"Welcome, <strong>{name}</strong>.\n        "
        + "\n        ".join(links)
        + f'\n        <form id="logout-form" method="post" action="{cached_reverse("logout")}">'
        f'\n          <input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        '\n          <button type="submit">Log out</button>\n        </form>'
    )


@register.simple_tag(takes_context=True)
def upstream_status(context):
    """For administrators: how the last upstream call of this server process went."""
    user = context.get("user")
    if not (user and user.is_superuser):
        return ""
    last = services.LAST_CALL
    if last["at"] is None:
        text = "no call yet since this server started."
    else:
        ago = max(int(time.time() - last["at"]), 0)
        if last["ok"]:
            text = (
                '<span class="status-active">answering</span> '
                f"(last call {last['status']}, {round(last['ms'] or 0)} ms, {ago} s ago)."
            )
        else:
            what = escape(str(last["status"] or last["outcome"]))
            text = f'<span class="outcome-failure">failing</span> (last call {what}, {ago} s ago).'
    return mark_safe(f'<p class="upstream-status">Upstream status: {text}</p>')  # noqa: S308
