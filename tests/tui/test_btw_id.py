"""The btw-id in the app: the first-start form asks for it when invoices charge VAT (and
judges it with the books' own parser); issuing a VAT invoice without it is refused with a
notification that says where to fill it in, and nothing is stored. Keys only."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from ledger.billing.lists import unbilled_by_client
from ledger.billing.status import list_invoices
from ledger.books import Books
from ledger.practice.profile import get_practice, update_practice
from tests.tui.pilot import drive, notifications, paste_text, screen_text, settle, type_text


async def _clear(pilot: Pilot[Any], count: int) -> None:
    for _ in range(count):
        await pilot.press("backspace")


def test_the_set_up_form_asks_for_the_btw_id(books: Books, make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> tuple[str, str, str]:
        await paste_text(pilot, "Praktijk Voetpunt")
        for _ in range(8):  # name, your name, address, postcode, city, KvK, IBAN, VAT: btw-id
            await pilot.press("tab")
        await pilot.press("ctrl+s")  # VAT is charged, so the btw-id is required
        await settle(pilot)
        missing = screen_text(pilot) + notifications(pilot)
        await type_text(pilot, "NL12345")
        await pilot.press("ctrl+s")
        await settle(pilot)
        wrong = screen_text(pilot)
        assert get_practice(books).name == ""  # refused: nothing half-written
        await _clear(pilot, len("NL12345"))
        await paste_text(pilot, "NL000099998B57")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return missing, wrong, screen_text(pilot)

    missing, wrong, home = drive(make_tui(books), scenario)
    assert "Btw-id (staat op elke factuur)\nis verplicht" in missing, missing
    problem = wrong.split("Btw-id (staat op elke factuur)\n", 1)[1].splitlines()[0]
    assert problem.strip() and problem != "is verplicht", wrong  # the books' parser says why
    assert "Welkom bij solebook" in wrong  # still on the form, nothing stored
    practice = get_practice(books)
    assert (practice.name, practice.vat_regime, practice.vat_id) == (
        "Praktijk Voetpunt", "standard", "NL000099998B57")
    assert "Praktijk Voetpunt" in home


def test_without_vat_the_set_up_form_does_not_ask(books: Books, make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> str:
        await paste_text(pilot, "Praktijk Voetpunt")
        for _ in range(7):  # to the VAT regime
            await pilot.press("tab")
        await pilot.press("enter", "down", "enter")  # standard -> exempt (vrijgesteld)
        await settle(pilot)
        form = screen_text(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        return form

    form = drive(make_tui(books), scenario)
    practice = get_practice(books)
    assert practice.name == "Praktijk Voetpunt", form
    assert practice.vat_regime != "standard" and practice.vat_id == ""


def test_issuing_a_vat_invoice_without_btw_id_is_refused(demo_books: Books,
                                                         make_tui: Any) -> None:
    update_practice(demo_books, {"vat_id": ""})
    waiting = unbilled_by_client(demo_books)[0]
    issued_before = len(list_invoices(demo_books, include_drafts=False))

    async def scenario(pilot: Pilot[Any]) -> str:
        await pilot.press("4", "d")
        await settle(pilot)
        await type_text(pilot, waiting.client_name)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        return screen_text(pilot) + notifications(pilot)

    shown = drive(make_tui(demo_books), scenario)
    assert "btw-id" in shown and "Instellingen" in shown, shown
    assert "Traceback" not in shown
    assert len(list_invoices(demo_books, include_drafts=False)) == issued_before
    draft = list_invoices(demo_books, client_id=waiting.client_id, newest_first=True)[0]
    assert draft.number is None  # still a draft: nothing was issued
