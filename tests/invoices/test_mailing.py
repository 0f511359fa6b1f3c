"""E-mailing documents through a real SMTP server on 127.0.0.1 (aiosmtpd, with login).

Anna de Vries (Dutch) and John Smith (English) each had a treatment in October; their
invoices 2026-0001 and 2026-0002 are overdue on 24 November 2026.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest

from invoices.archive import ensure_pdf
from invoices.steps.mail import send_invoice, send_reminder, send_statement
from ledger.base.errors import InputError
from ledger.billing.credits import credit_invoice
from ledger.billing.issuing import issue_invoice
from ledger.billing.reminders import reminders_by_invoice
from ledger.billing.sessions import create_invoice
from ledger.books import Books
from ledger.mail.smtp import PASSWORD_ENV, MailError, mail_log, update_mail_settings
from ledger.mail.templates import get_template, set_template
from tests.factories import make_client, record_session, sell_package
from tests.smtp_server import (
    PASSWORD,
    QUIET,
    REFUSED,
    USER,
    Inbox,
    closed_port,
    smtp_server,
    starttls_server,
    tls_files,
)

__all__ = ["closed_port", "smtp_server", "starttls_server", "tls_files"]  # fixtures
pytestmark = QUIET


def _issue(books: Books, client_id: int, treatment_id: int, day: date) -> str:
    record_session(books, client_id, treatment_id, day, package="none")
    number = issue_invoice(books, create_invoice(books, client_id, None).id, day).number
    assert number is not None
    return number


@pytest.fixture
def mailing(runner_practice: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
            smtp_server: Inbox) -> dict[str, Any]:
    books = runner_practice["books"]
    from ledger.practice.profile import update_practice

    update_practice(books, {"email": "praktijk@zool.nl", "phone": "030 123 4567"})
    anna = make_client(books, "Anna de Vries", email="anna@example.nl")
    john = make_client(books, "John Smith", email="john@example.com", language="en")
    treatment = runner_practice["treatment"]
    numbers = [_issue(books, anna.id, treatment.id, date(2026, 10, 1)),
               _issue(books, john.id, treatment.id, date(2026, 10, 2))]
    update_mail_settings(books, {"smtp_host": smtp_server.host,
                                 "smtp_port": str(smtp_server.port), "smtp_security": "none",
                                 "smtp_user": USER, "email_from": "facturen@zool.nl"})
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    return {**runner_practice, "anna": anna, "john": john, "numbers": numbers,
            "inbox": smtp_server}


def _pdf(message: Any) -> tuple[str, bytes]:
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    part = attachments[0]
    assert part.get_content_type() == "application/pdf"
    return part.get_filename(), part.get_payload(decode=True)


def test_invoice_arrives_with_the_archived_pdf(mailing: dict[str, Any]) -> None:
    books, inbox = mailing["books"], mailing["inbox"]
    record = send_invoice(books, "2026-0001")
    assert len(inbox.received) == 1
    got = inbox.received[0]
    assert got.rcpt_tos == ["anna@example.nl"]
    assert got.mail_from == "facturen@zool.nl"
    message = got.message
    assert message["To"] == "anna@example.nl"
    assert message["Subject"] == "Factuur 2026-0001 van Voetreflex Praktijk Zool"
    assert message["Reply-To"] == "praktijk@zool.nl"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert body.startswith("Beste Anna,")  # by first name, the default
    assert "factuur 2026-0001 van 1 oktober 2026 voor een bedrag van € 65,00" in body
    assert "uiterlijk 15 oktober 2026 overmaken op NL91 ABNA 0417 1643 00" in body
    name, data = _pdf(message)
    archived = ensure_pdf(books, "2026-0001").read_bytes()
    assert name == "factuur-2026-0001.pdf"
    assert data == archived  # byte for byte
    assert record.status == "sent" and record.attachment_sha256 == hashlib.sha256(
        archived).hexdigest()
    [logged] = mail_log(books, invoice_id=record.invoice_id)
    assert (logged.kind, logged.recipient, logged.status) == ("invoice", "anna@example.nl",
                                                              "sent")


def test_english_client_gets_english_text(mailing: dict[str, Any]) -> None:
    send_invoice(mailing["books"], "2026-0002")
    message = mailing["inbox"].received[0].message
    assert message["Subject"] == "Invoice 2026-0002 from Voetreflex Praktijk Zool"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert body.startswith("Dear John,")
    assert "for €65.00" in body and "by 16 October 2026" in body
    assert _pdf(message)[0] == "invoice-2026-0002.pdf"


def test_credit_note_and_other_address(mailing: dict[str, Any]) -> None:
    books = mailing["books"]
    credit = credit_invoice(books, "2026-0001")
    send_invoice(books, credit.number or "", to="boekhouding@example.nl")
    got = mailing["inbox"].received[0]
    assert got.rcpt_tos == ["boekhouding@example.nl"]
    assert got.message["Subject"] == f"Creditnota {credit.number} van Voetreflex Praktijk Zool"
    assert "corrigeert factuur 2026-0001" in got.message.get_body().get_content()
    assert _pdf(got.message)[1] == ensure_pdf(books, credit.number or "").read_bytes()


def test_wrong_password_fails_cleanly(mailing: dict[str, Any],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    books = mailing["books"]
    monkeypatch.setenv(PASSWORD_ENV, "verkeerd")
    with pytest.raises(MailError) as caught:
        send_invoice(books, "2026-0001")
    message = caught.value.message
    assert message.startswith("e-mail: 127.0.0.1:")
    assert "refused the login of zool (wrong user name or password)" in message
    assert "\n" not in message
    assert mailing["inbox"].received == []
    [logged] = mail_log(books)
    assert (logged.status, logged.error) == ("failed", message)


def test_unreachable_server(mailing: dict[str, Any], closed_port: int) -> None:
    books = mailing["books"]
    update_mail_settings(books, {"smtp_port": str(closed_port)})
    with pytest.raises(MailError, match=rf"cannot reach the mail server 127\.0\.0\.1:"
                                        rf"{closed_port} \(connection refused"):
        send_invoice(books, "2026-0001")
    assert [r.status for r in mail_log(books)] == ["failed"]


def test_refused_recipient(mailing: dict[str, Any]) -> None:
    with pytest.raises(MailError, match=f"refused the recipient {REFUSED}: 550 5.1.1 no such"):
        send_invoice(mailing["books"], "2026-0001", to=REFUSED)
    assert [(r.status, r.recipient) for r in mail_log(mailing["books"])] == [
        ("failed", REFUSED)]


def test_no_password_no_address_no_server(mailing: dict[str, Any],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    books = mailing["books"]
    monkeypatch.delenv(PASSWORD_ENV)
    with pytest.raises(MailError, match="no password for zool: set SOLEBOOK_SMTP_PASSWORD"):
        send_invoice(books, "2026-0001")
    nobody = make_client(books, "Zonder Mail")
    number = _issue(books, nobody.id, mailing["treatment"].id, date(2026, 10, 3))
    with pytest.raises(InputError, match="Zonder Mail has no e-mail address; give --to"):
        send_invoice(books, number)
    update_mail_settings(books, {"smtp_host": "smtp.example.nl", "smtp_security": "none"})
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with pytest.raises(MailError, match="refusing to send the password unencrypted"):
        send_invoice(books, "2026-0001")
    assert [r.status for r in mail_log(books)] == ["failed", "failed"]
    assert mailing["inbox"].received == []


def test_edited_template_is_used_and_unknown_fields_refused(mailing: dict[str, Any]) -> None:
    books = mailing["books"]
    with pytest.raises(InputError, match=r"unknown field \{bedrag\}; the fields are: "):
        set_template(books, "invoice", "nl", body="Betaal {bedrag}")
    with pytest.raises(InputError, match="is not a plain field"):
        set_template(books, "invoice", "nl", subject="{number.__class__}")
    set_template(books, "invoice", "nl", subject="Nota {number}",
                 body="Hallo {client_name}, graag {amount} voor {due_date}. {{groet}}")
    send_invoice(books, "2026-0001")
    message = mailing["inbox"].received[0].message
    assert message["Subject"] == "Nota 2026-0001"
    assert message.get_body().get_content().strip() == (
        "Hallo Anna de Vries, graag € 65,00 voor 15 oktober 2026. {groet}")
    assert get_template(books, "invoice", "nl").edited
    assert not set_template(books, "invoice", "nl", reset=True).edited


def test_fourteen_day_letter_by_email(mailing: dict[str, Any]) -> None:
    books = mailing["books"]
    outcome = send_reminder(books, "2026-0001", "fourteen_day", email=True)
    message = mailing["inbox"].received[0].message
    assert message["Subject"] == "Aanmaning factuur 2026-0001: betaling binnen 14 dagen"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "binnen 14 dagen na de dag waarop u dit bericht hebt ontvangen" in body
    assert "buitengerechtelijke incassokosten verschuldigd van € 40,00" in body
    name, data = _pdf(message)
    assert name == "aanmaning-2026-0001.pdf"
    assert data == outcome.archived.read_bytes()
    assert outcome.reminder.channel == "email"
    assert outcome.reminder.pay_by == date(2026, 12, 8)  # e-mail: received today, + 14 days
    [stored] = reminders_by_invoice(books, [outcome.reminder.invoice_id])[
        outcome.reminder.invoice_id]
    assert (stored.kind, stored.costs, stored.principal) == ("fourteen_day", 40_00, 65_00)


def test_failed_reminder_mail_records_no_reminder(mailing: dict[str, Any],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    books = mailing["books"]
    monkeypatch.setenv(PASSWORD_ENV, "verkeerd")
    with pytest.raises(MailError):
        send_reminder(books, "2026-0002", "first", email=True)
    info_id = mail_log(books)[0].invoice_id
    assert info_id is not None and reminders_by_invoice(books, [info_id])[info_id] == []
    assert [(r.kind, r.status) for r in mail_log(books)] == [("reminder", "failed")]


def test_claim_statement_by_email(mailing: dict[str, Any]) -> None:
    books = mailing["books"]
    package = sell_package(books, mailing["anna"].id, mailing["plan"].id)
    send_statement(books, package_id=package.id)
    got = mailing["inbox"].received[0]
    assert got.rcpt_tos == ["anna@example.nl"]
    assert got.message["Subject"] == "Declaratieoverzicht van Voetreflex Praktijk Zool"
    assert "Dit is geen factuur" in got.message.get_body().get_content()
    name, data = _pdf(got.message)
    assert name.startswith("declaratieoverzicht-") and data.startswith(b"%PDF")
    assert mail_log(books)[0].kind == "statement"


def test_starttls(mailing: dict[str, Any], starttls_server: Inbox, tls_files: tuple[str, str],
                  monkeypatch: pytest.MonkeyPatch) -> None:
    """STARTTLS (the default): a certificate the system does not trust is refused; once
    trusted (SSL_CERT_FILE), the message goes through the encrypted connection."""
    books = mailing["books"]
    update_mail_settings(books, {"smtp_port": str(starttls_server.port),
                                 "smtp_security": "starttls"})
    with pytest.raises(MailError, match=r"secure connection to 127\.0\.0\.1:\d+ failed "
                                        r"\(CERTIFICATE_VERIFY_FAILED\)"):
        send_invoice(books, "2026-0001")
    assert starttls_server.received == []
    monkeypatch.setenv("SSL_CERT_FILE", tls_files[0])
    send_invoice(books, "2026-0001")
    [got] = starttls_server.received
    assert got.rcpt_tos == ["anna@example.nl"]
    assert [r.status for r in mail_log(books)] == ["sent", "failed"]
