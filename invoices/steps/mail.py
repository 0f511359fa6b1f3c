"""Sending documents by e-mail (a step for both front ends): invoices, credit notes, claim
statements and reminders.

The attachment of an invoice or credit note is its archived PDF, byte for byte
(:func:`invoices.archive.ensure_pdf`). The text comes from the editable templates in the
invoice's language (:mod:`ledger.mail.templates`); :func:`ledger.mail.smtp.send` talks to the
server and logs the attempt. A reminder is rendered, sent when asked, archived under
``documents/YYYY/reminders/`` and recorded with the invoice (:func:`send_reminder`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from invoices.archive import ensure_pdf
from invoices.logo import LogoBook
from ledger.base.codes import InvoiceKind
from ledger.base.errors import N_, InputError, RuleViolation, StorageError
from ledger.base.file_names import document_name, safe, slug
from ledger.billing.reminders import ReminderInfo, plan_reminder, record_reminder
from ledger.billing.status import get_invoice
from ledger.books import Books
from ledger.mail.smtp import Attachment, MailRecord, send
from ledger.mail.templates import fill, invoice_values, reminder_values, statement_values
from ledger.practice.clients import get_client
from ledger.practice.profile import get_practice
from ledger.store.files import private_folder, write_atomic


def attachment_name(kind: str, ident: str, language: str) -> str:
    return document_name(kind, language, safe(ident))


def _recipient(books: Books, client_id: int, to: str | None) -> str:
    if to:
        from ledger.base.identifiers import parse_email

        return parse_email(to, N_("to"))  # checked before anything is archived or logged
    client = get_client(books, client_id)
    if not client.email:
        raise InputError("to", "{name} has no e-mail address; give --to ADDRESS or add it "
                               "with `solebook client edit {id} --email ADDRESS`",
                         name=client.name, id=client.id)
    return client.email


def _sender(books: Books) -> tuple[str, str]:
    practice = get_practice(books)
    return practice.name, practice.email


def send_invoice(books: Books, number: str, to: str | None = None) -> MailRecord:
    """E-mail an issued invoice or credit note with its archived PDF attached."""
    info = get_invoice(books, number)
    if info.number is None:
        raise RuleViolation(
            "invoice: draft #{id} is not issued; issue it before sending", id=info.id)
    kind = InvoiceKind.CREDIT if info.kind == InvoiceKind.CREDIT else InvoiceKind.INVOICE
    recipient = _recipient(books, info.client_id, to)
    subject, body = fill(books, kind, info.language, invoice_values(info))
    data = ensure_pdf(books, info.number).read_bytes()
    name, reply_to = _sender(books)
    return send(books, kind=kind, to=recipient, subject=subject, body=body,
                attachment=Attachment(attachment_name(kind, info.number, info.language), data),
                invoice_id=info.id, client_id=info.client_id, sender_name=name,
                reply_to=reply_to)


def send_statement(books: Books, *, package_id: int | None = None,
                   client_id: int | None = None, year: int | None = None,
                   to: str | None = None) -> MailRecord:
    """E-mail a claim statement: for a package, or for a client and a year."""
    from invoices.statements import client_year_statement, package_statement, render_statement
    from invoices.texts import texts_for

    if package_id is not None:
        statement = package_statement(books, package_id)
    elif client_id is not None and year is not None:
        statement = client_year_statement(books, client_id, year)
    else:
        raise InputError("statement", "give a package, or a client and a year")
    t = texts_for(statement.language)
    title = (t.gettext("Annual statement {year}").format(year=statement.year)
             if statement.kind == "year" else t.gettext("Claim statement"))
    ident = str(statement.year) if statement.kind == "year" else f"{package_id}"
    data = render_statement(statement, LogoBook(books).at(None))
    recipient = _recipient(books, statement.client_id, to)
    subject, body = fill(books, "statement", statement.language, statement_values(
        statement.client, statement.practice, title, statement.total,
        statement.language))
    name, reply_to = _sender(books)
    return send(books, kind="statement", to=recipient, subject=subject, body=body,
                attachment=Attachment(document_name(
                    "year_statement" if statement.kind == "year" else "statement",
                    statement.language, ident, slug(statement.client.get("name", ""))), data),
                client_id=statement.client_id, sender_name=name, reply_to=reply_to)


@dataclass(frozen=True)
class ReminderOutcome:
    reminder: ReminderInfo
    archived: Path
    copy: Path | None
    mail: MailRecord | None


def send_reminder(books: Books, number: str, kind: str = "first", *, email: bool = False,
                  to: str | None = None, pdf: Path | str | None = None) -> ReminderOutcome:
    """Make a reminder letter for an overdue invoice; e-mail it when ``email``.

    Nothing is recorded when the e-mail fails (the failure is in the mail log)."""
    from invoices.reminders import render_reminder

    plan = plan_reminder(books, number, kind, "email" if email else "letter")
    data = render_reminder(plan, LogoBook(books).at(None))
    record = None
    if email:
        recipient = to or plan.client_email
        if not recipient:
            raise InputError("to", "{name} has no e-mail address; give --to ADDRESS, or send "
                                   "the PDF by post (without --email)",
                             name=plan.client.get("name", ""))
        subject, body = fill(books, f"reminder_{kind}", plan.language, reminder_values(plan))
        name, reply_to = _sender(books)
        record = send(books, kind="reminder", to=recipient, subject=subject, body=body,
                      attachment=Attachment(attachment_name(kind, plan.invoice.number or "",
                                                            plan.language), data),
                      invoice_id=plan.invoice.id, client_id=plan.invoice.client_id,
                      sender_name=name, reply_to=reply_to)
    stem = attachment_name(kind, plan.invoice.number or "", plan.language)[:-4]
    relative = (f"documents/{plan.date.year}/reminders/{stem}-{plan.date:%Y%m%d}-"
                f"{len(plan.previous) + 1}.pdf")
    archived = books.db.data_dir / relative
    try:
        private_folder(archived.parent)
    except OSError as exc:
        raise StorageError(
            "archive: cannot create {parent}: {strerror}",
            parent=archived.parent, strerror=exc.strerror) from None
    write_atomic(archived, data, 0o600, field="archive")
    info = record_reminder(books, plan, path=relative, sha256=hashlib.sha256(data).hexdigest())
    copy = write_atomic(Path(pdf).expanduser(), data, 0o600, field="pdf") if pdf else None
    return ReminderOutcome(info, archived, copy, record)


__all__ = ["attachment_name", "send_invoice", "send_reminder", "send_statement"]
