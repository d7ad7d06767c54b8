"""Upstream failures become pages (or htmx notices) in the app's own look."""

from .rendering import render_page
from .upstream_errors import NotFound, RateLimited, UpstreamError
from .views.missing import customer_not_found


class UpstreamErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UpstreamError):
            return None
        if isinstance(exception, NotFound):
            return customer_not_found(request)
        response = render_page(
            request,
            "errors/upstream.html",
            {"error": exception, "retry_url": request.get_full_path()},
            partial="notice",
            status=exception.http_status,
        )
        if isinstance(exception, RateLimited) and exception.retry_after:
            response["Retry-After"] = str(exception.retry_after)
        return response


class ResolvedUserMiddleware:
    """Once LoginRequiredMiddleware has loaded the user, `request.user` is that user itself.

    Django's `request.user` is a lazy proxy; every attribute read through it (the
    permission checks, the branch scoping, the templates: over a hundred per list
    page) costs several calls. Views that need no login keep the lazy proxy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "_cached_user", None)  # set by AuthenticationMiddleware
        if user is not None:
            request.user = user
