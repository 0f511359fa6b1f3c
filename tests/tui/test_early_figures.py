"""The overview shows its figures before the books are open (``tui.early``): read without
SQLAlchemy, they are the ones the overview shows once the books are open."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual.pilot import Pilot

from ledger.base.dates import FixedClock
from ledger.books import Books
from tests.factories import NOW
from tests.tui.pilot import drive, screen_text

TOP = ("Vandaag is het", "Omzet", "Nog te factureren", "Te laat")


def _top(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(TOP)]


@pytest.mark.slow  # two starts of the interface
def test_the_figures_come_before_the_books(demo_books: Books,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.app import SolebookApp, make_app
    from tui.early import EarlyFigures

    db = str(demo_books.db.path)
    with_books = make_app(db, clock=FixedClock(NOW))

    async def full(pilot: Pilot[Any]) -> str:
        return screen_text(pilot)

    shown = drive(with_books, full)
    with_books.books.close()

    monkeypatch.setattr(SolebookApp, "open_books", lambda self: None)  # the books stay shut
    app = make_app(db, clock=FixedClock(NOW))
    app.early = EarlyFigures(db, NOW.date())

    async def early() -> tuple[str, Any]:
        async with app.run_test(size=(120, 35)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            return screen_text(pilot), app.books

    text, books = asyncio.run(early())
    assert books is None
    assert len(_top(shown)) == 4 and "24 november 2026" in shown
    assert _top(text) == _top(shown)
