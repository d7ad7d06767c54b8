"""CSV files for spreadsheets: UTF-8 with a byte-order mark, safe against formula injection.

Rows are produced one upstream page at a time, a few pages read ahead (at most 4 in
flight, written in order), so an export starts at once and never holds the whole file
in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse

from ..upstream.errors import UpstreamError
from .months import NAIROBI

logger = logging.getLogger("customers.reports")

# Set once an export starts streaming; report.js (told its name) then says so.
EXPORT_COOKIE = "ctax_export"

BOM = "\ufeff"
# A spreadsheet reads a cell starting with one of these as a formula (OWASP's list,
# with the line feed added): such text cells get a leading single quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def neutralise(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def cell(value) -> str:
    """One value as CSV text. Numbers stay numbers; all text is neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (Decimal, int)):
        return str(value)  # digits we format ourselves: never a formula
    if isinstance(value, dt.datetime):
        return value.astimezone(NAIROBI).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


class _Echo:
    """A file-like object whose write() hands the line back (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def stream(header: list[str], row_batches: Iterable[list[list]]) -> Iterator[bytes]:
    """The file as bytes: BOM and header first, then one chunk per batch of rows.

    An upstream failure part-way ends the file with a line saying it is incomplete
    (the status line has long been sent, so this is the only honest way left).
    """
    writer = csv.writer(_Echo())
    yield (BOM + writer.writerow(header)).encode("utf-8")
    try:
        for rows in row_batches:
            chunk = "".join(writer.writerow([cell(v) for v in row]) for row in rows)
            if chunk:
                yield chunk.encode("utf-8")
    except UpstreamError as exc:
        logger.warning("export stopped early: %s", type(exc).__name__)
        note = f"The export stopped early and this file is incomplete: {exc.message}"
        yield writer.writerow([neutralise(note)]).encode("utf-8")


def file_name(*parts: str, day: dt.date) -> str:
    """'customers-branch-01-2026-11-25.csv': each part made safe for a file name."""
    safe = [_UNSAFE_IN_NAME.sub("_", part).strip("_.-") for part in parts if part]
    return "-".join([*(p for p in safe if p), day.isoformat()]) + ".csv"


def customers_file_name(cl, *, day: dt.date) -> str:
    """'customers-branch-01-active-search-kamau-2026-11-25.csv': the list as filtered (its
    `CustomerChangeList`), streamed or built."""
    branch = cl.upstream_branch
    return file_name(
        "customers",
        "no-branch" if cl.has_no_branch else f"branch-{branch}" if branch else "all-branches",
        cl.status,
        f"search-{cl.search[:30]}" if cl.search else "",
        day=day,
    )


def transactions_file_name(customer_no: str, query, *, day: dt.date) -> str:
    """'transactions-CUST001-sales-from-2026-01-01-to-2026-06-30-2026-11-25.csv': a
    customer's history as filtered (a `fetching.TransactionQuery`), streamed or built."""
    return file_name(
        "transactions",
        customer_no,
        query.type or "",
        f"from-{query.from_date}" if query.from_date else "",
        f"to-{query.to_date}" if query.to_date else "",
        day=day,
    )


def response(content: Iterable[bytes], file_name: str) -> StreamingHttpResponse:
    """A CSV download, streamed, never cached."""
    answer = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    answer["Content-Disposition"] = f'attachment; filename="{file_name}"'
    answer["Cache-Control"] = "no-store"
    return answer
