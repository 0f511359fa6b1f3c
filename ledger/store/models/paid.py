"""Storage for getting paid: the mail log, reminders, imported bank statements and matches.

- ``mail_log``: every attempt to e-mail a document (sent or failed, with the reason).
- ``reminder``: payment reminders and fourteen-day letters per invoice, with the
  collection costs the letter announced.
- ``bank_import`` / ``bank_line``: statement files read and their lines; a line's
  ``import_key`` is unique, so importing the same file twice adds nothing.
- ``bank_match``: which invoice(s) a line pays and how much; a confirmed match points at
  the payment it created.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ledger.store.models.base import Base

MAIL_KINDS = ("invoice", "credit", "statement", "reminder", "confirmation",
              "appointment_reminder")
REMINDER_KINDS = ("first", "fourteen_day")
LINE_STATUSES = ("proposed", "unmatched", "booked", "debit", "ignored")
MATCH_STATUSES = ("proposed", "confirmed", "rejected")


class MailLog(Base):
    """One attempt to send a document by e-mail."""

    __tablename__ = "mail_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id"))
    kind: Mapped[str] = mapped_column(String(20))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("treatment_session.id", ondelete="SET NULL"))  # an appointment's mail
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(8))
    error: Mapped[str] = mapped_column(Text, default="")
    attachment: Mapped[str] = mapped_column(String(200), default="")
    attachment_sha256: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint("kind IN ('invoice', 'credit', 'statement', 'reminder', 'confirmation', "
                        "'appointment_reminder')", name="kind"),
        CheckConstraint("status IN ('sent', 'failed')", name="status"),
        Index("ix_mail_log_invoice", "invoice_id", "at"),
        Index("ix_mail_log_client", "client_id"),
        Index("ix_mail_log_session", "session_id", "kind"),
    )


class Reminder(Base):
    """A payment reminder or a fourteen-day letter (veertiendagenbrief) for one invoice."""

    __tablename__ = "reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"))
    kind: Mapped[str] = mapped_column(String(12))
    date: Mapped[dt.date] = mapped_column(Date)
    principal_cents: Mapped[int] = mapped_column(BigInteger)  # what was open that day
    costs_cents: Mapped[int] = mapped_column(BigInteger, default=0)  # announced (WIK)
    pay_by: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(8), default="letter")
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint("kind IN ('first', 'fourteen_day')", name="kind"),
        CheckConstraint("channel IN ('letter', 'email')", name="channel"),
        CheckConstraint("principal_cents > 0 AND costs_cents >= 0", name="amounts"),
        Index("ix_reminder_invoice", "invoice_id", "date"),
    )


class BankImport(Base):
    """One statement file read."""

    __tablename__ = "bank_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(20))
    lines_new: Mapped[int] = mapped_column(Integer, default=0)
    lines_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)


class BankLine(Base):
    """A line of a bank statement: money in (credit, positive) or out (debit, negative)."""

    __tablename__ = "bank_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("bank_import.id"))
    bank: Mapped[str] = mapped_column(String(20))
    account: Mapped[str] = mapped_column(String(40), default="")
    booking_date: Mapped[dt.date] = mapped_column(Date)
    value_date: Mapped[dt.date | None] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    counterparty_name: Mapped[str] = mapped_column(String(200), default="")
    counterparty_iban: Mapped[str] = mapped_column(String(40), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    bank_ref: Mapped[str] = mapped_column(String(200), default="")
    import_key: Mapped[str] = mapped_column(String(64))
    # The same payment in any format (own account, date, amount, counter-account); NULL for
    # lines stored before migration 0010.
    identity: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(String(300), default="")  # in English
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # The note as its template and values (ledger.bank.notes), to show it in the reader's
    # language; NULL for lines stored before migration 0013 and lines without a note.
    note_phrase: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("import_key", name="uq_bank_line_import_key"),
        CheckConstraint(
            "status IN ('proposed', 'unmatched', 'booked', 'debit', 'ignored', 'other')",
            name="status"),
        Index("ix_bank_line_status", "status", "booking_date"),
        Index("ix_bank_line_import", "import_id"),
        Index("ix_bank_line_identity", "identity"),
    )


class BankMatch(Base):
    """Part (or all) of a statement line paying one invoice."""

    __tablename__ = "bank_match"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("bank_line.id"))
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    # number (certain), number_part, amount_name, amount, manual
    rule: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint("status IN ('proposed', 'confirmed', 'rejected')", name="status"),
        CheckConstraint("amount_cents > 0", name="amount"),
        Index("ix_bank_match_line", "line_id"),
        Index("ix_bank_match_invoice", "invoice_id", "status"),
    )
