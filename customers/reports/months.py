"""Calendar months in the business's time zone (Africa/Nairobi)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

NAIROBI = ZoneInfo("Africa/Nairobi")
MONTHS_SHOWN = 12


@dataclass(frozen=True, slots=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, moment: dt.datetime | dt.date) -> Month:
        """The month a moment falls in, in Nairobi (a date is taken as it is)."""
        if isinstance(moment, dt.datetime):
            moment = moment.astimezone(NAIROBI)
        return cls(moment.year, moment.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def starts_at(self) -> dt.datetime:
        """Midnight of its first day, in Nairobi."""
        return dt.datetime(self.year, self.month, 1, tzinfo=NAIROBI)

    def shifted(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    @property
    def label(self) -> str:
        return self.first_day.strftime("%b %Y")  # "Mar 2026"

    @property
    def long_label(self) -> str:
        return self.first_day.strftime("%B %Y")  # "March 2026"

    @property
    def short_label(self) -> str:
        return self.first_day.strftime("%b")

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def today() -> dt.date:
    return timezone.localdate(timezone=NAIROBI)


def last_months(day: dt.date, count: int = MONTHS_SHOWN) -> list[Month]:
    """The `count` months ending with the month of `day`, oldest first."""
    current = Month.of(day)
    return [current.shifted(offset) for offset in range(1 - count, 1)]
