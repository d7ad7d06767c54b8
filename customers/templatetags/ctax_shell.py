"""The page shell's dynamic parts: assets, user tools, upstream status.

Each tag gathers what its part needs and renders a small template (templates/shell/).
"""

import time

from django import template
from django.templatetags.static import static

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


@register.inclusion_tag("shell/_head_assets.html", takes_context=True)
def head_assets(context):
    """Stylesheets, then the theme script, htmx (django-htmx's own copy) and ours."""
    return {
        "csp_nonce": _nonce(context),
        "stylesheets": [static(path) for path in STYLESHEETS],
        "theme": static("admin/js/theme.js"),
        "modules": [static(path) for path in MODULES],
    }


@register.inclusion_tag("shell/_report_assets.html", takes_context=True)
def report_assets(context, scripts=True):
    """The report pages' stylesheet and script (CSV progress, print): include with this tag.

    `scripts=False` gives the stylesheet alone (pages whose user has no report to run).
    """
    return {
        "csp_nonce": _nonce(context),
        "stylesheets": [static(path) for path in REPORT_STYLESHEETS],
        "script": static(REPORT_SCRIPT) if scripts else "",
        "export_cookie": EXPORT_COOKIE,
    }


@register.simple_tag
def quick_search_min() -> int:
    """Characters the quick search waits for (handed to ctax.js as a data attribute)."""
    return QUICK_SEARCH_MIN


@register.inclusion_tag("shell/_user_tools.html", takes_context=True)
def user_tools(context):
    """Welcome, the user's links and log out (a POST, with the CSRF token)."""
    user = context["user"]
    return {
        "user": user,
        "review_codes": selectors.reviewable_branches(user=user),
        "csrf_token": context.get("csrf_token", ""),
    }


@register.inclusion_tag("shell/_upstream_status.html", takes_context=True)
def upstream_status(context):
    """For administrators: the upstream's last known answer, the same on every instance."""
    user = context.get("user")
    if not (user and user.is_superuser):
        return {"shown": False}
    known = readiness.last_known()  # kept fresh by the load balancer's probes of /readyz
    ago = None if known is None else max(int(time.time() - known["at"]), 0)
    return {"shown": True, "known": known, "ago": ago}
