"""Correcting, moving and deleting a session from the client's page and the overview;
a session after today cannot be given; an invoiced one leads to its invoice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.pilot import Pilot

from ledger.billing.sessions import create_invoice, list_sessions
from ledger.books import Books
from ledger.practice.clients import list_clients
from tests.factories import TODAY, record_session
from tests.tui.pilot import drive, notifications, screen_text, settle, type_text


async def _to_sessions_of_first_client(pilot: Pilot[Any]) -> None:
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    for _ in range(6):
        if getattr(pilot.app.focused, "id", None) == "client-sessions":
            return
        await pilot.press("tab")
    raise AssertionError(f"the sessions table never had the focus: {pilot.app.focused}")


async def _replace(pilot: Pilot[Any], field: str, text: str) -> None:
    for _ in range(12):
        if getattr(pilot.app.focused, "id", None) == f"field-{field}":
            break
        await pilot.press("tab")
    await pilot.press("end", *["backspace"] * 20)
    await type_text(pilot, text)


def test_correct_then_delete_from_the_clients_page(demo_books: Books, make_tui: Any) -> None:
    client = list_clients(demo_books)[0]
    s = record_session(demo_books, client.id, 1, TODAY, package="none").session

    async def scenario(pilot: Pilot[Any]) -> tuple[str, int, str]:
        await _to_sessions_of_first_client(pilot)
        await pilot.press("enter")  # the newest session: today's
        await settle(pilot)
        await _replace(pilot, "price", "55")
        await _replace(pilot, "date", day_typed(TODAY + timedelta(days=1)))
        await pilot.press("ctrl+s")
        await settle(pilot)
        refused = notifications(pilot)
        await _replace(pilot, "date", day_typed(TODAY - timedelta(days=1)))
        await pilot.press("ctrl+s")
        await settle(pilot)
        changed = next(x for x in list_sessions(demo_books, client.id) if x.id == s.id)
        await pilot.press("enter")  # the page again; the changed session is the newest
        await settle(pilot)
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("enter")  # "Delete session"
        await settle(pilot)
        return refused, changed.price, changed.date.isoformat()

    refused, price, when = drive(make_tui(demo_books), scenario)
    assert "een sessie na vandaag kan nog niet gegeven zijn" in refused
    assert (price, when) == (5500, (TODAY - timedelta(days=1)).isoformat())
    assert all(x.id != s.id for x in list_sessions(demo_books, client.id))


def day_typed(d: Any) -> str:
    return d.strftime("%d-%m-%Y")


def test_an_invoiced_session_leads_to_its_invoice(demo_books: Books, make_tui: Any) -> None:
    client = list_clients(demo_books)[0]
    s = record_session(demo_books, client.id, 1, TODAY, package="none").session
    draft = create_invoice(demo_books, client.id, [s.id])

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        await pilot.press("1")  # the overview: this week's sessions
        await settle(pilot)
        table = pilot.app.screen.query_one("#home-sessions")
        table.focus()
        rows = [str(k.value) for k in table.rows]
        table.move_cursor(row=rows.index(f"c{client.id}s{s.id}"))
        await pilot.press("enter")
        await settle(pilot)
        said = screen_text(pilot)
        await pilot.press("enter")  # "Open the invoice"
        await settle(pilot)
        return said, type(pilot.app.screen).__name__

    said, screen = drive(make_tui(demo_books), scenario)
    assert "concept" in said.lower()
    assert screen == "InvoiceScreen"
    assert [x.invoice_id for x in list_sessions(demo_books, client.id) if x.id == s.id] == [
        draft.id]
