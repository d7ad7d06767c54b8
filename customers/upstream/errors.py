"""Typed errors raised by the upstream door (`customers.upstream`).

Every error carries a message fit to show a user; none ever carries the API key.
"""


class UpstreamError(Exception):
    """Base of every failure talking to the Customers API."""

    default_message = "The customer service could not complete the request."
    http_status = 502

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        request_id: str | None = None,
    ):
        self.message = message or self.default_message
        self.status = status
        self.request_id = request_id
        super().__init__(self.message)


class NotFound(UpstreamError):
    default_message = "Customer not found."
    http_status = 404


class ValidationFailed(UpstreamError):
    """A 400 (or 422): `errors` maps our form field names to messages."""

    default_message = "Validation failed."
    http_status = 400

    def __init__(
        self, message: str | None = None, *, errors: dict[str, list[str]] | None = None, **kwargs
    ):
        super().__init__(message, **kwargs)
        self.errors = errors or {}


class Conflict(UpstreamError):
    default_message = "A customer with this customer number already exists in this branch."
    http_status = 409


class Unauthorized(UpstreamError):
    default_message = (
        "The customer service refused our API key. Tell an administrator: "
        "the key (CTAX_API_KEY) is missing or wrong."
    )
    http_status = 502


class Forbidden(Unauthorized):
    default_message = (
        "The customer service says our API key may not do this. Tell an administrator."
    )


class RateLimited(UpstreamError):
    http_status = 503

    def __init__(self, message: str | None = None, *, retry_after: int | None = None, **kwargs):
        self.retry_after = retry_after
        if message is None:
            wait = f"in {retry_after} seconds" if retry_after else "in a moment"
            message = f"The customer service is busy. Please try again {wait}."
        super().__init__(message, **kwargs)


class TooManyCalls(RateLimited):
    """The user's requests have used their upstream calls for this minute
    (CTAX_USER_CALLS_PER_MINUTE): this call was not sent."""

    http_status = 429

    def __init__(self, message: str | None = None, *, retry_after: int, **kwargs):
        if message is None:
            unit = "second" if retry_after == 1 else "seconds"
            message = (
                "Too many requests: you have used this minute's share of calls to the "
                f"customer service. Please try again in {retry_after} {unit}."
            )
        super().__init__(message, retry_after=retry_after, **kwargs)


class Unavailable(UpstreamError):
    """Timeouts, refused connections and 5xx answers."""

    default_message = (
        "The customer service is not answering right now. Please try again in a moment."
    )
    http_status = 503


class UpstreamTimeout(Unavailable):
    default_message = "The customer service took too long to answer. Please try again in a moment."
    http_status = 504


class BadResponse(UpstreamError):
    """The upstream answered something we cannot read (not JSON, wrong shape)."""

    default_message = (
        "The customer service sent an answer we could not read. Please try again; "
        "if it keeps happening, tell an administrator."
    )
    http_status = 502
