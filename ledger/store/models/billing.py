"""Storage: what is owed and paid: packages sold, treatment sessions, invoice numbering,
invoices, their lines and payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ledger.store.models.base import Base, Rate


class Package(Base):
    """A package (series) sold to a client. Its balance is derived from its sessions."""

    __tablename__ = "package"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("package_plan.id"))
    treatment_id: Mapped[int] = mapped_column(ForeignKey("treatment.id"))
    name: Mapped[str] = mapped_column(String(200))
    sessions_total: Mapped[int] = mapped_column(Integer)
    price_cents: Mapped[int] = mapped_column(BigInteger)
    vat_rate: Mapped[Decimal] = mapped_column(Rate)
    sold_on: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date] = mapped_column(Date)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"))
    cancelled_on: Mapped[dt.date | None] = mapped_column(Date)
    cancel_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"))

    __table_args__ = (
        CheckConstraint("sessions_total > 0", name="sessions_total"),
        Index("ix_package_client", "client_id"),
    )


class TreatmentSession(Base):
    """A treatment planned, given (or missed, or cancelled): what happened, and what pays
    for it."""

    __tablename__ = "treatment_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    therapist_id: Mapped[int] = mapped_column(ForeignKey("therapist.id"))
    treatment_id: Mapped[int] = mapped_column(ForeignKey("treatment.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[dt.time | None] = mapped_column(Time)
    duration_min: Mapped[int] = mapped_column(Integer)
    price_cents: Mapped[int] = mapped_column(BigInteger)
    vat_rate: Mapped[Decimal] = mapped_column(Rate)
    status: Mapped[str] = mapped_column(String(12), default="given")
    fee_cents: Mapped[int | None] = mapped_column(BigInteger)
    package_id: Mapped[int | None] = mapped_column(ForeignKey("package.id"))
    #: The series a planned session holds a place on (it redeems it only once given).
    reserved_package_id: Mapped[int | None] = mapped_column(ForeignKey("package.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint("status IN ('given', 'no_show', 'late_cancel', 'planned', 'cancelled')",
                        name="status"),
        CheckConstraint("price_cents >= 0", name="price"),
        CheckConstraint("duration_min > 0", name="duration"),
        CheckConstraint("package_id IS NULL OR status = 'given'", name="package_given"),
        CheckConstraint("reserved_package_id IS NULL OR status = 'planned'",
                        name="reserved_planned"),
        Index("ix_session_client_date", "client_id", "date"),
        Index("ix_session_therapist_day", "therapist_id", "date", "start_time"),
        Index("ix_session_reserved", "reserved_package_id"),
        Index("ix_session_date", "date", "status", "duration_min", "price_cents"),
        Index("ix_session_package", "package_id"),
    )


class InvoiceSequence(Base):
    """The last number used in each series (one series per year)."""

    __tablename__ = "invoice_sequence"

    series: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Invoice(Base):
    """An invoice or credit note. A draft has no number; issued ones never change."""

    __tablename__ = "invoice"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), default="invoice")
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    number: Mapped[str | None] = mapped_column(String(40), unique=True)
    series: Mapped[str | None] = mapped_column(String(20))
    seq: Mapped[int | None] = mapped_column(Integer)
    date: Mapped[dt.date | None] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(2), default="nl")
    vat_regime: Mapped[str] = mapped_column(String(10), default="standard")
    regime_text: Mapped[str] = mapped_column(String(300), default="")
    credit_of_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"))
    practice_snapshot: Mapped[str] = mapped_column(Text, default="{}")
    client_snapshot: Mapped[str] = mapped_column(Text, default="{}")
    net_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    vat_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    total_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    issued_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", order_by="InvoiceLine.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("kind IN ('invoice', 'credit')", name="kind"),
        CheckConstraint(
            "(number IS NULL AND date IS NULL) OR (number IS NOT NULL AND date IS NOT NULL)",
            name="issued_has_date",
        ),
        UniqueConstraint("series", "seq", name="uq_invoice_series_seq"),
        Index("ix_invoice_date", "date", "kind", "net_cents", "vat_cents", "total_cents"),
        Index("ix_invoice_client", "client_id"),
        Index("ix_invoice_credit_of", "credit_of_id"),
    )


class InvoiceLine(Base):
    __tablename__ = "invoice_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    supply_date: Mapped[dt.date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    unit_price_cents: Mapped[int] = mapped_column(BigInteger)
    vat_rate: Mapped[Decimal] = mapped_column(Rate)
    net_cents: Mapped[int] = mapped_column(BigInteger)
    vat_cents: Mapped[int] = mapped_column(BigInteger)
    gross_cents: Mapped[int] = mapped_column(BigInteger)
    performance_code: Mapped[str] = mapped_column(String(10), default="")
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("treatment_session.id", ondelete="RESTRICT"), unique=True
    )
    package_id: Mapped[int | None] = mapped_column(ForeignKey("package.id"))
    credited_line_id: Mapped[int | None] = mapped_column(ForeignKey("invoice_line.id"))

    invoice: Mapped[Invoice] = relationship(back_populates="lines")

    __table_args__ = (
        CheckConstraint("net_cents + vat_cents = gross_cents", name="net_vat_gross"),
        Index("ix_invoice_line_invoice", "invoice_id", "position"),
        Index("ix_invoice_line_credited", "credited_line_id"),
    )


class Payment(Base):
    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(10), default="bank")
    reference: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint("method IN ('bank', 'pin', 'cash', 'other')", name="method"),
        CheckConstraint("amount_cents <> 0", name="amount"),
        Index("ix_payment_invoice", "invoice_id"),
        Index("ix_payment_date", "date", "amount_cents"),
    )
