"""In the interface: a payment dated before its invoice is refused naming both dates, and
books on read-only storage are shown, said to be read-only, and never changed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from ledger.base.dates import FixedClock, format_date
from ledger.billing.status import get_invoice, list_invoices
from ledger.books import Books
from ledger.store.db import open_database
from tests.factories import NOW
from tests.tui.pilot import drive, notifications, settle


async def _pay(pilot: Pilot[Any], invoice_id: int, day: str) -> str:
    """Open the invoice, pay what is open on ``day`` in the payment dialog: the
    notifications shown."""
    from tui.screens.invoice_page import InvoiceScreen

    await settle(pilot)
    await pilot.app.push_screen(InvoiceScreen(invoice_id))
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    pilot.app.screen.query_one("#field-date", Input).value = day
    await pilot.press("ctrl+s")
    await settle(pilot)
    return notifications(pilot)


@pytest.mark.slow
def test_a_payment_before_its_invoice_is_refused_in_dutch(demo_books: Books,
                                                          make_tui: Any) -> None:
    overdue = list_invoices(demo_books, status="overdue")[0]
    assert overdue.date is not None

    async def scenario(pilot: Pilot[Any]) -> str:
        return await _pay(pilot, overdue.id, "01-01-2001")

    shown = drive(make_tui(demo_books), scenario)
    assert (f"datum: de betaaldatum 1 januari 2001 ligt vóór de factuurdatum "
            f"{format_date(overdue.date)} van {overdue.number}") in shown
    assert get_invoice(demo_books, overdue.number or "").open == overdue.open


@pytest.mark.slow
def test_read_only_books_are_shown_and_not_changed(demo_template: Path, tmp_path: Path,
                                                   make_tui: Any) -> None:
    path = tmp_path / "books.sqlite3"
    shutil.copyfile(demo_template, path)
    before = path.read_bytes()
    books = Books(open_database(str(path), read_only=True), FixedClock(NOW), "test")
    try:
        overdue = list_invoices(books, status="overdue")[0]

        async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
            await settle(pilot)
            opened = notifications(pilot)
            return opened, await _pay(pilot, overdue.id, format_date(NOW.date(), "nl", "short"))

        opened, paid = drive(make_tui(books), scenario)
    finally:
        books.close()
    assert "Alleen-lezen" in opened
    assert ("De administratie staat op alleen-lezen opslag (alleen om te lezen geopend): u kunt "
            "alles bekijken, maar niets wijzigen") in opened
    assert ("database: de administratie staat op alleen-lezen opslag (alleen om te lezen "
            "geopend); ze kan worden gelezen maar niet gewijzigd, en er is niets veranderd") in paid
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("books")) == [
        "books.sqlite3"]
