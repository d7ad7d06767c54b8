"""The page shell's dynamic parts, rendered in Python: assets, user tools, upstream status.

base.html renders on every page; built by the template engine, these parts were
a quarter of the list page's rendering (one node per link, test and asset).
"""

import time

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django_htmx.jinja import htmx_script

from .. import readiness, selectors
from ..people_search import QUICK_SEARCH_MIN
from ..reports.csvexport import EXPORT_COOKIE

register = template.Library()

STYLESHEETS = (
    "admin/css/base.css",
    "admin/css/dark_mode.css",
    "admin/css/forms.css",
    "admin/css/changelists.css",
    "admin/css/responsive.css",
    "ctax/ctax.css",
)
# Our modules, on every page: behaviour, date filters, the cue of a table that scrolls.
MODULES = ("ctax/ctax.js", "ctax/date-filters.js", "ctax/scroll-cue.js")
REPORT_STYLESHEETS = ("ctax/report.css",)
REPORT_SCRIPT = "ctax/report.js"


def _nonce(context) -> str | None:
    nonce = context.get("csp_nonce")
    return None if nonce is None else str(nonce)


def _stylesheets(paths):
    return format_html_join(
        "\n", '<link rel="stylesheet" href="{}">', ((static(p),) for p in paths)
    )


@register.simple_tag(takes_context=True)
def head_assets(context):
    """Stylesheets, then the theme script, htmx (django-htmx's own copy) and ours."""
    nonce = _nonce(context)
    theme = (
        format_html('<script src="{}"></script>', static("admin/js/theme.js"))
        if nonce is None
        else format_html(
            '<script src="{}" nonce="{}"></script>', static("admin/js/theme.js"), nonce
        )
    )
    ours = format_html_join(
        "\n",
        '<script type="module" src="{}"{}></script>',
        ((static(path), format_html(' nonce="{}"', nonce) if nonce else "") for path in MODULES),
    )
    return format_html(
        "{}\n{}\n{}\n{}", _stylesheets(STYLESHEETS), theme, htmx_script(nonce=nonce), ours
    )


@register.simple_tag(takes_context=True)
def report_assets(context, scripts=True):
    """The report pages' stylesheet and script (CSV progress, print): include with this tag.

    `scripts=False` gives the stylesheet alone (pages whose user has no report to run).
    """
    if not scripts:
        return _stylesheets(REPORT_STYLESHEETS)
    return format_html(
        '{}\n<script src="{}" defer nonce="{}" data-export-cookie="{}"></script>',
        _stylesheets(REPORT_STYLESHEETS),
        static(REPORT_SCRIPT),
        _nonce(context) or "",
        EXPORT_COOKIE,
    )


@register.simple_tag
def quick_search_min() -> int:
    """Characters the quick search waits for (handed to ctax.js as a data attribute)."""
    return QUICK_SEARCH_MIN


@register.simple_tag(takes_context=True)
def user_tools(context):
    """Welcome, the user's links and log out (a POST, with the CSRF token)."""
    user = context["user"]
    links = [(reverse("customers:list"), "Customers"), *_review_links(user)]
    if user.is_staff:
        links.append((reverse("admin:index"), "Administration"))
    if user.has_usable_password():
        links.append((reverse("password_change"), "Change password"))
    return format_html(
        "Welcome, <strong>{}</strong>.\n        {}"
        '\n        <form id="logout-form" method="post" action="{}" data-user="{}">'
        '\n          <input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '\n          <button type="submit">Log out</button>\n        </form>',
        user.get_short_name() or user.get_username(),
        format_html_join("\n        ", '<a href="{}">{}</a> /', links),
        reverse("logout"),
        user.pk,  # form.js keeps only this user's drafts in the tab
        context.get("csrf_token", ""),
    )


def _review_links(user) -> list[tuple[str, str]]:
    """The branch reviews this user may open (managers: their branches)."""
    codes = selectors.reviewable_branches(user=user)
    return [(reverse("customers:branch_review", args=[code]), f"Review {code}") for code in codes]


@register.simple_tag(takes_context=True)
def upstream_status(context):
    """For administrators: the upstream's last known answer, the same on every instance."""
    user = context.get("user")
    if not (user and user.is_superuser):
        return ""
    known = readiness.last_known()
    if known is None:  # kept fresh by the load balancer's probes of /readyz
        text = format_html('not checked lately (<a href="{}">check now</a>).', reverse("readyz"))
    else:
        ago = max(int(time.time() - known["at"]), 0)
        if known["ready"]:
            text = format_html(
                '<span class="status-active">answering</span> (checked {} s ago).', ago
            )
        else:
            text = format_html(
                '<span class="outcome-failure">failing</span>: {} (checked {} s ago).',
                known["reason"],
                ago,
            )
    return format_html('<p class="upstream-status">Upstream status: {}</p>', text)
