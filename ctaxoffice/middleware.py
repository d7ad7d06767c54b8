"""Responses that show a logged-in user's data are not kept by browsers or proxies."""

from django.utils.cache import add_never_cache_headers, patch_cache_control


class PrivatePagesNotStoredMiddleware:
    """`Cache-Control: no-store` on every response to a logged-in user (pages, htmx
    fragments, CSV), unless the view already said no-store. Static files are answered
    by whitenoise before this runs, so they stay cacheable. htmx's history still works:
    on a history miss htmx 2 fetches the page again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        already = "no-store" in response.get("Cache-Control", "")
        if not already and user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
