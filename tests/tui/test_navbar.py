"""The section line at the top keeps every key on screen: at 80 columns all seven names
fit (tighter), at 60 the names give way from the right but the active one keeps its name."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from ledger.books import Books
from tests.tui.pilot import drive, settle
from tui.widgets.navbar import NavBar


def test_every_section_key_stays_visible_at_any_width(demo_books: Books, make_tui: Any) -> None:
    app = make_tui(demo_books)

    async def scenario(pilot: Pilot[Any]) -> dict[int, str]:
        seen = {}
        for width in (120, 80, 60):
            await pilot.resize_terminal(width, 24)
            await settle(pilot)
            bar = pilot.app.screen.query_one(NavBar)
            seen[width] = str(bar.render()).strip()
        return seen

    seen = drive(app, scenario)
    assert "7 Agenda" in seen[120] and "6 Instellingen" in seen[120]
    assert "7 Agenda" in seen[80] and "1 Overzicht" in seen[80], seen[80]
    assert len(seen[80]) <= 80
    assert all(f"{key}" in seen[60].split() for key in "1234567"), seen[60]
    assert "Overzicht" in seen[60] and len(seen[60]) <= 60  # the active section's name
