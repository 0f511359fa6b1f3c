"""The clients' search field shows what is typed, at any width, and filters the list."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from ledger.books import Books
from ledger.practice.clients import count_clients, list_clients
from tests.tui.pilot import drive, screen_text, settle, type_text


@pytest.mark.parametrize("size", [(120, 35), (60, 20)])
def test_typed_search_is_visible(demo_books: Books, make_tui: Any,
                                 size: tuple[int, int]) -> None:
    name = list_clients(demo_books)[0].name
    part = name.split()[0][:4]

    async def scenario(pilot: Pilot[Any]) -> tuple[int, str, str]:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, part)
        field = pilot.app.screen.query_one("#client-search", Input)
        return field.content_region.width, str(field.render_line(0).text), screen_text(pilot)

    width, shown, text = drive(make_tui(demo_books), scenario, size=size)
    assert width >= 20
    assert part in shown
    found = count_clients(demo_books, part)
    assert (f"{found} cliënt\n" if found == 1 else f"{found} cliënten") in text
    assert name in text


def test_typing_a_name_on_the_list_searches(demo_books: Books, make_tui: Any) -> None:
    """On the list, a letter that is no key of it starts the search with that letter; the
    list's own keys still work (a: add a client)."""
    name = next(c.name for c in list_clients(demo_books)
                if c.name[0].lower() not in ("a", "r", "n", "h"))
    part = name.split()[0]

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str, str]:
        await pilot.press("2")
        await settle(pilot)
        await type_text(pilot, part)
        await settle(pilot)
        typed = pilot.app.screen.query_one("#client-search", Input).value
        text = screen_text(pilot)
        await pilot.press("escape", "2")  # back on the list
        await settle(pilot)
        pilot.app.screen.query_one("PagedTable").focus()
        await pilot.press("a")
        await settle(pilot)
        return typed, text, type(pilot.app.screen).__name__

    typed, text, opened = drive(make_tui(demo_books), scenario)
    assert typed == part and name in text
    assert opened == "ClientFormScreen"
