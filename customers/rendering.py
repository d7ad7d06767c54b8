"""One template per page: the full page, or its named partial for htmx."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers


def wants_fragment(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and not htmx.boosted


def render_page(
    request, template: str, context: dict, *, partial: str | None = None, status: int = 200
):
    name = f"{template}#{partial}" if partial and wants_fragment(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def render_fragment(template: str, context: dict) -> HttpResponse:
    """A fragment that uses nothing of the request (user, CSRF, nonce): no context processors."""
    response = HttpResponse(render_to_string(template, context))
    patch_vary_headers(response, ["HX-Request"])
    return response
