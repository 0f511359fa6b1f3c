"""An empty database: the app offers the short set-up form or the demo practice."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, ProgressBar

from ledger.books import Books
from ledger.practice.catalogue import list_treatments
from ledger.practice.clients import count_clients
from ledger.practice.profile import get_practice
from tests.tui.pilot import drive, screen_text, settle


def test_set_up_the_practice(books: Books, make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> tuple[str, str, str]:
        welcome = screen_text(pilot)
        screen = pilot.app.screen
        await pilot.press("ctrl+s")  # the practice name is required
        await settle(pilot)
        refused = screen_text(pilot)
        for key, value in {"name": "Praktijk Voetpunt", "therapist_name": "Joke Smit",
                           "postcode": "1234ab", "city": "Amersfoort",
                           "iban": "NL91 ABNA 0417 1643 00",
                           "vat_id": "NL000099998B57"}.items():  # VAT is charged: required
            screen.query_one(f"#field-{key}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        return welcome, refused, screen_text(pilot)

    welcome, refused, home = drive(make_tui(books), scenario)
    assert "Welkom bij solebook" in welcome and "Demopraktijk laden" in welcome
    assert "is verplicht" in refused
    practice = get_practice(books)
    assert (practice.name, practice.therapist_name, practice.postcode, practice.iban,
            practice.vat_id) == (
        "Praktijk Voetpunt", "Joke Smit", "1234 AB", "NL91ABNA0417164300", "NL000099998B57")
    assert [(t.name, t.price) for t in list_treatments(books)] == [("Voetreflexmassage", 6500)]
    assert "Praktijk Voetpunt" in home


def test_load_the_demo_with_progress(books: Books, make_tui: Any,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.screens.start import StartScreen

    monkeypatch.setattr(StartScreen, "DEMO_CLIENTS", 4)

    async def scenario(pilot: Pilot[Any]) -> tuple[float, float | None, str]:
        bar = pilot.app.screen.query_one(ProgressBar)
        await pilot.press("ctrl+d")
        await settle(pilot)
        return bar.progress, bar.total, screen_text(pilot)

    progress, total, home = drive(make_tui(books), scenario)
    assert total is not None and total > 150  # one step per working day of the demo year
    assert progress == total
    assert count_clients(books) == 4
    assert "Voetreflexpraktijk De Zool" in home
