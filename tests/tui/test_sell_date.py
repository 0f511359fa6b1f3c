"""Selling a series on an earlier day: the sale date is typed in the sell dialog, and a
date that is no date is refused with nothing sold."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.pilot import Pilot

from ledger.billing.packages import list_packages
from ledger.billing.status import get_invoice
from ledger.books import Books
from ledger.practice.catalogue import list_plans
from ledger.practice.clients import list_clients
from tests.factories import TODAY
from tests.tui.pilot import drive, notifications, settle, type_text


def test_sell_on_an_earlier_day(demo_books: Books, make_tui: Any) -> None:
    client = list_clients(demo_books)[2]
    plan = next(p for p in list_plans(demo_books) if p.sessions == 10)
    before = len(list_packages(demo_books, client.id))
    earlier = TODAY - timedelta(days=7)

    async def scenario(pilot: Pilot[Any]) -> tuple[int, str]:
        await pilot.press("3", "v")
        await settle(pilot)
        await type_text(pilot, client.name)
        await pilot.press("enter")
        await settle(pilot)
        pilot.app.screen.query_one("#sell-plan").value = str(plan.id)
        await settle(pilot)
        await pilot.press("tab")  # the sale date
        assert getattr(pilot.app.focused, "id", None) == "sell-date"
        await pilot.press("end", *["backspace"] * 12)
        await type_text(pilot, "31-02-2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        refused = notifications(pilot)
        stored = len(list_packages(demo_books, client.id))
        await pilot.press("end", *["backspace"] * 12)
        await type_text(pilot, earlier.strftime("%d-%m-%Y"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        return stored, refused

    stored_while_wrong, refused = drive(make_tui(demo_books), scenario)
    assert "31-02-2026 is geen bestaande datum" in refused
    assert stored_while_wrong == before
    sold = list_packages(demo_books, client.id)[-1]
    assert sold.sold_on == earlier and sold.plan_id == plan.id
    assert get_invoice(demo_books, sold.invoice_number or "").date == earlier
