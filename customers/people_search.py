"""A search that understands people: every word in any order, phones as people write them.

The upstream matches one substring against name, TIN and phone. So a search of
several words asks for the most selective one (the longest) and keeps the hits
holding every word; a phone number typed with spaces, dashes or a leading 0 is
rewritten to the E.164 form the upstream stores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from . import phones

QUICK_SEARCH_MIN = 2  # characters before the quick search asks the upstream
QUICK_SEARCH_SHOWN = 10  # options shown in the quick search
WIDE_LIMIT = 50  # the upstream's largest `limit`: asked when the hits are filtered here
SEARCH_MAX = 100  # the longest search text accepted

_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]+$")
_MIN_PHONE_DIGITS = 9


def normalise_phone_search(text: str) -> str:
    """'0720-337-647' or '+254 720 337 647' -> '+254720337647'; anything else as given."""
    text = text.strip()
    if not _PHONE_LIKE.fullmatch(text) or sum(ch.isdigit() for ch in text) < _MIN_PHONE_DIGITS:
        return text
    number = phones.parse(text)
    if number is None or not phonenumbers.is_possible_number(number):
        return text
    return phones.stored_form(number)


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """What to ask the upstream for, and how to check its hits."""

    sent: str  # the text sent upstream as `q` / `search`
    words: tuple[str, ...]  # every word a hit must contain (lower case); empty: no filter
    limit: int

    def keeps(self, hit) -> bool:
        if not self.words:
            return True
        haystack = " ".join(
            part.lower() for part in (hit.name, hit.customer_no, hit.tin, hit.phone) if part
        )
        return all(word in haystack for word in self.words)


def plan(query: str, *, shown: int = QUICK_SEARCH_SHOWN) -> SearchPlan:
    query = query.strip()
    phone = normalise_phone_search(query)
    if phone != query or len(query.split()) < 2:
        return SearchPlan(sent=phone, words=(), limit=shown)
    words = tuple(dict.fromkeys(word.lower() for word in query.split()))
    longest = max(words, key=len)
    return SearchPlan(sent=longest, words=words, limit=WIDE_LIMIT)
