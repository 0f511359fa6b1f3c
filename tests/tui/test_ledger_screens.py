"""The trial balance and an account's card in the interface (issue 17), by keys, in Dutch:
from the year screen, g, then Enter on the prepaid account; back, and e changes the
account's RGS code (a bad code is refused under the field)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from ledger.base.money import format_money
from ledger.books import Books
from ledger.journals import chart as c
from ledger.journals.chart import chart
from ledger.journals.trial_balance import account_card, trial_balance
from tests.tui.pilot import drive, screen_text, settle


@pytest.mark.slow
def test_trial_balance_and_account_card(demo_books: Books, make_tui: Any) -> None:
    tb = trial_balance(demo_books, 2026)
    card = account_card(demo_books, 2026, c.PREPAID)
    position = [a.code for a in tb.accounts].index(c.PREPAID)

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str, str]:
        await pilot.resize_terminal(160, 40)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        balance = screen_text(pilot)
        for _ in range(position):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        field = pilot.app.screen.query_one("#field-rgs", Input)
        field.value = "13011"
        await pilot.press("ctrl+s")
        await settle(pilot)
        problem = "\n".join(str(w.render()) for w in pilot.app.screen.query(".problem"))
        field.value = "BSchOpaVob"
        await pilot.press("ctrl+s")
        await settle(pilot)
        return balance, shown, problem

    balance, shown, problem = drive(make_tui(demo_books), scenario)
    assert "Proefbalans 2026" in balance
    assert "BVorDebHad" in balance and format_money(tb.closing(c.DEBTORS)) in balance
    assert f"Grootboekkaart {c.PREPAID} Vooruitontvangen bedragen" in shown
    assert f"eindsaldo {format_money(card.account.closing)}" in shown
    assert card.lines[0].document in shown
    assert "13011 is geen RGS-referentiecode" in problem
    changed = [a.code for a in chart(demo_books).accounts.values() if a.rgs == "BSchOpaVob"]
    assert changed == [c.PREPAID]  # the account under the cursor, none other
