"""Private notes from a client's page, by keys only: p shows them (newest first, a
session's note with its session), a adds one, Enter changes it, d deletes another after
asking; an empty note is refused under the field. What is stored is checked in the books,
and no other screen shows a note's text."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.pilot import Pilot

from ledger.base.dates import FixedClock
from ledger.books import Books
from ledger.practice.catalogue import list_treatments
from ledger.practice.clients import add_note, client_notes, list_clients
from tests.factories import TODAY, record_session
from tests.tui.pilot import drive, notifications, paste_text, screen_text, settle


def test_add_change_and_delete_notes_by_keys(demo_books: Books, make_tui: Any) -> None:
    client = list_clients(demo_books)[0]  # the first line of the client list
    clock = demo_books.clock
    assert isinstance(clock, FixedClock)
    now = clock.now()
    clock.set(now - timedelta(days=30))
    add_note(demo_books, client.id, "Knie rechts: niet te diep")
    clock.set(now - timedelta(days=7))
    treatment = list_treatments(demo_books)[0]
    record_session(demo_books, client.id, treatment.id, on=TODAY - timedelta(days=7),
                   notes="Hiel links gevoelig")
    clock.set(now)
    older, of_session = sorted(client_notes(demo_books, client.id), key=lambda n: n.id)

    async def scenario(pilot: Pilot[Any]) -> dict[str, str]:
        seen: dict[str, str] = {}
        await pilot.press("2", "enter")
        await settle(pilot)
        seen["page"] = screen_text(pilot)
        await pilot.press("p")
        await settle(pilot)
        seen["list"] = screen_text(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")  # an empty note is refused under its field
        await settle(pilot)
        seen["empty"] = screen_text(pilot)
        await paste_text(pilot, "Loopt marathon in april")
        await pilot.press("enter")
        await settle(pilot)
        seen["added"] = screen_text(pilot) + notifications(pilot)
        await pilot.press("enter")  # the new note is on top, under the cursor
        await settle(pilot)
        await pilot.press("end")
        await paste_text(pilot, ", schema aanpassen")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("down", "down", "d")  # the oldest note
        await settle(pilot)
        seen["confirm"] = screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        seen["after"] = screen_text(pilot) + notifications(pilot)
        await pilot.press("escape")
        await settle(pilot)
        seen["back"] = type(pilot.app.screen).__name__
        return seen

    seen = drive(make_tui(demo_books), scenario)

    assert "Hiel" not in seen["page"] and "Knie" not in seen["page"]  # only behind p
    assert f"Privénotities van {client.name}" in seen["list"] and "2 notities" in seen["list"]
    rows = [line for line in seen["list"].splitlines() if " | " in line]
    assert rows[0].startswith("17-11-2026 | 17-11-2026") and "Hiel links gevoelig" in rows[0]
    assert rows[1].startswith("25-10-2026 |  |") and "Knie rechts" in rows[1]
    assert "is verplicht" in seen["empty"]
    assert "Privénotitie bewaard." in seen["added"]
    assert "Deze privénotitie verwijderen?" in seen["confirm"] and "Knie" in seen["confirm"]
    assert "Privénotitie verwijderd." in seen["after"] and "Knie" not in seen["after"]
    assert seen["back"] == "ClientScreen"

    notes = client_notes(demo_books, client.id)
    assert [n.text for n in notes] == ["Loopt marathon in april, schema aanpassen",
                                      "Hiel links gevoelig"]
    assert notes[0].session_id is None and notes[0].written_at == now
    assert notes[1].id == of_session.id and notes[1].session_id is not None
    assert older.id not in {n.id for n in notes}
