"""The reminders view (key h): who is overdue, and a reminder for the selected invoice.

The demo practice (clock at Tuesday 24 November 2026, 10:00) has eight overdue invoices,
the oldest due 13 March 2026; every demo client has an e-mail address. Expected values are
worked out here from the invoices themselves (due dates, open amounts, the WIK scale),
never copied from the screen.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button

from ledger.base.money import format_money
from ledger.billing.payments import register_payment
from ledger.billing.reminders import collection_costs, overdue_invoices, reminders_by_invoice
from ledger.books import Books
from ledger.mail.smtp import PASSWORD_ENV, mail_log, update_mail_settings
from ledger.practice.clients import get_client
from tests.factories import TODAY
from tests.invoices.pdftools import text
from tests.smtp_server import PASSWORD, QUIET, USER, Inbox, smtp_server
from tests.tui.pilot import drive, notifications, screen_text, settle
from tui.widgets.fit_table import FitTable

__all__ = ["smtp_server"]  # fixture
pytestmark = QUIET


def nl_day(d: Any) -> str:
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


async def open_reminders(pilot: Pilot[Any]) -> None:
    await pilot.press("h")
    await settle(pilot)


def test_list_shows_the_overdue_invoices(demo_books: Books, make_tui: Any) -> None:
    overdue = overdue_invoices(demo_books)
    assert len(overdue) >= 3

    async def scenario(pilot: Pilot[Any]) -> tuple[dict[str, str], str, list[list[str]]]:
        footer = {key: active.binding.description
                  for key, active in pilot.app.screen.active_bindings.items()
                  if active.binding.show}
        await open_reminders(pilot)
        table = pilot.app.screen.query_one("#reminders-list", FitTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        return footer, screen_text(pilot), rows

    home, shown, rows = drive(make_tui(demo_books), scenario)
    assert home["h"] == "Herinneringen"  # the key is in the overview's footer
    assert "Herinneringen · te late facturen" in shown
    total = sum(o.invoice.open for o in overdue)
    assert f"{len(overdue)} facturen te laat · {format_money(total)} open" in shown
    # Most overdue first, as `solebook reminder list`; Dutch dates and amounts.
    assert [r[1] for r in rows] == [o.invoice.number for o in overdue]
    for row, o in zip(rows, overdue, strict=True):
        due = o.invoice.due_date
        assert due is not None
        assert row[0] == o.invoice.client_name
        assert row[2] == nl_day(due)
        assert row[3] == str((TODAY - due).days)
        assert row[4] == format_money(o.invoice.open, "nl")
        assert re.fullmatch(r"€ \d{1,3}(\.\d{3})*,\d\d", row[4])
        assert row[5] == "—" and row[6] == "herinnering"
    assert "Volgende stap: stuur een betalingsherinnering (f)." in shown


def test_make_a_payment_reminder(demo_books: Books, make_tui: Any) -> None:
    target = overdue_invoices(demo_books)[1]
    number = target.invoice.number or ""

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str, str, list[str], str]:
        await open_reminders(pilot)
        await pilot.press("down", "f")
        await settle(pilot)
        dialog = screen_text(pilot)
        await pilot.press("enter")  # "Pdf maken" has the focus
        await settle(pilot)
        table = pilot.app.screen.query_one("#reminders-list", FitTable)
        row = [str(c) for c in table.get_row_at(1)]
        after = screen_text(pilot)
        await pilot.press("l")  # the next step too early: the dialog says to wait
        await settle(pilot)
        early = screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        return dialog, notifications(pilot), after, row, early

    dialog, shown, after, row, early = drive(make_tui(demo_books), scenario)
    pay_by = TODAY + timedelta(days=7)  # the first reminder's default term
    assert f"Betalingsherinnering voor {number}" in dialog
    assert f"{format_money(target.invoice.open)} open op {number}" in dialog
    assert f"uiterlijk {nl_day(pay_by)} betalen" in dialog

    [reminder] = reminders_by_invoice(demo_books, [target.invoice.id])[target.invoice.id]
    assert (reminder.kind, reminder.channel, reminder.date, reminder.pay_by) == (
        "first", "letter", TODAY, pay_by)
    assert reminder.principal == target.invoice.open
    assert reminder.document_path is not None
    pdf = demo_books.db.data_dir / reminder.document_path
    assert f"Pdf bewaard: {pdf}" in shown
    assert str(pdf) in after  # the detail line shows where it is
    words = text(pdf.read_bytes())
    assert number in words and target.invoice.client_name in words
    money = format_money(target.invoice.open, target.invoice.language)
    assert money in words
    assert row[5] == f"herinnering {nl_day(TODAY)}"
    assert row[6] == f"wachten tot {nl_day(pay_by)}"
    assert mail_log(demo_books) == []  # a letter, not an e-mail
    assert f"Eerder verstuurd: herinnering {nl_day(TODAY)}." in early
    assert f"Advies: wachten: de termijn loopt tot en met {nl_day(pay_by)}." in early


def test_fourteen_day_letter_states_the_collection_costs(demo_books: Books,
                                                         make_tui: Any, opened: list[Path]
                                                         ) -> None:
    """The books allow the fourteen-day letter as the first reminder (art. 6:96 BW asks for
    the letter, not for an earlier reminder); the dialog and the letter state the costs."""
    target = max(overdue_invoices(demo_books), key=lambda o: o.invoice.open)
    costs = collection_costs(target.invoice.open)
    row_index = overdue_invoices(demo_books).index(target)

    async def scenario(pilot: Pilot[Any]) -> str:
        await open_reminders(pilot)
        for _ in range(row_index):
            await pilot.press("down")
        await pilot.press("l")
        await settle(pilot)
        dialog = screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("o")  # open the letter just made
        await settle(pilot)
        return dialog

    dialog = drive(make_tui(demo_books), scenario)
    assert f"Veertiendagenbrief voor {target.invoice.number}" in dialog
    assert f"Incassokosten als daarna nog niet betaald is: {format_money(costs)}" in dialog
    [reminder] = reminders_by_invoice(demo_books, [target.invoice.id])[target.invoice.id]
    assert (reminder.kind, reminder.costs, reminder.channel) == ("fourteen_day", costs, "letter")
    assert reminder.document_path is not None
    pdf = demo_books.db.data_dir / reminder.document_path
    assert opened == [pdf]
    words = text(pdf.read_bytes())
    assert format_money(costs, target.invoice.language) in words
    assert "6:96" in words


def test_refused_when_paid_in_the_meantime(demo_books: Books, make_tui: Any) -> None:
    target = overdue_invoices(demo_books)[0]
    number = target.invoice.number or ""

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str, list[str]]:
        await open_reminders(pilot)
        register_payment(demo_books, number, target.invoice.open)  # paid at the counter
        await pilot.press("f")
        await settle(pilot)
        table = pilot.app.screen.query_one("#reminders-list", FitTable)
        numbers = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        return type(pilot.app.screen).__name__, notifications(pilot), numbers

    screen, shown, numbers = drive(make_tui(demo_books), scenario)
    assert screen == "RemindersScreen"  # no dialog: the books refused
    assert "Niet gelukt" in shown and number in shown
    assert reminders_by_invoice(demo_books, [target.invoice.id])[target.invoice.id] == []
    assert number not in numbers  # the list was read again


def test_send_a_reminder_by_email(demo_books: Books, make_tui: Any, smtp_server: Inbox,
                                  monkeypatch: Any) -> None:
    update_mail_settings(demo_books, {"smtp_host": smtp_server.host,
                                      "smtp_port": str(smtp_server.port),
                                      "smtp_security": "none", "smtp_user": USER,
                                      "email_from": "info@dezool.example"})
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    target = overdue_invoices(demo_books)[0]
    address = get_client(demo_books, target.invoice.client_id).email
    assert address

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        await open_reminders(pilot)
        await pilot.press("f")
        await settle(pilot)
        dialog = screen_text(pilot)
        await pilot.click("#email")
        await settle(pilot)
        return dialog, notifications(pilot)

    dialog, shown = drive(make_tui(demo_books), scenario)
    assert f"Per e-mail naar {address}, met de pdf als bijlage." in dialog
    assert f"Gemaild naar {address}." in shown
    [got] = smtp_server.received
    assert got.rcpt_tos == [address]
    [attachment] = list(got.message.iter_attachments())
    words = text(attachment.get_content())
    assert (target.invoice.number or "?") in words
    [log] = mail_log(demo_books, invoice_id=target.invoice.id)
    assert (log.kind, log.status, log.recipient) == ("reminder", "sent", address)
    [reminder] = reminders_by_invoice(demo_books, [target.invoice.id])[target.invoice.id]
    assert reminder.channel == "email" and reminder.kind == "first"


def test_no_email_without_mail_settings(demo_books: Books, make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> tuple[str, bool, str]:
        await open_reminders(pilot)
        await pilot.press("f")
        await settle(pilot)
        button = pilot.app.screen.query_one("#email", Button)
        dialog = screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        return dialog, button.disabled, type(pilot.app.screen).__name__

    dialog, disabled, back = drive(make_tui(demo_books), scenario, size=(80, 24))
    assert "E-mail is nog niet ingesteld" in dialog
    assert disabled and back == "RemindersScreen"
    target = overdue_invoices(demo_books)[0]
    assert reminders_by_invoice(demo_books, [target.invoice.id])[target.invoice.id] == []
    assert mail_log(demo_books) == []


def test_snapshot(demo_books: Books, make_tui: Any, snap_compare: Any) -> None:
    """The view at 120x35 after a payment reminder for the second invoice (cursor on the
    third)."""

    async def remind(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await open_reminders(pilot)
        await pilot.press("down", "f")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("down")  # the detail of a row without a PDF (no temporary path)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_tui(demo_books), terminal_size=(120, 35), run_before=remind)


def test_escape_leaves_the_reminders_for_where_they_were_opened(demo_books: Books,
                                                                make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> list[str]:
        seen = []
        for keys in (("4", "h", "escape"), ("1", "h", "escape")):
            await pilot.press(*keys[:2])
            await settle(pilot)
            seen.append(pilot.app.current_mode)
            await pilot.press(keys[2])
            await settle(pilot)
            seen.append(pilot.app.current_mode)
        return seen

    assert drive(make_tui(demo_books), scenario) == [
        "reminders", "invoices", "reminders", "home"]
