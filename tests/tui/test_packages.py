"""Packages in the app: sell one (its invoice is issued at once), cancel one after seeing
the refund."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from ledger.base.money import format_amount
from ledger.billing.packages import get_package, list_packages
from ledger.billing.status import get_invoice
from ledger.books import Books
from ledger.practice.catalogue import list_plans
from ledger.practice.clients import list_clients
from tests.factories import TODAY, sell_package
from tests.tui.pilot import drive, notifications, screen_text, settle, type_text


def test_sell_a_package(demo_books: Books, make_tui: Any) -> None:
    client = list_clients(demo_books)[2]
    plan = next(p for p in list_plans(demo_books) if p.sessions == 10)
    before = len(list_packages(demo_books, client.id))

    async def scenario(pilot: Pilot[Any]) -> str:
        await pilot.press("3", "v")
        await settle(pilot)
        await type_text(pilot, client.name)
        await pilot.press("enter")  # the client; the plan list has the focus now
        await settle(pilot)
        select = pilot.app.screen.query_one("#sell-plan")
        select.value = str(plan.id)
        await settle(pilot)
        summary = screen_text(pilot)
        price = str(pilot.app.screen.query_one("#sell-summary").render())
        assert f"€\u00a0{format_amount(plan.price)}" in price  # "€" never alone on a line
        await pilot.press("ctrl+s")
        await settle(pilot)
        return summary + notifications(pilot)

    shown = drive(make_tui(demo_books), scenario)
    packages = list_packages(demo_books, client.id)
    assert len(packages) == before + 1
    sold = packages[-1]
    assert (sold.plan_id, sold.sold_on, sold.sessions_used, sold.status) == (
        plan.id, TODAY, 0, "active")
    invoice = get_invoice(demo_books, sold.invoice_number or "")
    assert invoice.total == plan.price and invoice.date == TODAY
    assert "Bij verkoop wordt de factuur meteen uitgegeven" in shown
    assert f"{plan.name} verkocht aan {client.name}; factuur {invoice.number}." in shown
    assert (demo_books.db.data_dir / "documents" / "2026" /
            f"factuur-{invoice.number}.pdf").is_file()


def test_cancel_a_package_shows_the_refund_first(demo_books: Books, make_tui: Any) -> None:
    client = list_clients(demo_books)[1]
    plan = next(p for p in list_plans(demo_books) if p.sessions == 5)
    package = sell_package(demo_books, client.id, plan.id)

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        await pilot.press("3")
        await settle(pilot)
        table = pilot.app.screen.query_one("#package-list")
        table.move_cursor(row=table.get_row_index(str(package.id)))
        await pilot.press("x")
        await settle(pilot)
        question = screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        return question, notifications(pilot)

    question, shown = drive(make_tui(demo_books), scenario)
    assert "Stopzetten betaalt €\u00a0300,00 terug met een creditfactuur" in question
    after = get_package(demo_books, package.id)
    assert after.status == "cancelled" and after.cancel_credit_number
    credit = get_invoice(demo_books, after.cancel_credit_number)
    assert credit.total == -30000
    assert f"stopgezet; creditfactuur {credit.number}" in shown
