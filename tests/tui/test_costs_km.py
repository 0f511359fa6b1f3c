"""Changing and deleting a cost, and the kilometre log, through the keys she presses."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from ledger.books import Books
from ledger.costs.entries import add_cost, list_costs, list_trips, trip_amount
from tests.tui.pilot import drive, notifications, paste_text, screen_text, settle, type_text


async def replace_text(pilot: Pilot[Any], text: str) -> None:
    """Empty the focused input and type ``text`` into it."""
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)


async def keys(pilot: Pilot[Any], *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
        await settle(pilot)


def test_a_cost_is_changed_and_then_deleted(demo_books: Books, make_tui: Any) -> None:
    add_cost(demo_books, {"date": "12-11-2026", "supplier": "Olie & Co", "category": "materials",
                          "amount": "48,40", "vat_rate": "21"})

    async def scenario(pilot: Pilot[Any]) -> tuple[list[Any], str, str]:
        await keys(pilot, "5", "c", "enter")
        assert type(pilot.app.screen).__name__ == "CostFormScreen"
        await keys(pilot, "tab", "tab", "tab", "tab")  # date, supplier, description, category
        await replace_text(pilot, "60,50")
        await keys(pilot, "ctrl+s")
        changed = list_costs(demo_books, 2026)
        listed = screen_text(pilot)
        await keys(pilot, "d", "enter")
        return changed, listed, notifications(pilot)

    changed, listed, told = drive(make_tui(demo_books), scenario)
    [cost] = changed
    assert (cost.supplier, cost.amount, cost.vat, cost.category_key) == (
        "Olie & Co", 6050, 1050, "materials")
    assert "€ 60,50" in listed
    assert list_costs(demo_books, 2026) == []
    assert "verwijderd" in told


def test_a_cost_change_is_refused_with_the_books_checks(demo_books: Books,
                                                       make_tui: Any) -> None:
    add_cost(demo_books, {"date": "12-11-2026", "supplier": "Olie & Co", "category": "materials",
                          "amount": "48,40", "vat": "8,40"})

    async def scenario(pilot: Pilot[Any]) -> str:
        await keys(pilot, "5", "c", "e")
        for _ in range(6):  # to the VAT amount
            await keys(pilot, "tab")
        await replace_text(pilot, "50,00")  # more VAT than the amount
        await keys(pilot, "ctrl+s")
        return notifications(pilot)

    told = drive(make_tui(demo_books), scenario)
    [cost] = list_costs(demo_books, 2026)
    assert (cost.amount, cost.vat) == (4840, 840)
    assert "btw" in told.lower()


def test_the_kilometre_log_adds_changes_and_deletes_trips(demo_books: Books,
                                                         make_tui: Any) -> None:
    before = {t.id for t in list_trips(demo_books, 2026)}

    async def scenario(pilot: Pilot[Any]) -> tuple[list[Any], str, list[Any]]:
        await keys(pilot, "5", "c", "k", "a")
        await keys(pilot, "tab")  # the date is today's
        await type_text(pilot, "12,5")
        await keys(pilot, "tab")
        await paste_text(pilot, "Naar de hardloopclub")
        await keys(pilot, "ctrl+s")
        added = [t for t in list_trips(demo_books, 2026) if t.id not in before]
        listed = screen_text(pilot)
        await keys(pilot, "end", "e", "tab")
        await replace_text(pilot, "20")
        await keys(pilot, "ctrl+s")
        changed = [t for t in list_trips(demo_books, 2026) if t.id not in before]
        await keys(pilot, "end", "d", "enter")
        return added, listed, changed

    added, listed, changed = drive(make_tui(demo_books), scenario)
    [trip] = added
    assert (trip.km_tenths, trip.description, trip.amount) == (
        125, "Naar de hardloopclub", trip_amount(125, trip.rate))
    assert "Naar de hardloopclub" in listed and "€ 2,88" in listed
    [trip] = changed
    assert (trip.km_tenths, trip.amount) == (200, trip_amount(200, trip.rate))
    assert {t.id for t in list_trips(demo_books, 2026)} == before
