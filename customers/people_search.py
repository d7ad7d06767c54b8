"""A search that understands people: every word in any order, phones as people write them.

The upstream matches one substring against name, TIN and phone. So a search of
several words asks for the most selective one (the longest) and keeps the hits
holding every word; a phone-like query, whole or partial, is sent as the digits
the stored number holds (`phones.search_text`, the rule the list follows too).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import phones
from .upstream.client import MAX_SEARCH_LIMIT

QUICK_SEARCH_MIN = 2  # characters before the quick search asks the upstream
QUICK_SEARCH_SHOWN = 10  # options shown in the quick search
SEARCH_MAX = 100  # the longest search text accepted


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """What to ask the upstream for, and how to check its hits."""

    sent: str  # the text sent upstream as `q` / `search`
    words: tuple[str, ...]  # every word a hit must contain (lower case); empty: no filter
    limit: int

    @property
    def searchable(self) -> bool:
        """The upstream refuses a `q` under 2 characters ('+7' leaves one digit)."""
        return len(self.sent) >= QUICK_SEARCH_MIN

    @property
    def marked(self) -> str:
        """The terms to highlight in the hits (a phone's digits, not the typed spaces)."""
        return " ".join(self.words) or self.sent

    def keeps(self, hit) -> bool:
        """What the upstream matched too: every word in the name, TIN or phone."""
        if not self.words:
            return True
        haystack = " ".join(part.lower() for part in (hit.name, hit.tin, hit.phone) if part)
        return all(word in haystack for word in self.words)


def plan(query: str, *, shown: int = QUICK_SEARCH_SHOWN) -> SearchPlan:
    query = query.strip()
    sent = phones.search_text(query)
    if sent != query or len(query.split()) < 2:
        return SearchPlan(sent=sent, words=(), limit=shown)
    words = tuple(dict.fromkeys(phones.search_text(word).lower() for word in query.split()))
    longest = max(words, key=len)
    # The largest answer: the hits are filtered here.
    return SearchPlan(sent=longest, words=words, limit=MAX_SEARCH_LIMIT)
