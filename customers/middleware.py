"""The door's side of each request: who pays for its upstream calls, and its upstream
failures as pages (or htmx notices) in the app's own look."""

from . import call_budget
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


class UpstreamPayerMiddleware:
    """The signed-in user pays for the upstream calls their request causes (`call_budget`),
    those made while its body streams included; an anonymous request charges nobody."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        with call_budget.paid_by(user_id):
            response = self.get_response(request)
        if user_id is not None and response.streaming and not response.is_async:
            response.streaming_content = call_budget.paid_while_streaming(
                response.streaming_content, user_id
            )
        return response
