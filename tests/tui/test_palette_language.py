"""The command palette speaks the interface's language (its search field said "Search for
commands…" in the Dutch interface)."""

from __future__ import annotations

from typing import Any

from textual.command import CommandInput
from textual.pilot import Pilot

from ledger.books import Books
from tests.tui.pilot import drive, settle


def test_the_palette_asks_in_the_interface_language(demo_books: Books, make_tui: Any) -> None:
    seen: dict[str, str] = {}

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.press("ctrl+p")
        await settle(pilot)
        seen["shown"] = str(pilot.app.screen.query_one(CommandInput).placeholder)

    drive(make_tui(demo_books), scenario)
    assert seen["shown"] == "Zoek een opdracht…"
    drive(make_tui(demo_books, "en"), scenario)
    assert seen["shown"] == "Search for commands…"
