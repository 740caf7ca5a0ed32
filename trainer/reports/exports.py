"""Report tables as CSV and XLSX files, written so that no cell ever runs as a formula.

A ``Table`` is a header and rows of typed cells (text, numbers, booleans, dates, empty),
built from the dataclasses the query functions return (``table``), so the file holds
exactly what the screen shows.

- Text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read
  as a formula by Excel or LibreOffice. In CSV it is written after an apostrophe
  (``'=HYPERLINK(...)``), which both show as text. In XLSX it is written with
  ``write_string``, which never makes a formula, in a cell marked "quote prefix", so that
  editing the cell keeps it text too.
- Numbers stay numbers: a negative learning gain is written as -12.5, never as text.
- CSV is UTF-8 with a byte-order mark, so Excel shows accents, with CRLF line ends.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import xlsxwriter

Cell = str | int | float | bool | date | datetime | None

# What spreadsheets read as the start of a formula (OWASP's "CSV injection" list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel refuses these in sheet names, and names longer than 31 characters.
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_XLSX_MAX_TEXT = 32_767


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def table(title: str, records: Iterable[object], columns: Sequence[tuple[str, str]]) -> Table:
    """A table of ``records`` (dataclasses): one column per (attribute, header) pair."""
    return Table(
        title=title,
        header=tuple(header for _attribute, header in columns),
        rows=tuple(
            tuple(getattr(record, attribute) for attribute, _header in columns)
            for record in records
        ),
    )


def neutralised(text: str) -> str:
    """``text`` as it is safe to write in a CSV cell: an apostrophe before a formula start."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(report: Table) -> bytes:
    """The table as CSV: UTF-8 with a BOM, header first, CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(cell) for cell in report.header])
    for row in report.rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(report: Table) -> bytes:
    """The table as an XLSX workbook of one sheet, header in bold and frozen."""
    return workbook_bytes([report])


def workbook_bytes(reports: Sequence[Table]) -> bytes:
    """The tables as an XLSX workbook, one sheet each (names made unique), headers in bold
    and frozen."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output,
        {
            "in_memory": True,
            # Explicit writers below; these keep write() from guessing, should anyone use it.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    formats = {
        "header": workbook.add_format({"bold": True}),
        "quoted": workbook.add_format({"quote_prefix": True}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
    }
    used: set[str] = set()
    for report in reports:
        sheet = workbook.add_worksheet(_unique(sheet_name(report.title), used))
        for column, text in enumerate(report.header):
            _write_text(sheet, 0, column, text, formats, formats["header"])
        for row_number, row in enumerate(report.rows, start=1):
            for column, cell in enumerate(row):
                _write_cell(sheet, row_number, column, cell, formats)
        sheet.freeze_panes(1, 0)
    workbook.close()
    return output.getvalue()


def sheet_name(title: str) -> str:
    name = _SHEET_NAME_BAD.sub(" ", title).strip().strip("'")[:31].strip()
    return name or "Report"


def _unique(name: str, used: set[str]) -> str:
    """``name``, or with " (2)", " (3)"... within 31 characters when a sheet has it (Excel
    compares sheet names without case)."""
    candidate, number = name, 1
    while candidate.lower() in used:
        number += 1
        suffix = f" ({number})"
        candidate = name[: 31 - len(suffix)] + suffix
    used.add(candidate.lower())
    return candidate


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, int | float):
        return _number_text(cell)
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return neutralised(str(cell))


def _number_text(number: int | float) -> str:
    if isinstance(number, float) and not math.isfinite(number):
        return ""
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


def _write_cell(sheet, row: int, column: int, cell: Cell, formats: dict) -> None:
    if cell is None:
        return
    if isinstance(cell, bool):
        sheet.write_boolean(row, column, cell)
    elif isinstance(cell, int | float):
        if math.isfinite(cell):
            sheet.write_number(row, column, cell)
    elif isinstance(cell, datetime):
        # Excel has no time zones: the UTC wall time, without its offset.
        utc = cell.astimezone(UTC) if cell.tzinfo else cell
        sheet.write_datetime(row, column, utc.replace(tzinfo=None), formats["datetime"])
    elif isinstance(cell, date):
        sheet.write_datetime(
            row, column, datetime(cell.year, cell.month, cell.day), formats["date"]
        )
    else:
        _write_text(sheet, row, column, str(cell), formats)


def _write_text(sheet, row: int, column: int, text: str, formats: dict, style=None) -> None:
    if text.startswith(FORMULA_STARTS):
        style = formats["quoted"]
    sheet.write_string(row, column, text[:_XLSX_MAX_TEXT], style)
