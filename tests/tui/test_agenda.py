"""The agenda in the interface, by keys, in Dutch: book at the cursor (and an overlap
refused with the clashing appointment named), move an appointment, mark a passed one given
(the series redeemed), plan a series. The clock is Tuesday 24 November 2026, 10:00."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from textual.pilot import Pilot

from ledger.agenda.planning import agenda, plan_session
from ledger.billing.packages import get_package
from ledger.billing.sessions import list_sessions
from ledger.books import Books
from tests.factories import (
    TODAY,
    make_client,
    make_plan,
    make_treatment,
    record_session,
    sell_package,
)
from tests.tui.pilot import drive, notifications, screen_text, settle, type_text

WEDNESDAY = date(2026, 11, 25)


@pytest.fixture
def practice(demo_books: Books) -> dict[str, Any]:
    """Two runners, a treatment and a five-treatment series sold to Femke."""
    treatment = make_treatment(demo_books, "Voetreflex sport", "60,00")
    femke = make_client(demo_books, "Femke Zwartjes")
    joris = make_client(demo_books, "Joris Brinkhuis")
    plan = make_plan(demo_books, treatment.id, "Marathonreeks", sessions=5)
    package = sell_package(demo_books, femke.id, plan.id)
    return {"treatment": treatment, "femke": femke, "joris": joris, "package": package}


@pytest.mark.slow
def test_book_at_the_cursor_and_an_overlap_is_refused(demo_books: Books, make_tui: Any,
                                                      practice: dict[str, Any]) -> None:
    async def book(pilot: Pilot[Any], name: str) -> None:
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, name)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str, str]:
        await pilot.press("7", "right", "down", "down")  # Wednesday, 10:00
        await settle(pilot)
        await book(pilot, "Zwartjes")
        shown = screen_text(pilot)
        await pilot.press("down")  # 10:30: Femke is there until 11:00
        await book(pilot, "Brinkhuis")
        return shown, type(pilot.app.screen).__name__, notifications(pilot)

    shown, screen, told = drive(make_tui(demo_books), scenario)
    booked = [s for s in agenda(demo_books, WEDNESDAY, WEDNESDAY)]
    assert [(s.client_name, s.start_time, s.status) for s in booked] == [
        ("Femke Zwartjes", time(10, 0), "planned")]
    assert "10:00-11:00 Femke Zwartjes · Voetreflex sport · gepland" in shown, shown
    assert "Marathonreeks: 0 gebruikt, 1 gepland, 4 vrij." in told
    assert screen == "BookDialog"  # the refusal leaves the dialog open
    assert (f"overlapt met sessie {booked[0].id} (Femke Zwartjes, 10:00-11:00)" in told
            or f"sessie {booked[0].id} (Femke Zwartjes, 10:00-11:00)" in told), told


@pytest.mark.slow
def test_move_an_appointment(demo_books: Books, make_tui: Any,
                             practice: dict[str, Any]) -> None:
    planned = plan_session(demo_books, practice["joris"].id, practice["treatment"].id,
                           WEDNESDAY, time(9, 0)).session

    async def scenario(pilot: Pilot[Any]) -> str:
        await pilot.press("7", "right", "enter")  # Wednesday 09:00: Joris
        await settle(pilot)
        await pilot.press("v", "tab", "ctrl+u")
        await type_text(pilot, "14:30")
        await pilot.press("enter")
        await settle(pilot)
        return notifications(pilot)

    told = drive(make_tui(demo_books), scenario)
    (moved,) = agenda(demo_books, WEDNESDAY, WEDNESDAY)
    assert (moved.id, moved.start_time, moved.status) == (planned.id, time(14, 30), "planned")
    assert "Joris Brinkhuis: verplaatst naar 25 november 2026 14:30." in told


@pytest.mark.slow
def test_mark_a_passed_appointment_given_redeems_the_series(
        demo_books: Books, make_tui: Any, practice: dict[str, Any]) -> None:
    femke, treatment, package = practice["femke"], practice["treatment"], practice["package"]
    record_session(demo_books, femke.id, treatment.id, TODAY, start_time=time(8, 0))  # used: 1
    passed = plan_session(demo_books, femke.id, treatment.id, TODAY, time(9, 0)).session
    for ahead in (date(2026, 12, 1), date(2026, 12, 8)):
        plan_session(demo_books, femke.id, treatment.id, ahead, time(9, 0))

    async def scenario(pilot: Pilot[Any]) -> str:
        await pilot.press("7", "m")
        await settle(pilot)
        table = pilot.app.screen.query_one("#mark-list")
        table.move_cursor(row=table.get_row_index(str(passed.id)))
        await pilot.press("g")
        await settle(pilot)
        return notifications(pilot)

    told = drive(make_tui(demo_books), scenario)
    series = get_package(demo_books, package.id)
    assert (series.sessions_used, series.sessions_planned, series.sessions_free) == (2, 2, 1)
    assert "Femke Zwartjes: gegeven. Marathonreeks: 2 gebruikt, 2 gepland, 1 vrij." in told


@pytest.mark.slow
def test_plan_a_series_shows_the_plan_before_saving(demo_books: Books, make_tui: Any,
                                                    practice: dict[str, Any]) -> None:
    package = practice["package"]
    plan_session(demo_books, practice["joris"].id, practice["treatment"].id,
                 date(2026, 12, 1), time(10, 0))  # the second week's time is taken

    async def scenario(pilot: Pilot[Any]) -> tuple[str, int]:
        await pilot.press("3")
        await settle(pilot)
        table = pilot.app.screen.query_one("#package-list")
        table.move_cursor(row=table.get_row_index(str(package.id)))
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "10:00")
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(pilot)
        before = get_package(demo_books, package.id).sessions_planned
        await pilot.press("ctrl+s")
        await settle(pilot)
        return shown + "\n" + notifications(pilot), before

    shown, before = drive(make_tui(demo_books), scenario)
    assert before == 0  # shown, not yet saved
    assert "1. di 24 nov 2026 10:00" in shown
    assert "2. di 1 dec 2026 11:00  (gewenst di 1 dec 10:00: bezet of geen werkdag)" in shown, shown
    series = get_package(demo_books, package.id)
    assert (series.sessions_used, series.sessions_planned, series.sessions_free) == (0, 5, 0)
    assert "5 afspraken gepland voor Marathonreeks: 0 gebruikt, 5 gepland, 0 vrij." in shown


@pytest.mark.slow
def test_book_the_next_appointment_after_a_session(demo_books: Books, make_tui: Any,
                                                   practice: dict[str, Any]) -> None:
    """At the end of a treatment: the session saved with ctrl+o, the booking a week later
    opens with her and the treatment filled in; the time, ctrl+s."""
    next_week = date(2026, 12, 1)

    async def scenario(pilot: Pilot[Any]) -> str:
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Zwartjes")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        opened = type(pilot.app.screen).__name__
        await type_text(pilot, "11:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return opened

    assert drive(make_tui(demo_books), scenario) == "BookDialog"
    given = list_sessions(demo_books, practice["femke"].id, start=TODAY)
    assert [(s.date, s.status) for s in given] == [(TODAY, "given"), (next_week, "planned")]
    (booked,) = agenda(demo_books, next_week, next_week)
    assert (booked.client_name, booked.treatment_id, booked.start_time, booked.status) == (
        "Femke Zwartjes", given[0].treatment_id, time(11, 0), "planned")


def test_cancelling_an_appointment_asks_first(demo_books: Books, make_tui: Any,
                                             practice: dict[str, Any]) -> None:
    """One key cancels an appointment only after a yes: Escape on the question keeps it."""
    planned = plan_session(demo_books, practice["joris"].id, practice["treatment"].id,
                           WEDNESDAY, time(9, 0)).session

    async def scenario(pilot: Pilot[Any]) -> list[str]:
        seen = []
        await pilot.press("7", "right", "enter")  # Wednesday 09:00: Joris
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        seen.append(type(pilot.app.screen).__name__ + " " + screen_text(pilot))
        await pilot.press("escape")
        await settle(pilot)
        seen.append(list_sessions(demo_books, practice["joris"].id)[0].status)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")  # the confirming button has the focus
        await settle(pilot)
        seen.append(notifications(pilot))
        return seen

    asked, after_escape, told = drive(make_tui(demo_books), scenario)
    assert asked.startswith("ConfirmDialog")
    assert "De afspraak van Joris Brinkhuis op 25 november 2026 09:00 afzeggen?" in asked
    assert after_escape == "planned"
    assert list_sessions(demo_books, practice["joris"].id)[0].id == planned.id
    # within the cancellation window (now is Tuesday 10:00): a late cancellation
    assert list_sessions(demo_books, practice["joris"].id)[0].status == "late_cancel"
    assert "Joris Brinkhuis" in told
