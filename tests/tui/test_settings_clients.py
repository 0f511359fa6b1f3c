"""Settings and clients: change the practice profile; add a client, with a bad postcode
and date of birth refused next to their fields first."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select

from ledger.books import Books
from ledger.practice.clients import count_clients, list_clients
from ledger.practice.profile import get_practice
from tests.tui.pilot import drive, notifications, screen_text, settle


def test_change_a_setting(demo_books: Books, make_tui: Any) -> None:
    assert get_practice(demo_books).payment_term == 14

    async def scenario(pilot: Pilot[Any]) -> str:
        await pilot.press("6")
        await settle(pilot)
        term = pilot.app.screen.query_one("#field-payment_term", Input)
        term.focus()
        term.value = ""
        pilot.app.screen.query_one("#field-voice", Select).value = "we"  # letters say "wij"
        await pilot.press("3", "0", "ctrl+s")
        await settle(pilot)
        return notifications(pilot)

    shown = drive(make_tui(demo_books), scenario)
    practice = get_practice(demo_books)
    assert practice.payment_term == 30 and practice.voice == "we"
    assert practice.name == "Voetreflexpraktijk De Zool"  # nothing else changed
    assert "Instellingen bewaard." in shown


def test_a_bad_setting_is_refused(demo_books: Books, make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> str:
        await pilot.press("6")
        await settle(pilot)
        pilot.app.screen.query_one("#field-iban", Input).value = "NL00 BANK 0000 0000 00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        return screen_text(pilot)

    shown = drive(make_tui(demo_books), scenario)
    assert "IBAN" in shown and "is geen geldig IBAN" in shown
    assert get_practice(demo_books).iban == "NL91ABNA0417164300"


def test_add_a_client_with_inline_validation(demo_books: Books, make_tui: Any) -> None:
    before = count_clients(demo_books)

    async def scenario(pilot: Pilot[Any]) -> tuple[str, int, str]:
        await pilot.press("2", "a")
        await settle(pilot)
        screen = pilot.app.screen
        screen.query_one("#field-name", Input).value = "Jansen & <Zn>"
        screen.query_one("#field-postcode", Input).value = "12345"
        screen.query_one("#field-birth_date", Input).value = "32-01-1980"
        await pilot.press("ctrl+s")
        await settle(pilot)
        problems = "\n".join(str(w.render()) for w in screen.query(".problem"))
        stored = count_clients(demo_books)
        screen.query_one("#field-postcode", Input).value = "3512 ab"
        screen.query_one("#field-birth_date", Input).value = "12-03-1980"
        screen.query_one("#field-salutation", Select).value = "mr"  # "Geachte heer Jansen,"
        screen.query_one("#field-formal_name", Input).value = "Jansen-de Wit"
        await pilot.press("ctrl+s")
        await settle(pilot)
        return problems, stored, screen_text(pilot)

    problems, stored_while_wrong, page = drive(make_tui(demo_books), scenario)
    assert "12345" in problems and "32-01-1980" in problems
    assert stored_while_wrong == before
    client = next(c for c in list_clients(demo_books) if c.name == "Jansen & <Zn>")
    assert (client.postcode, client.birth_date.isoformat()) == ("3512 AB", "1980-03-12")
    assert (client.salutation, client.formal_name) == ("mr", "Jansen-de Wit")
    assert "Jansen & <Zn>" in page  # the new client's page opened


def test_the_audit_log_shows_a_change_made_here(demo_books: Books, make_tui: Any) -> None:
    from ledger.privacy.audit_log import count_entries, list_entries

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        await pilot.press("6")
        await settle(pilot)
        term = pilot.app.screen.query_one("#field-payment_term", Input)
        term.focus()
        term.value = ""
        await pilot.press("2", "1", "ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        shown = screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        return shown, type(pilot.app.screen).__name__

    shown, back_on = drive(make_tui(demo_books), scenario)
    newest = list_entries(demo_books, 1)[0]
    assert (newest.entity, newest.action) == ("practice", "update")
    assert newest.after is not None and newest.after["payment_term_days"] == 21
    assert "Audit" in shown or "Logboek" in shown
    assert f"{count_entries(demo_books)} " in shown  # the count of all changes
    assert "payment_term_days: 14 -> 21" in shown
    assert back_on == "SettingsScreen"


def test_the_audit_log_and_the_client_list_load_more_rows_near_the_end(
        demo_books: Books, make_tui: Any) -> None:
    """Both lists page in SQL (tui.screens.paged): the next 100 rows come as the cursor
    nears the end, and the rows are the books' own, newest first / by name."""
    from ledger.practice.clients import add_client
    from ledger.privacy.audit_log import count_entries, list_entries

    for number in range(110):  # enough clients for a second page
        add_client(demo_books, {"name": f"Zwart {number:03d}", "city": "Utrecht"})
    total = count_entries(demo_books)
    assert total > 200

    async def scenario(pilot: Pilot[Any]) -> tuple[int, int, str, int, int, str]:
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        table = pilot.app.screen.query_one("#audit-list")
        first = table.row_count
        table.move_cursor(row=first - 3)
        await settle(pilot)
        audit = (first, table.row_count, str(table.get_row_at(first)[3]))
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        clients = pilot.app.screen.query_one("#client-list")
        before = clients.row_count
        clients.move_cursor(row=before - 3)
        await settle(pilot)
        return (*audit, before, clients.row_count, str(clients.get_row_at(before)[0]))

    first, more, record, before, after, name = drive(make_tui(demo_books), scenario)
    assert (first, more) == (100, 200)
    entry = list_entries(demo_books, 1, 100)[0]  # the 101st newest change
    assert (entry.entity, record) == ("client", f"cliënt {entry.entity_id}")  # in Dutch
    assert before == 100 and after > 100
    assert name == list_clients(demo_books, "", limit=1, offset=100)[0].name
