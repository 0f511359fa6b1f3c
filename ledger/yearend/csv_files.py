"""Writing the export's tables as an XLSX workbook and as CSV (Dutch Excel and plain ISO).

Numbers stay numbers and dates stay dates (with number formats), so the bookkeeper can
add them up. Text never runs as a formula: a text cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading apostrophe (in the CSV files and
the workbook alike), and the workbook writes every text as an explicit string cell.
Amounts are written from ``Decimal`` euros, never from floats. The same tables give the
same bytes: fixed document properties and zip timestamps, no "now" anywhere.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ledger.base.money import to_decimal
from ledger.yearend.tables import Column, Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text that a spreadsheet cannot take for a formula (OWASP CSV injection advice)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _decimal_text(value: Decimal, comma: bool) -> str:
    text = f"{value:f}"
    return text.replace(".", ",") if comma else text


def csv_cell(value: Any, column: Column, *, dutch: bool) -> str:
    """One value as CSV text: ``1234,56`` and ``24-11-2026`` (Dutch) or ``1234.56`` and
    ``2026-11-24`` (ISO)."""
    if value is None:
        return ""
    value = column.shown(value, dutch=dutch)
    if column.kind == "money":
        return _decimal_text(to_decimal(value), dutch)
    if column.kind in ("rate", "decimal"):
        return _decimal_text(Decimal(value), dutch)
    if column.kind == "int":
        return str(int(value))
    if column.kind == "date":
        return value.strftime("%d-%m-%Y") if dutch else value.isoformat()
    return neutralise(str(value))


def csv_bytes(table: Table, *, dutch: bool) -> bytes:
    """The table as CSV: Dutch = UTF-8 with BOM, ``;``, decimal comma, dd-mm-yyyy;
    ISO = UTF-8, ``,``, decimal point, yyyy-mm-dd. Lines end in CRLF (RFC 4180)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";" if dutch else ",", lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(c.title if dutch else c.key) for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(v, c, dutch=dutch)
                         for v, c in zip(row, table.columns, strict=True)])
    text = buffer.getvalue()
    return ("\ufeff" + text).encode("utf-8") if dutch else text.encode("utf-8")


def xlsx_bytes(tables: Sequence[Table], *, title: str, author: str, created: datetime) -> bytes:
    """The tables as one workbook, a sheet each, with a header row and number formats."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_numbers": False,
                                            "strings_to_urls": False})
    workbook.set_properties({"title": title, "author": author, "created": created,
                             "comments": "solebook"})
    header = workbook.add_format({"bold": True, "bottom": 1})
    formats = {
        "money": workbook.add_format({"num_format": "#,##0.00;[Red]-#,##0.00"}),
        "date": workbook.add_format({"num_format": "dd-mm-yyyy"}),
        "int": workbook.add_format({"num_format": "0"}),
        "rate": workbook.add_format({"num_format": "0.##"}),
        "decimal": workbook.add_format({"num_format": "#,##0.##"}),
        "text": workbook.add_format({}),
    }
    for table in tables:
        sheet = workbook.add_worksheet(table.title[:31])
        widths = [max(10, min(len(c.title) + 2, 40)) for c in table.columns]
        for col, column in enumerate(table.columns):
            sheet.write_string(0, col, neutralise(column.title), header)
        for r, row in enumerate(table.rows, start=1):
            for col, (code, column) in enumerate(zip(row, table.columns, strict=True)):
                value = column.shown(code, dutch=True)  # the workbook is Dutch
                _write(sheet, r, col, value, column, formats)
                if column.kind == "text" and value:
                    widths[col] = max(widths[col], min(len(str(value)) + 2, 60))
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def _write(sheet: Any, row: int, col: int, value: Any, column: Column,
           formats: dict[str, Any]) -> None:
    if value is None:
        sheet.write_blank(row, col, None, formats[column.kind])
    elif column.kind == "money":
        sheet.write_number(row, col, to_decimal(value), formats["money"])
    elif column.kind in ("rate", "decimal", "int"):
        sheet.write_number(row, col, Decimal(value), formats[column.kind])
    elif column.kind == "date":
        moment = datetime(value.year, value.month, value.day) if isinstance(value, date) \
            else value
        sheet.write_datetime(row, col, moment, formats["date"])
    else:
        sheet.write_string(row, col, neutralise(str(value)), formats["text"])
