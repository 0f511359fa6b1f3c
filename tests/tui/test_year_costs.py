"""The year screen in the app: the year-end figures, the costs screen and its form, and the
export with its progress display."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, ProgressBar

from ledger.base.money import format_money
from ledger.books import Books
from ledger.costs.entries import list_costs
from ledger.yearend.figures import year_end
from tests.tui.pilot import drive, notifications, screen_text, settle


def test_the_year_screen_shows_the_year_end_figures(demo_books: Books, make_tui: Any) -> None:
    figures = year_end(demo_books, 2026)

    async def scenario(pilot: Pilot[Any]) -> str:
        await pilot.press("5")
        await settle(pilot)
        return screen_text(pilot)

    shown = drive(make_tui(demo_books), scenario)
    assert format_money(figures.totals.turnover_gross) in shown
    assert f"resultaat {format_money(figures.result)}" in shown  # the interface is Dutch
    assert f"{figures.sessions_given} sessies gegeven" in shown


def test_a_cost_is_recorded_from_the_costs_screen(demo_books: Books, make_tui: Any,
                                                  tmp_path: Path) -> None:
    receipt = tmp_path / "bon.pdf"
    receipt.write_bytes(b"%PDF-1.4 bon")

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str, str]:
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#field-supplier", Input).value = "Olie & Co"
        screen.query_one("#field-amount", Input).value = "abc"
        await pilot.press("ctrl+s")
        await settle(pilot)
        problem = "\n".join(str(w.render()) for w in screen.query(".problem"))
        screen.query_one("#field-amount", Input).value = "48,40"
        screen.query_one("#field-receipt", Input).value = str(receipt)
        await pilot.press("ctrl+s")
        await settle(pilot)
        return problem, notifications(pilot), screen_text(pilot)

    problem, shown, listed = drive(make_tui(demo_books), scenario)
    assert "is geen bedrag" in problem
    [cost] = list_costs(demo_books, 2026)
    assert (cost.supplier, cost.amount, cost.vat, cost.category_key) == (
        "Olie & Co", 4840, 840, "materials")
    assert cost.receipt_path and (demo_books.db.data_dir / cost.receipt_path).read_bytes() \
        == b"%PDF-1.4 bon"
    assert "€ 48,40" in shown
    assert "Olie & Co" in listed and "€ 48,40" in listed


def test_the_export_runs_from_the_year_screen_with_progress(demo_books: Books, make_tui: Any,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "export"

    async def scenario(pilot: Pilot[Any]) -> tuple[float | None, float, str]:
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#field-folder", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=400)
        bar = screen.query_one(ProgressBar)
        return bar.total, bar.progress, screen_text(pilot)

    total, progress, shown = drive(make_tui(demo_books), scenario)
    assert total is not None and total >= 1 and progress == total
    assert (out / "solebook-2026" / "MANIFEST.sha256").is_file()
    assert (out / "solebook-2026.zip").is_file()
    assert "solebook-2026.zip" in shown
