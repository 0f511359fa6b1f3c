"""A second therapist joins, by keys only and in Dutch: Settings, ctrl+g, a; a mistyped AGB
code is refused under its field; then w makes her the one working, her session is hers,
and the year per therapist (Year, t) shows her figures beside the practice's."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from ledger.books import Books
from ledger.practice.therapists import list_therapists, working_therapist_info
from tests.tui.pilot import drive, notifications, screen_text, settle, type_text


@pytest.mark.slow
def test_a_second_therapist_joins_and_works(demo_books: Books, make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> tuple[str, str, str, str]:
        for key in ("6", "ctrl+g", "a"):
            await pilot.press(key)
            await settle(pilot)
        await type_text(pilot, "Anna Jansen")
        await pilot.press("tab")
        await type_text(pilot, "12")
        await pilot.press("ctrl+s")
        await settle(pilot)
        refused = screen_text(pilot)
        for _ in range(2):
            await pilot.press("backspace")
        await type_text(pilot, "90111111")
        await pilot.press("ctrl+s")
        await settle(pilot)
        listed = screen_text(pilot)
        await pilot.press("down", "w")
        await settle(pilot)
        told = notifications(pilot)
        await pilot.press("escape", "5")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        return refused, listed, told, screen_text(pilot)

    refused, listed, told, year = drive(make_tui(demo_books), scenario)
    assert "12 is geen AGB-code (8 cijfers)" in refused
    anna = [t for t in list_therapists(demo_books) if t.name == "Anna Jansen"]
    assert len(anna) == 1 and anna[0].agb_code == "90111111"
    assert "Anna Jansen" in listed and "90111111" in listed
    assert "Anna Jansen werkt vanaf nu." in told
    assert working_therapist_info(demo_books).id == anna[0].id
    assert "Het jaar 2026 per therapeut" in year and "Anna Jansen" in year
    assert "Praktijk totaal" in year


@pytest.mark.slow
def test_the_therapist_chosen_for_the_run_is_named_and_a_session_changes_hands(
        demo_books: Books, make_tui: Any) -> None:
    """``solebook --therapist 2`` opens the interface with Anna working (the overview names
    her, as the practice has two therapists); a session of the practice's own therapist is
    given to Anna in the session form."""
    from ledger.billing.sessions import list_sessions
    from ledger.practice.clients import list_clients
    from ledger.practice.therapists import add_therapist, choose_working
    from tests.factories import TODAY, record_session

    client = list_clients(demo_books)[0]
    s = record_session(demo_books, client.id, 1, TODAY, package="none").session
    anna = add_therapist(demo_books, {"name": "Anna Jansen", "agb_code": "90111111"})
    choose_working(demo_books, anna.id)  # what tui.entry does with --therapist

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        await pilot.press("1")
        await settle(pilot)
        overview = screen_text(pilot)
        table = pilot.app.screen.query_one("#home-sessions")
        table.focus()
        table.move_cursor(row=[str(k.value) for k in table.rows].index(
            f"c{client.id}s{s.id}"))
        await pilot.press("enter")
        await settle(pilot)
        shown = pilot.app.screen.form.field("therapist").value
        for _ in range(12):
            if getattr(pilot.app.focused, "id", None) == "field-therapist":
                break
            await pilot.press("tab")
        await pilot.press("enter", "down", "enter", "ctrl+s")
        await settle(pilot)
        return overview, shown

    overview, shown = drive(make_tui(demo_books), scenario)
    assert "aan het werk: Anna Jansen" in overview
    assert shown == str(s.therapist_id) != str(anna.id)
    changed = next(x for x in list_sessions(demo_books, client.id) if x.id == s.id)
    assert changed.therapist_id == anna.id


@pytest.mark.slow
def test_the_audit_log_names_the_database_role(demo_books: Books, make_tui: Any) -> None:
    """On PostgreSQL every entry names its role (a trigger writes it); such an entry here
    brings the column "Databaserol"; a log without roles (SQLite) has no such column."""
    from datetime import datetime

    from ledger.store.models import AuditEntry

    async def scenario(pilot: Pilot[Any]) -> str:
        for key in ("6", "ctrl+l"):
            await pilot.press(key)
            await settle(pilot)
        table = pilot.app.screen.query_one("#audit-list")
        headings = " | ".join(str(c.label) for c in table.columns.values())
        return headings + "\n" + screen_text(pilot)

    assert "Databaserol" not in drive(make_tui(demo_books), scenario)
    with demo_books.db.write() as session:
        session.add(AuditEntry(at=datetime(2026, 11, 24, 10, 0), interface="cli",
                               action="update", entity="client", entity_id="1",
                               before="{}", after="{}", db_role="t_anna"))
    shown = drive(make_tui(demo_books), scenario)
    assert "Databaserol" in shown and "t_anna" in shown
