"""An export's bytes: CSV as the streamed exports write it, or XLSX with typed cells.

XLSX (openpyxl, write-only): moments as plain dates in Nairobi time, amounts as numbers
in a KES format, every text (phones and TINs included) a text cell, never a formula."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ..reports import csvexport
from ..reports.months import NAIROBI
from ..transaction_columns import CURRENCY

KES_FORMAT = f'"{CURRENCY}" #,##0.00'  # as transaction_columns.kes writes amounts
DATE_FORMAT = "yyyy-mm-dd"


def csv_bytes(header: list[str], rows: Iterable[list]) -> bytes:
    return b"".join(csvexport.stream(header, [rows]))


def xlsx_bytes(header: list[str], rows: Iterable[list], *, amounts: set[int]) -> bytes:
    """`amounts`: the indexes of the columns holding money (KES)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Export")
    sheet.append([_text(sheet, label) for label in header])
    for row in rows:
        sheet.append([_cell(sheet, value, money=i in amounts) for i, value in enumerate(row)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # a string, even one starting with "=": never a formula
    cell.number_format = "@"
    return cell


def _cell(sheet, value, *, money: bool):
    if value is None:
        return None
    if isinstance(value, bool):
        return _text(sheet, "Yes" if value else "No")
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=value.astimezone(NAIROBI).date())
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, (int, Decimal)):
        cell = WriteOnlyCell(sheet, value=value)
        if money:
            cell.number_format = KES_FORMAT
        return cell
    return _text(sheet, str(value))
