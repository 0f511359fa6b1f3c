"""A statement of another account in the interface: shown apart as "andere rekening", its
account named, and matched once the account is added in the settings (keys only, Dutch)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from ledger.bank.booking import count_lines
from ledger.bank.importing import import_statement
from ledger.books import Books
from tests.bank_samples_more import ACCOUNTS, knab
from tests.tui.pilot import drive, notifications, screen_text, settle


def test_another_accounts_lines_until_the_account_is_added(demo_books: Books, make_tui: Any,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "knab.csv"
    path.write_bytes(knab())
    import_statement(demo_books, path)
    assert count_lines(demo_books, status="other") == 5

    async def scenario(pilot: Pilot[Any]) -> list[str]:
        seen = []
        await pilot.press("4", "k", "a")  # the bank review, all lines
        await settle(pilot)
        seen.append(screen_text(pilot))
        await pilot.press("escape", "escape", "6")
        await settle(pilot)
        pilot.app.screen.query_one("#field-bank_accounts", Input).value = (
            "NL07 KNAB 0255 1234 56")
        await pilot.press("ctrl+s")
        await settle(pilot)
        seen.append(notifications(pilot))
        await pilot.press("escape", "4", "k")
        await settle(pilot)
        seen.append(screen_text(pilot))
        return seen

    before, saved, after = drive(make_tui(demo_books), scenario)
    assert "andere rekening" in before and "5 regels in totaal" in before
    assert f"Rekening {ACCOUNTS['knab']} is geen rekening van de praktijk" in before
    assert "Instellingen bewaard." in saved
    assert "andere rekening" not in after and "4 regels te controleren" in after
    assert count_lines(demo_books, status="other") == 0
