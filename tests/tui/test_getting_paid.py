"""Getting paid in the app: review a bank statement, and "send now?" after issuing.

The demo practice has overdue invoices. The statement pays the oldest in full (its number
in the description), half of the next one, and has a payment from a stranger.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from ledger.bank.booking import list_lines
from ledger.billing.lists import unbilled_by_client
from ledger.billing.status import get_invoice, list_invoices
from ledger.books import Books
from ledger.mail.smtp import PASSWORD_ENV, mail_log, update_mail_settings
from tests.bank_samples import Tx, ing_semicolon
from tests.factories import TODAY
from tests.smtp_server import PASSWORD, QUIET, USER, Inbox, smtp_server
from tests.tui.pilot import drive, notifications, paste_text, screen_text, settle, type_text

__all__ = ["smtp_server"]  # fixture
pytestmark = QUIET


def _statement(books: Books, folder: Path) -> tuple[Path, Any, Any]:
    full, half = list_invoices(books, status="overdue", include_drafts=False)[:2]
    lines = (
        Tx(TODAY - timedelta(days=3), Decimal(full.open) / 100, full.client_name, "NL1",
           f"factuur {full.number}", "REF-FULL"),
        Tx(TODAY - timedelta(days=2), Decimal(half.open // 2) / 100, half.client_name, "NL2",
           f"deel van {half.number}", "REF-HALF"),
        Tx(TODAY - timedelta(days=1), Decimal("12.34"), "Onbekende Gever", "NL3", "gift", "X"),
    )
    path = folder / "ing.csv"
    path.write_bytes(ing_semicolon(lines))
    return path, full, half


def test_review_a_statement(demo_books: Books, make_tui: Any, tmp_path: Path) -> None:
    path, full, half = _statement(demo_books, tmp_path)

    async def scenario(pilot: Pilot[Any]) -> list[str]:
        seen = []
        await pilot.press("4", "k")
        await settle(pilot)
        seen.append(screen_text(pilot))
        await pilot.press("i")
        await settle(pilot)
        await paste_text(pilot, str(path))
        await pilot.press("enter")
        await settle(pilot)
        seen.append(screen_text(pilot) + notifications(pilot))
        await pilot.press("g")  # the stranger's gift (the newest line) is no invoice payment
        await settle(pilot)
        seen.append(screen_text(pilot))  # now the partial payment is highlighted
        await pilot.press("e")
        await settle(pilot)
        typed = pilot.app.screen.query_one("#field-invoices", Input).value
        seen.append(screen_text(pilot) + "\n" + typed)
        await pilot.press("enter")  # book it as the dialog proposes
        await settle(pilot)
        await pilot.press("enter")  # the full payment: book as proposed
        await settle(pilot)
        seen.append(screen_text(pilot) + notifications(pilot))
        return seen

    empty, imported, after_ignore, dialog, done = drive(make_tui(demo_books), scenario)
    assert "Niets te controleren" in empty
    assert "Afschrift ingelezen" in imported and "3 nieuwe regels" in imported
    assert "ing.csv wordt ingelezen" in imported  # said while it is read
    assert "Onbekende Gever" in imported and full.number in imported
    assert "deel van " + (half.number or "") in after_ignore
    assert "gedeeltelijke betaling: € " in after_ignore  # the note in Dutch, Dutch amounts
    assert "partial payment" not in after_ignore
    assert "Wat betaalt deze betaling?" in dialog
    assert f"\n{half.number}={half.open // 2 // 100},{half.open // 2 % 100:02d}" in dialog
    assert "Niets te controleren" in done and "Betaling geboekt" in done

    assert get_invoice(demo_books, full.number or "").status == "paid"
    after = get_invoice(demo_books, half.number or "")
    assert after.open == half.open - half.open // 2
    assert [(p.amount, p.reference) for p in after.payments][-1] == (half.open // 2, "REF-HALF")
    assert sorted(line.status for line in list_lines(demo_books)) == [
        "booked", "booked", "ignored"]


def test_send_now_after_issuing(demo_books: Books, make_tui: Any, smtp_server: Inbox,
                                monkeypatch: Any) -> None:
    update_mail_settings(demo_books, {"smtp_host": smtp_server.host,
                                      "smtp_port": str(smtp_server.port),
                                      "smtp_security": "none", "smtp_user": USER,
                                      "email_from": "info@dezool.example"})
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    waiting = unbilled_by_client(demo_books)[0]

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        await pilot.press("4", "d")
        await settle(pilot)
        await type_text(pilot, waiting.client_name)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("enter")  # issue (final)
        await settle(pilot)
        question = screen_text(pilot)
        await pilot.press("enter")  # send now
        await settle(pilot)
        return question, notifications(pilot)

    question, shown = drive(make_tui(demo_books), scenario)
    invoice = list_invoices(demo_books, client_id=waiting.client_id, newest_first=True)[0]
    assert f"{invoice.number} nu versturen?" in question
    [got] = smtp_server.received
    expected = {"nl": "Factuur {n} van {p}", "en": "Invoice {n} from {p}"}[invoice.language]
    assert got.message["Subject"] == expected.format(n=invoice.number,
                                                     p="Voetreflexpraktijk De Zool")
    assert got.rcpt_tos == [invoice.client["email"]]
    assert "E-mail verstuurd" in shown
    assert [r.status for r in mail_log(demo_books, invoice_id=invoice.id)] == ["sent"]


def test_no_question_without_mail_settings(demo_books: Books, make_tui: Any) -> None:
    invoice = list_invoices(demo_books, include_drafts=False)[0]

    async def scenario(pilot: Pilot[Any]) -> str:
        from tui.screens.invoice_page import InvoiceScreen

        await pilot.app.push_screen(InvoiceScreen(invoice.id))
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        return type(pilot.app.screen).__name__ + notifications(pilot)

    shown = drive(make_tui(demo_books), scenario)
    assert shown.startswith("InvoiceScreen")
    assert "E-mail is nog niet ingesteld" in shown and "Instellingen (6)" in shown
    assert mail_log(demo_books) == []


def test_a_refused_correction_keeps_the_dialog_and_what_was_typed(
        demo_books: Books, make_tui: Any, tmp_path: Path) -> None:
    """Enter on a line with nothing proposed asks what it pays; an invoice that does not
    exist: the refusal is said, the dialog stays open with the numbers typed (to mend
    one), and nothing was booked."""
    path, _full, _half = _statement(demo_books, tmp_path)
    from ledger.bank.importing import import_statement

    import_statement(demo_books, path)

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str, str]:
        await pilot.press("4", "k")
        await settle(pilot)
        await pilot.press("enter")  # the gift: nothing proposed
        await settle(pilot)
        field = pilot.app.screen.query_one("#field-invoices", Input)
        field.value = ""
        await paste_text(pilot, "2026-44=100")
        await pilot.press("enter")
        await settle(pilot)
        return (type(pilot.app.screen).__name__,
                pilot.app.screen.query_one("#field-invoices", Input).value,
                notifications(pilot))

    screen, typed, said = drive(make_tui(demo_books), scenario)
    assert (screen, typed) == ("CorrectDialog", "2026-44=100")
    assert "er is geen factuur '2026-44'" in said
    assert not any(line.status == "booked" for line in list_lines(demo_books, limit=None))


def test_after_a_line_is_dealt_with_the_cursor_stays_on_its_row(
        demo_books: Books, make_tui: Any, tmp_path: Path) -> None:
    """Ignoring the second line leaves the cursor on the second row: the next line to
    review, not the first of the list again."""
    path, full, _half = _statement(demo_books, tmp_path)
    from ledger.bank.importing import import_statement

    import_statement(demo_books, path)

    async def scenario(pilot: Pilot[Any]) -> tuple[int, str]:
        await pilot.press("4", "k")
        await settle(pilot)
        await pilot.press("down", "g")  # the partial payment: ignored
        await settle(pilot)
        table = pilot.app.screen.query_one("PagedTable")
        return table.cursor_row, screen_text(pilot).split("────")[-1]

    row, detail = drive(make_tui(demo_books), scenario)
    assert row == 1
    assert f"factuur {full.number}" in detail  # the full payment, the next to review


def test_the_correct_dialog_names_the_invoices_a_line_may_pay(
        demo_books: Books, make_tui: Any, tmp_path: Path) -> None:
    """A part payment by a client: her open invoice is named in the dialog (number, name,
    date, what is open), to type; a stranger's gift: none may fit, and it says so."""
    path, _full, half = _statement(demo_books, tmp_path)
    from ledger.bank.importing import import_statement

    import_statement(demo_books, path)

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        await pilot.press("4", "k")
        await settle(pilot)
        await pilot.press("e")  # the gift
        await settle(pilot)
        gift = screen_text(pilot)
        await pilot.press("escape", "down", "e")  # the part payment
        await settle(pilot)
        return gift, screen_text(pilot)

    gift, part = drive(make_tui(demo_books), scenario)
    assert "Geen openstaande factuur heeft dit bedrag" in gift
    assert "Openstaande facturen die deze betaling kan betalen:" in part
    assert f"{half.number} · {half.client_name}" in part
