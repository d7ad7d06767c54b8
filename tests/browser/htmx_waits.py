"""Waiting for htmx in browser tests."""


def settled(page) -> None:
    """htmx has answered and settled: no request in flight, no swap still settling.

    A swapped-in form gets its htmx listeners when the swap settles (htmx's settle delay,
    20 ms after the new content is in, and after the address bar has changed): a change
    made before that is not sent. People are not that fast; a test is.
    """
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, "
        ".htmx-added')"
    )
