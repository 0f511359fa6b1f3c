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
