"""Upstream failures become pages (or htmx notices) in the app's own look."""

from .rendering import render_page
from .upstream.errors import NotFound, RateLimited, UpstreamError
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
