"""Snapshots of the main screens, in Dutch, at 120x35, clock at 24 November 2026 10:00, on
the small demo practice. Update with ``pytest tests/tui/test_snapshots.py
--snapshot-update`` and look at the SVGs under ``tests/tui/__snapshots__`` before committing.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from ledger.books import Books
from tests.tui.pilot import settle, type_text
from tests.tui.test_sessions import a_runner_with_a_series

SIZE = (120, 35)


def test_overview(demo_books: Books, make_tui: Any, snap_compare: Any) -> None:
    assert snap_compare(make_tui(demo_books), terminal_size=SIZE, run_before=settle)


def test_session_form(demo_books: Books, make_tui: Any, snap_compare: Any) -> None:
    """A runner with a series: the form offers the series ("0 van 5 gebruikt")."""
    client = a_runner_with_a_series(demo_books)

    async def fill_in(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, client.client_name)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_tui(demo_books), terminal_size=SIZE, run_before=fill_in)


def test_invoice_list(demo_books: Books, make_tui: Any, snap_compare: Any) -> None:
    async def open_list(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)

    assert snap_compare(make_tui(demo_books), terminal_size=SIZE, run_before=open_list)


def test_year(demo_books: Books, make_tui: Any, snap_compare: Any) -> None:
    async def open_year(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)

    assert snap_compare(make_tui(demo_books), terminal_size=SIZE, run_before=open_year)
