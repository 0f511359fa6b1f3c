"""The rest of an invoice's working day, keys only: the refund after crediting a paid
invoice, a credit note for chosen lines, a line typed on a draft and taken off again, the
draft's preview PDF, and dialogs that forgive (Enter submits, Escape cancels, the footer
shows the dialog's keys, "discard?" keeps the work on Enter)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Footer

from ledger.billing.documents import archived_documents
from ledger.billing.lists import unbilled_by_client
from ledger.billing.sessions import create_invoice
from ledger.billing.status import get_invoice, list_invoices
from ledger.books import Books
from tests.factories import TODAY
from tests.invoices.pdftools import text
from tests.tui.pilot import drive, notifications, screen_text, settle, type_text
from tests.tui.test_invoices import open_invoice


def active_actions(pilot: Pilot[Any]) -> set[str]:
    return {b.binding.action for b in pilot.app.screen.active_bindings.values()}


def test_refund_after_crediting_a_paid_invoice(demo_books: Books, make_tui: Any) -> None:
    paid = next(i for i in list_invoices(demo_books, status="paid") if i.kind == "invoice")

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        await open_invoice(pilot, paid.id)
        await pilot.press("c")  # every line ticked
        await settle(pilot)
        await pilot.press("enter", "enter")  # continue, make the credit note
        await settle(pilot)
        owed = screen_text(pilot)
        await pilot.press("b")  # the refund, the amount owed back filled in
        await settle(pilot)
        dialog = screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        return owed, dialog + screen_text(pilot) + notifications(pilot)

    owed, shown = drive(make_tui(demo_books), scenario)
    after = get_invoice(demo_books, paid.number or "")
    assert after.status == "credited" and after.open == 0 and after.paid == 0
    assert [(p.date, p.amount) for p in after.payments][-1] == (TODAY, -paid.total)
    amount = f"€ {paid.total // 100},{paid.total % 100:02d}"
    assert f"{amount} terug te betalen" in owed
    assert f"Terugbetaling op {paid.number}" in shown
    assert "Terugbetaling geboekt; nu open € 0,00." in shown


def test_a_refund_is_never_more_than_is_owed_back(demo_books: Books, make_tui: Any) -> None:
    paid = next(i for i in list_invoices(demo_books, status="paid") if i.kind == "invoice")

    async def scenario(pilot: Pilot[Any]) -> str:
        await open_invoice(pilot, paid.id)
        await pilot.press("c", "enter", "enter")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "9999")
        await pilot.press("enter")
        await settle(pilot)
        return notifications(pilot)

    shown = drive(make_tui(demo_books), scenario)
    after = get_invoice(demo_books, paid.number or "")
    assert [p.amount for p in after.payments] == [p.amount for p in paid.payments]
    assert "meer dan er terugbetaald moet worden" in shown


def test_credit_only_the_chosen_lines(demo_books: Books, make_tui: Any) -> None:
    original = next(i for i in list_invoices(demo_books, include_drafts=False)
                    if i.kind == "invoice" and len(i.lines) >= 3 and not i.credit_numbers)

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        await open_invoice(pilot, original.id)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("down", "space")  # untick line 2
        await pilot.press("enter")
        await settle(pilot)
        question = screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        after = get_invoice(demo_books, original.number or "")
        credit = get_invoice(demo_books, after.credit_numbers[0])
        await open_invoice(pilot, credit.id)
        return question, screen_text(pilot)

    question, credit_screen = drive(make_tui(demo_books), scenario)
    after = get_invoice(demo_books, original.number or "")
    [number] = after.credit_numbers
    credit = get_invoice(demo_books, number)
    chosen = [line for line in original.lines if line.position != 2]
    assert [line.credited_line_id for line in credit.lines] == [line.id for line in chosen]
    assert credit.total == -sum(line.gross for line in chosen)
    assert f"1. {chosen[0].description}" in question and "\n  2. " not in question
    assert f"3. {chosen[1].description}" in question
    assert f"Creditfactuur {number} voor {original.number}" in credit_screen
    assert "Creditnota" not in credit_screen and "vervalt" not in credit_screen


def test_a_line_typed_on_a_draft_and_removed_again(demo_books: Books, make_tui: Any) -> None:
    waiting = unbilled_by_client(demo_books)[0]
    draft = create_invoice(demo_books, waiting.client_id)

    async def scenario(pilot: Pilot[Any]) -> tuple[int, str]:
        await open_invoice(pilot, draft.id)
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Reiskosten")
        await pilot.press("tab")
        await type_text(pilot, "12,50")
        await pilot.press("enter")
        await settle(pilot)
        added = get_invoice(demo_books, f"#{draft.id}")
        await pilot.press(*["down"] * len(draft.lines))  # the new, last line
        await pilot.press("r")
        await settle(pilot)
        question = screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        return len(added.lines), question + str(added.lines[-1])

    count, shown = drive(make_tui(demo_books), scenario)
    assert count == len(draft.lines) + 1
    assert "Reiskosten" in shown and "gross=1250" in shown
    after = get_invoice(demo_books, f"#{draft.id}")
    assert after.number is None
    assert [(line.description, line.position) for line in after.lines] == [
        (line.description, line.position) for line in draft.lines]
    assert after.total == draft.total


def test_preview_a_draft(demo_books: Books, make_tui: Any, opened: list[Path]) -> None:
    waiting = unbilled_by_client(demo_books)[0]
    draft = create_invoice(demo_books, waiting.client_id)
    before = len(archived_documents(demo_books))

    async def scenario(pilot: Pilot[Any]) -> None:
        await open_invoice(pilot, draft.id)
        await pilot.press("o")
        await settle(pilot)

    drive(make_tui(demo_books), scenario)
    assert [p.name for p in opened] == [f"concept-{draft.id}.pdf"]
    content = text(opened[0].read_bytes())
    title = {"nl": "Conceptfactuur", "en": "Draft invoice"}[draft.language]
    assert title in content and waiting.client_name in content
    assert get_invoice(demo_books, f"#{draft.id}").number is None
    assert len(archived_documents(demo_books)) == before
    assert "documents" not in opened[0].parts


def test_enter_submits_the_payment_dialog_with_its_own_footer(demo_books: Books,
                                                              make_tui: Any) -> None:
    overdue = list_invoices(demo_books, status="overdue")[0]

    async def scenario(pilot: Pilot[Any]) -> tuple[set[str], int]:
        await open_invoice(pilot, overdue.id)
        await pilot.press("b")
        await settle(pilot)
        keys = active_actions(pilot)
        footers = len(pilot.app.screen.query(Footer))
        await pilot.press("enter")  # in the amount field: register it
        await settle(pilot)
        return keys, footers

    keys, footers = drive(make_tui(demo_books), scenario)
    assert footers == 1 and "save" in keys
    assert not keys & {"payment", "credit", "issue", "refund"}  # not the screen behind
    after = get_invoice(demo_books, overdue.number or "")
    assert after.status == "paid" and after.payments[-1].amount == overdue.open


def test_discarding_changes_asks_and_enter_keeps_editing(demo_books: Books,
                                                         make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        await pilot.press("5", "c", "a")
        await settle(pilot)
        await type_text(pilot, "Massageolie")
        await pilot.press("escape")
        await settle(pilot)
        asked = type(pilot.app.screen).__name__
        await pilot.press("enter")  # the safe answer: keep editing
        await settle(pilot)
        return asked, type(pilot.app.screen).__name__

    asked, after = drive(make_tui(demo_books), scenario)
    assert (asked, after) == ("ConfirmDialog", "CostFormScreen")
