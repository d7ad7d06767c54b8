"""Numbers read from a request (ids, pages): ASCII digits only.

Python's `str.isdigit()` and `int()` also take "²", "١٢" (Arabic-Indic), " 7", "+7" and
"1_000"; none of them is a number a person or our pages send, and "²" crashes `int()`.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1  # what a database's bigint (the audit trail's customer_id) holds
MAX_PAGE = 1_000_000
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def ascii_int(raw, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """`raw` as an int when it is only ASCII digits within [low, high]; None otherwise."""
    if not isinstance(raw, str) or not _ASCII_DIGITS.fullmatch(raw):
        return None
    number = int(raw)
    return number if low <= number <= high else None


class CustomerIdConverter:
    """`<customer_id:…>` in a URL: a customer ID a database can hold; anything else is a 404."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = ascii_int(value)
        if number is None:
            raise ValueError(value)  # the URL does not match: a 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))
