"""Every screen and dialog lays out at any window size and survives being resized."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from ledger.books import Books
from tests.tui.pilot import drive, settle


def test_resizing_the_overview_keeps_the_program_running(demo_books: Books,
                                                          make_tui: Any) -> None:
    """The issue's blocker: 80x24 to 120x35 and back raised ValueError in FitTable."""

    async def scenario(pilot: Pilot[Any]) -> str:
        for width, height in ((120, 35), (80, 24), (120, 35)):
            await pilot.resize_terminal(width, height)
            await settle(pilot)
        return type(pilot.app.screen).__name__

    assert drive(make_tui(demo_books), scenario, size=(80, 24)) == "HomeScreen"
