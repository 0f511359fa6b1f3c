"""The one kilometre rule: every output's trip lines add up to its total.

Two trips at € 0,23 per km::

    12,5 km  x 0,23 = 2,875  -> € 2,88
    333,3 km x 0,23 = 76,659 -> € 76,66
    total of the lines          € 79,54   (the rounded sum of 79,534 would be € 79,53)
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber

from invoices.year_documents import PdfDocuments
from ledger.base.dates import FixedClock
from ledger.books import Books
from ledger.costs.entries import add_trip, list_trips, parse_km, trip_amount
from ledger.practice.profile import update_practice
from ledger.yearend.export import export_year
from ledger.yearend.figures import year_end
from tests.factories import NOW, PRACTICE
from tests.tui.test_cli_worked_example import Solebook

YEAR = 2026
LINES = [288, 7666]
TOTAL = 7954
KM_LABEL = "Zakelijke kilometers (vergoeding)"


def _cents(text: Any) -> int:
    return int((Decimal(str(text).replace(",", ".")) * 100).to_integral_exact())


def test_each_trip_is_rounded_and_the_total_is_the_sum_of_the_lines() -> None:
    assert [trip_amount(125, 23), trip_amount(3333, 23)] == LINES
    assert trip_amount(5, 1) == 1  # 0,5 cent rounds half up
    assert trip_amount(4, 1) == 0


def _trips(db: Path) -> None:
    books = Books.open(str(db), clock=FixedClock(NOW), interface="test")
    update_practice(books, dict(PRACTICE))
    add_trip(books, date(YEAR, 3, 2), parse_km("12,5"), "Utrecht - Zeist")
    add_trip(books, date(YEAR, 5, 9), parse_km("333,3"), "Cursus Groningen")
    assert [t.amount for t in list_trips(books, YEAR)] == LINES
    assert year_end(books, YEAR).km_amount == TOTAL
    books.close()


def _csv_rows(folder: Path, name: str, *, dutch: bool) -> list[dict[str, str]]:
    raw = (folder / ("csv-nl" if dutch else "csv") / f"{name}.csv").read_bytes()
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""),
                               delimiter=";" if dutch else ","))


def test_every_output_shows_lines_adding_to_the_total(tmp_path: Path) -> None:
    db = tmp_path / "books.sqlite3"
    _trips(db)
    report = Solebook(db).json("report", "year", str(YEAR))
    assert report["kilometres"] == {"km": "345.8", "amount": "79.54"}

    books = Books.open(str(db), clock=FixedClock(NOW), interface="test")
    try:
        result = export_year(books, YEAR, tmp_path / "out", documents=PdfDocuments(books))
    finally:
        books.close()
    folder = result.folder

    workbook = openpyxl.load_workbook(folder / f"{YEAR}-jaarcijfers.xlsx", read_only=True)
    trips = list(workbook["Kilometers"].iter_rows(values_only=True))
    amount = list(trips[0]).index("Vergoeding")
    assert [_cents(row[amount]) for row in trips[1:]] == LINES
    summary = {row[0]: row[1] for row in workbook[f"Samenvatting {YEAR}"].iter_rows(
        values_only=True)}
    assert _cents(summary[KM_LABEL]) == TOTAL == sum(LINES)

    for dutch, (amount_column, item, value) in (
            (True, ("Vergoeding", "Onderdeel", "Bedrag")),
            (False, ("amount", "item", "amount"))):
        lines = [_cents(r[amount_column]) for r in _csv_rows(folder, "kilometres", dutch=dutch)]
        assert lines == LINES
        totals = {r[item]: r[value] for r in _csv_rows(folder, "summary", dutch=dutch)}
        assert _cents(totals[KM_LABEL]) == sum(lines)

    with pdfplumber.open(folder / f"{YEAR}-jaarcijfers.pdf") as pdf:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert re.search(r"Zakelijke kilometers € 79,54", text), text
    assert "vergoeding € 79,54" in text and "€ 79,53" not in text
