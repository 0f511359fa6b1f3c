"""What holds on every screen: long lists page in SQL, the command palette offers the
screen's actions, unsaved changes are not lost silently, English works as well as Dutch."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from ledger.base.dates import FixedClock
from ledger.books import Books
from ledger.practice.profile import get_practice
from tests.factories import NOW
from tests.tui.pilot import drive, notifications, screen_text, settle, type_text


@pytest.fixture(scope="module")
def large_books(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A group practice's books: 30,000 sessions, 23,000 invoices, 600 clients."""
    from tests.perf.largedb import generate

    path = tmp_path_factory.mktemp("large") / "large.sqlite3"
    generate(path, sessions=30_000)
    books = Books.open(str(path), clock=FixedClock(NOW), interface="test")
    yield books
    books.close()


def test_twenty_thousand_invoices_load_a_page_at_a_time(large_books: Books, make_tui: Any,
                                                        report: Any) -> None:
    from ledger.billing.lists import invoice_totals

    total = invoice_totals(large_books).count
    assert total > 20_000

    async def scenario(pilot: Pilot[Any]) -> tuple[int, int, int, float, str]:
        await pilot.press("4")
        await settle(pilot)
        started = time.perf_counter()
        pilot.app.screen.query_one("#filter-year", Select).value = "all"
        await settle(pilot)
        first_page = time.perf_counter() - started
        table = pilot.app.screen.query_one("#invoice-list")
        loaded_first = table.row_count
        table.move_cursor(row=loaded_first - 5)
        await settle(pilot)
        loaded_more = table.row_count
        return table.total, loaded_first, loaded_more, first_page, screen_text(pilot)

    shown_total, first, more, seconds, text = drive(make_tui(large_books), scenario)
    assert (shown_total, first, more) == (total, 100, 200)
    assert f"{total} facturen" in text
    report(f"invoice list of {total} invoices: first page shown in {seconds * 1000:.0f} ms")


def test_the_palette_offers_the_screens_actions(demo_books: Books, make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> list[str]:
        await pilot.press("4")
        await settle(pilot)
        return [c.title for c in pilot.app.get_system_commands(pilot.app.screen)]

    titles = drive(make_tui(demo_books), scenario)
    for title in ("Overzicht", "Cliënten", "Facturen", "Jaar", "Instellingen",
                  "Nieuwe sessie", "Concept uit sessies", "Vernieuwen", "Afsluiten"):
        assert title in titles


def test_the_palette_runs_an_action(demo_books: Books, make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> str:
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "Jaar")
        await pilot.press("enter")
        await settle(pilot)
        return type(pilot.app.screen).__name__

    assert drive(make_tui(demo_books), scenario) == "YearScreen"


def test_leaving_a_form_with_changes_asks_first(demo_books: Books, make_tui: Any) -> None:
    from ledger.practice.clients import count_clients

    before = count_clients(demo_books)

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str, str]:
        await pilot.press("2", "a")
        await settle(pilot)
        pilot.app.screen.query_one("#field-name", Input).value = "Nog niet bewaard"
        await pilot.press("escape")
        await settle(pilot)
        question = screen_text(pilot)
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        still = type(pilot.app.screen).__name__
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # Enter is the safe answer: keep editing
        await settle(pilot)
        kept = type(pilot.app.screen).__name__
        await pilot.press("escape", "tab", "enter")  # discard, chosen on purpose
        await settle(pilot)
        assert kept == "ClientFormScreen"
        return question, still, type(pilot.app.screen).__name__

    question, still, after = drive(make_tui(demo_books), scenario)
    assert "Wijzigingen weggooien" in question
    assert (still, after) == ("ClientFormScreen", "ClientsScreen")
    assert count_clients(demo_books) == before


def test_english_interface(demo_books: Books, make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> str:
        return screen_text(pilot)

    text = drive(make_tui(demo_books, language="en"), scenario)
    assert "Today is 24 November 2026" in text and "Sessions this week" in text
    assert "€1,022.50" in text  # amounts the English way


def test_switching_the_interface_to_english_in_settings(demo_books: Books,
                                                        make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        await pilot.press("6")
        await settle(pilot)
        pilot.app.screen.query_one("#field-interface_language", Select).value = "en"
        await pilot.press("ctrl+s")
        await settle(pilot)
        settings = screen_text(pilot)
        await pilot.press("1")
        await settle(pilot)
        return settings, screen_text(pilot)

    settings, home = drive(make_tui(demo_books), scenario)
    assert "Language of this program" in settings
    assert "Sessions this week" in home
    assert get_practice(demo_books).language == "nl"  # the documents stay Dutch


def test_the_save_button_in_settings_saves(demo_books: Books, make_tui: Any) -> None:
    """Clicking Save stores the change (it once opened the audit log instead)."""
    async def scenario(pilot: Pilot[Any]) -> str:
        await pilot.press("6")
        await settle(pilot)
        pilot.app.screen.query_one("#field-phone", Input).value = "06 1234 5678"
        await pilot.click("#save")
        await settle(pilot)
        return type(pilot.app.screen).__name__

    after = drive(make_tui(demo_books), scenario)
    assert after == "SettingsScreen"
    assert get_practice(demo_books).phone == "06 1234 5678"


def test_an_unexpected_failure_is_a_notification(demo_books: Books, make_tui: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.screens.home as home

    def broken(books: Books) -> Any:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(home, "read_overview", broken)

    async def scenario(pilot: Pilot[Any]) -> str:
        return notifications(pilot)

    shown = drive(make_tui(demo_books), scenario)
    assert "Onverwachte fout: Er ging iets mis: ZeroDivisionError: division by zero." in shown


def test_snapshot_paths_exist() -> None:
    folder = Path(__file__).parent / "__snapshots__" / "test_snapshots"
    assert {p.name for p in folder.glob("*.svg")} >= {
        "test_overview.svg", "test_session_form.svg", "test_invoice_list.svg",
        "test_year.svg"}
