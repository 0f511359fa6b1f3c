"""Recording a session in the app: the client's package pays, the balance is shown; bad
input is refused next to the field and nothing is stored."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from ledger.billing.packages import get_package, list_packages
from ledger.billing.sessions import list_sessions
from ledger.books import Books
from tests.factories import TODAY, sell_package
from tests.tui.pilot import drive, notifications, screen_text, settle, type_text


def a_runner_with_a_series(books: Books) -> Any:
    """A client whose last treatment was the massage buys a five-session series today."""
    from ledger.practice.catalogue import list_plans
    from ledger.practice.clients import list_clients

    plan = next(p for p in list_plans(books) if p.sessions == 5)
    for client in list_clients(books):
        last = list_sessions(books, client.id, limit=1, newest_first=True)
        active = list_packages(books, client.id, status="active")
        if last and last[0].treatment_id == plan.treatment_id and not active:
            return sell_package(books, client.id, plan.id)
    raise AssertionError("the demo practice has a client who comes for the massage")


def test_a_session_redeems_the_clients_package(demo_books: Books, make_tui: Any) -> None:
    package = a_runner_with_a_series(demo_books)
    before = len(list_sessions(demo_books, package.client_id))

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, package.client_name)
        await pilot.press("enter")
        await settle(pilot)
        offered = screen_text(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        return offered, notifications(pilot)

    offered, shown = drive(make_tui(demo_books), scenario)
    assert f"{package.sessions_used} van {package.sessions_total} gebruikt" in offered

    after = get_package(demo_books, package.id)
    assert after.sessions_used == package.sessions_used + 1
    sessions = list_sessions(demo_books, package.client_id)
    assert len(sessions) == before + 1
    new = max(sessions, key=lambda s: s.id)
    assert (new.date, new.package_id, new.status) == (TODAY, package.id, "given")
    assert f"{after.sessions_used} van {after.sessions_total} gebruikt" in shown


def test_a_bad_price_or_date_is_refused_next_to_the_field(demo_books: Books,
                                                          make_tui: Any) -> None:
    """The person types "abc" as the price and 31-02 as the date: both fields say what is
    wrong, ctrl+s stores nothing; once corrected, the session is stored."""
    from ledger.practice.clients import list_clients

    client = list_clients(demo_books)[0]
    before = len(list_sessions(demo_books, client.id))

    async def scenario(pilot: Pilot[Any]) -> tuple[str, int, str]:
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, client.name)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#field-price", Input).value = "abc"
        screen.query_one("#field-date", Input).value = "31-02-2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        problems = "\n".join(str(w.render()) for w in screen.query(".problem"))
        stored = len(list_sessions(demo_books, client.id))
        screen.query_one("#field-price", Input).value = "70"
        screen.query_one("#field-date", Input).value = "23-11-2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        return problems, stored, notifications(pilot)

    problems, stored_while_wrong, shown = drive(make_tui(demo_books), scenario)
    assert "abc is geen bedrag" in problems
    assert "31-02-2026 is geen bestaande datum" in problems
    assert stored_while_wrong == before
    sessions = list_sessions(demo_books, client.id)
    assert len(sessions) == before + 1
    new = max(sessions, key=lambda s: s.id)
    assert (new.price, new.date.isoformat()) == (7000, "2026-11-23")
    assert "Sessie bewaard" in shown
