"""Treatments and series in the interface: add, change the price (what was recorded keeps
its price), archive, and add a series; from the settings (ctrl+t) and the packages (p)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from ledger.billing.sessions import list_sessions
from ledger.books import Books
from ledger.practice.catalogue import list_plans, list_treatments
from tests.tui.pilot import drive, notifications, screen_text, settle


def _open(pilot: Pilot[Any]) -> Any:
    async def go() -> None:
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
    return go()


def test_the_catalogue_shows_treatments_and_series(demo_books: Books, make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        await _open(pilot)
        return type(pilot.app.screen).__name__, screen_text(pilot)

    name, text = drive(make_tui(demo_books), scenario)
    assert name == "TreatmentsScreen"
    for treatment in list_treatments(demo_books):
        assert treatment.name in text
    assert "€ 65,00" in text and "21%" in text  # Dutch amounts and rates
    for plan in list_plans(demo_books):
        assert plan.name in text


def test_add_a_treatment_with_a_typing_mistake_first(demo_books: Books,
                                                     make_tui: Any) -> None:
    before = len(list_treatments(demo_books))

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        await _open(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#field-name", Input).value = "Ontspanningsmassage"
        screen.query_one("#field-price", Input).value = "7O,00"  # letter O for a zero
        await pilot.press("ctrl+s")
        await settle(pilot)
        refused = screen_text(pilot)
        screen.query_one("#field-price", Input).value = "70,00"
        screen.query_one("#field-duration_min", Input).value = "45"
        await pilot.press("ctrl+s")
        await settle(pilot)
        return refused, screen_text(pilot)

    refused, after = drive(make_tui(demo_books), scenario)
    assert "7O,00" in refused  # the reason under the price names what was typed
    added = [t for t in list_treatments(demo_books) if t.name == "Ontspanningsmassage"]
    assert len(list_treatments(demo_books)) == before + 1
    assert (added[0].price, added[0].duration_min) == (7000, 45)
    assert "Ontspanningsmassage" in after and "€ 70,00" in after


def test_a_new_price_leaves_recorded_sessions_alone(demo_books: Books,
                                                    make_tui: Any) -> None:
    treatment = list_treatments(demo_books)[0]
    recorded = [(s.id, s.price) for s in list_sessions(demo_books)
                if s.treatment_id == treatment.id]
    assert recorded

    async def scenario(pilot: Pilot[Any]) -> str:
        await _open(pilot)
        table = pilot.app.screen.query_one("#treatment-list")
        table.move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot)
        price = pilot.app.screen.query_one("#field-price", Input)
        price.value = "72,50"
        await pilot.press("ctrl+s")
        await settle(pilot)
        return notifications(pilot)

    shown = drive(make_tui(demo_books), scenario)
    changed = next(t for t in list_treatments(demo_books) if t.id == treatment.id)
    assert changed.price == 7250 and changed.name == treatment.name
    assert f"{treatment.name} bewaard." in shown
    assert [(s.id, s.price) for s in list_sessions(demo_books)
            if s.treatment_id == treatment.id] == recorded


def test_archive_and_restore_a_treatment(demo_books: Books, make_tui: Any) -> None:
    treatment = list_treatments(demo_books)[0]

    async def scenario(pilot: Pilot[Any]) -> tuple[bool, str]:
        await _open(pilot)
        pilot.app.screen.query_one("#treatment-list").move_cursor(row=0)
        await pilot.press("x")
        await settle(pilot)
        archived = not any(t.id == treatment.id for t in list_treatments(demo_books))
        text = screen_text(pilot)
        await pilot.press("x")
        await settle(pilot)
        return archived, text

    archived, text = drive(make_tui(demo_books), scenario)
    assert archived and "gearchiveerd" in text
    assert any(t.id == treatment.id for t in list_treatments(demo_books))  # offered again


def test_add_a_series_from_the_packages_screen(demo_books: Books, make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> str:
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("p")  # treatments and series
        await settle(pilot)
        await pilot.press("p")  # a new series
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#field-name", Input).value = "Marathonreeks 10"
        screen.query_one("#field-sessions", Input).value = "10"
        screen.query_one("#field-price", Input).value = "612,50"
        await pilot.press("ctrl+s")
        await settle(pilot)
        return screen_text(pilot)

    text = drive(make_tui(demo_books), scenario)
    plan = next(p for p in list_plans(demo_books) if p.name == "Marathonreeks 10")
    assert (plan.sessions, plan.price, plan.valid_days) == (10, 61250, 365)
    assert "Marathonreeks 10" in text and "€ 612,50" in text
