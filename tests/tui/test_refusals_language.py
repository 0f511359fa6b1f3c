"""Refusals from the books are shown in the interface's language: the reason under a form
field and the notification of a refused action (Dutch by default, English on request)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from ledger.base.money import format_money
from ledger.billing.status import get_invoice, list_invoices
from ledger.books import Books
from ledger.practice.profile import get_practice
from tests.tui.pilot import drive, notifications, settle


async def _pay(pilot: Pilot[Any], invoice_id: int, amount: str) -> tuple[str, str]:
    """Open the invoice, type ``amount`` into the payment dialog and save; what was shown
    under the amount field and as notifications."""
    from tui.screens.invoice_page import InvoiceScreen

    await pilot.app.push_screen(InvoiceScreen(invoice_id))
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    pilot.app.screen.query_one("#field-amount", Input).value = amount
    await pilot.press("ctrl+s")
    await settle(pilot)
    problems = "\n".join(str(w.render()) for w in pilot.app.screen.query(".problem"))
    return problems, notifications(pilot)


def test_a_typing_mistake_is_explained_under_the_field_in_dutch(
        demo_books: Books, make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> str:
        await pilot.press("6")
        await settle(pilot)
        pilot.app.screen.query_one("#field-iban", Input).value = "NL00 BANK 0000 0000 00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        return "\n".join(str(w.render()) for w in pilot.app.screen.query(".problem"))

    shown = drive(make_tui(demo_books), scenario)
    assert "NL00 BANK 0000 0000 00 is geen geldig IBAN (controleer op een tikfout)" in shown
    assert "not a valid" not in shown
    assert get_practice(demo_books).iban == "NL91ABNA0417164300"


def test_a_refused_payment_is_a_dutch_notification(demo_books: Books, make_tui: Any) -> None:
    overdue = list_invoices(demo_books, status="overdue")[0]
    too_much = overdue.open + 100

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        return await _pay(pilot, overdue.id, f"{too_much // 100},{too_much % 100:02d}")

    problems, shown = drive(make_tui(demo_books), scenario)
    assert problems.strip() == ""  # the amount itself is fine; the books refuse it
    assert (f"bedrag: meer dan er openstaat op {overdue.number} "
            f"({format_money(overdue.open)})") in shown
    assert "Niet gelukt" in shown and "more than is open" not in shown
    assert get_invoice(demo_books, overdue.number or "").open == overdue.open  # nothing booked


def test_the_same_refusals_in_english(demo_books: Books, make_tui: Any) -> None:
    overdue = list_invoices(demo_books, status="overdue")[0]
    too_much = overdue.open + 100

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str, str]:
        bad, _ = await _pay(pilot, overdue.id, "12,345")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        problems, shown = await _pay(pilot, overdue.id, f"{too_much // 100}.{too_much % 100:02d}")
        return bad, problems, shown

    bad, problems, shown = drive(make_tui(demo_books, language="en"), scenario)
    assert "12,345 has more than 2 decimals" in bad
    assert problems.strip() == ""
    assert f"amount: more than is open on {overdue.number} (" in shown
    assert "openstaat" not in shown
