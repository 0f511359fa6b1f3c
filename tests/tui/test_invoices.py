"""Invoices in the app: issue a draft made from unbilled sessions (with the confirmation
that says issuing is final), register a payment, make a credit note, open the PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from invoices.archive import file_name
from ledger.billing.lists import unbilled_by_client
from ledger.billing.sessions import list_sessions
from ledger.billing.status import get_invoice, list_invoices
from ledger.books import Books
from tests.factories import TODAY
from tests.tui.pilot import drive, notifications, screen_text, settle, type_text


async def open_invoice(pilot: Pilot[Any], invoice_id: int) -> None:
    from tui.screens.invoice_page import InvoiceScreen

    await pilot.app.push_screen(InvoiceScreen(invoice_id))
    await settle(pilot)


def test_issue_an_invoice_from_unbilled_sessions(demo_books: Books, make_tui: Any) -> None:
    waiting = unbilled_by_client(demo_books)[0]
    sessions = list_sessions(demo_books, waiting.client_id, unbilled=True)

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str, str]:
        await pilot.press("4", "d")
        await settle(pilot)
        await type_text(pilot, waiting.client_name)
        await pilot.press("enter")
        await settle(pilot)
        draft = screen_text(pilot)
        await pilot.press("i")
        await settle(pilot)
        question = screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        return draft, question, screen_text(pilot) + notifications(pilot)

    draft, question, issued = drive(make_tui(demo_books), scenario)
    assert "Conceptfactuur #" in draft and waiting.client_name in draft
    assert "Uitgeven is definitief" in question
    invoice = list_invoices(demo_books, client_id=waiting.client_id, newest_first=True)[0]
    assert invoice.number is not None and invoice.date == TODAY
    assert invoice.total == waiting.amount
    assert {line.session_id for line in invoice.lines} == {s.id for s in sessions}
    assert not list_sessions(demo_books, waiting.client_id, unbilled=True)
    assert f"Factuur {invoice.number}" in issued
    archived = demo_books.db.data_dir / "documents" / "2026" / file_name(invoice)
    assert archived.is_file(), issued


def test_register_a_payment(demo_books: Books, make_tui: Any) -> None:
    overdue = list_invoices(demo_books, status="overdue")[0]

    async def scenario(pilot: Pilot[Any]) -> str:
        await open_invoice(pilot, overdue.id)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("ctrl+s")  # the open amount and today are filled in
        await settle(pilot)
        return screen_text(pilot) + notifications(pilot)

    shown = drive(make_tui(demo_books), scenario)
    after = get_invoice(demo_books, overdue.number or "")
    assert after.status == "paid" and after.open == 0
    assert [(p.date, p.amount, p.method) for p in after.payments][-1] == (
        TODAY, overdue.open, "bank")
    assert "Status: betaald" in shown
    assert "Betaling geboekt; nu open € 0,00." in shown


def test_make_a_credit_note(demo_books: Books, make_tui: Any) -> None:
    original = list_invoices(demo_books, status="overdue")[0]

    async def scenario(pilot: Pilot[Any]) -> str:
        await open_invoice(pilot, original.id)
        await pilot.press("c")  # every line ticked
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        question = screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        return question + notifications(pilot)

    shown = drive(make_tui(demo_books), scenario)
    after = get_invoice(demo_books, original.number or "")
    assert after.status == "credited" and len(after.credit_numbers) == 1
    credit = get_invoice(demo_books, after.credit_numbers[0])
    assert (credit.kind, credit.credit_of_number, credit.total) == (
        "credit", original.number, -original.total)
    assert f"Creditfactuur {credit.number} gemaakt" in shown


def test_open_the_pdf_in_the_viewer(demo_books: Books, make_tui: Any,
                                    opened: list[Path]) -> None:
    invoice = list_invoices(demo_books, include_drafts=False)[0]

    async def scenario(pilot: Pilot[Any]) -> None:
        await open_invoice(pilot, invoice.id)
        await pilot.press("o")
        await settle(pilot)

    drive(make_tui(demo_books), scenario)
    assert [p.name for p in opened] == [file_name(invoice)]
    assert opened[0].read_bytes().startswith(b"%PDF")
