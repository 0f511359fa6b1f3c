"""Storage: the tables of the books (SQLAlchemy 2.0 typed models).

These rows are storage, not the whole domain: services in the other ``ledger`` modules
apply the rules and hand out small frozen values (``ledger.views``). Amounts are integer
cents in ``*_cents`` columns; VAT rates are stored as hundredths of a percent and come
back as ``Decimal``. Health notes live in their own table, apart from everything financial.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Rate(TypeDecorator[Decimal]):
    """A VAT percentage stored exactly as an integer number of hundredths (21% -> 2100)."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        if value is None:
            return None
        if not isinstance(value, Decimal | int):
            raise TypeError("a VAT rate is a Decimal")
        return int((Decimal(value) * 100).to_integral_exact())

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(value) / 100).normalize() if value % 100 else Decimal(value // 100)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Practice(Base):
    """The one practice profile (id 1)."""

    __tablename__ = "practice"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="NL")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    kvk: Mapped[str] = mapped_column(String(20), default="")
    vat_id: Mapped[str] = mapped_column(String(20), default="")
    iban: Mapped[str] = mapped_column(String(40), default="")
    account_holder: Mapped[str] = mapped_column(String(200), default="")
    agb_practice: Mapped[str] = mapped_column(String(8), default="")
    vat_regime: Mapped[str] = mapped_column(String(10), default="standard")
    exempt_text: Mapped[str] = mapped_column(String(300), default="")
    kor_text: Mapped[str] = mapped_column(String(300), default="")
    payment_term_days: Mapped[int] = mapped_column(Integer, default=14)
    number_pattern: Mapped[str] = mapped_column(String(60), default="{year}-{seq:04d}")
    language: Mapped[str] = mapped_column(String(2), default="nl")
    cancel_policy: Mapped[str] = mapped_column(String(20), default="pro_rata")
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint("vat_regime IN ('standard', 'exempt', 'kor')", name="vat_regime"),
        CheckConstraint("payment_term_days >= 0", name="payment_term"),
    )


class Therapist(Base):
    """A therapist of the practice; a solo practice has exactly one."""

    __tablename__ = "therapist"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    agb_code: Mapped[str] = mapped_column(String(8), default="")
    association: Mapped[str] = mapped_column(String(100), default="")
    membership_number: Mapped[str] = mapped_column(String(40), default="")
    register_number: Mapped[str] = mapped_column(String(60), default="")
    active: Mapped[bool] = mapped_column(default=True)


class Setting(Base):
    """Further settings as key/value text (logo path, kilometre rate, mail server...)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Client(Base):
    __tablename__ = "client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    search_name: Mapped[str] = mapped_column(String(200), default="")  # ledger.text.search_key
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="NL")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(2))
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_client_name", "name"),
                      Index("ix_client_search_name", "search_name"))


class HealthNote(Base):
    """Private (health) notes: kept apart, never on a document or in a tax export."""

    __tablename__ = "health_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("treatment_session.id", ondelete="CASCADE")
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_health_note_client", "client_id"),
        Index("ix_health_note_session", "session_id"),
    )


class Treatment(Base):
    __tablename__ = "treatment"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    duration_min: Mapped[int] = mapped_column(Integer, default=60)
    price_cents: Mapped[int] = mapped_column(BigInteger)
    vat_rate: Mapped[Decimal] = mapped_column(Rate)
    performance_code: Mapped[str] = mapped_column(String(10), default="")
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price"),
        CheckConstraint("duration_min > 0", name="duration"),
    )


class PackagePlan(Base):
    __tablename__ = "package_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    treatment_id: Mapped[int] = mapped_column(ForeignKey("treatment.id"))
    sessions: Mapped[int] = mapped_column(Integer)
    price_cents: Mapped[int] = mapped_column(BigInteger)
    valid_days: Mapped[int] = mapped_column(Integer, default=365)
    active: Mapped[bool] = mapped_column(default=True)

    treatment: Mapped[Treatment] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint("sessions > 0", name="sessions"),
        CheckConstraint("price_cents >= 0", name="price"),
        CheckConstraint("valid_days > 0", name="valid_days"),
    )


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
    """A treatment given (or missed): what happened, and what pays for it."""

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
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint("status IN ('given', 'no_show', 'late_cancel')", name="status"),
        CheckConstraint("price_cents >= 0", name="price"),
        CheckConstraint("duration_min > 0", name="duration"),
        CheckConstraint("package_id IS NULL OR status = 'given'", name="package_given"),
        Index("ix_session_client_date", "client_id", "date"),
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


class Document(Base):
    """A document the program wrote and archived (an issued invoice's PDF, a statement)."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"))
    kind: Mapped[str] = mapped_column(String(20))
    path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # which version of the document's layout drew the file (see invoices.invoice_pdf.LAYOUT)
    layout: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __table_args__ = (
        UniqueConstraint("path", name="uq_document_path"),
        Index("ix_document_invoice", "invoice_id"),
    )


class AuditEntry(Base):
    """One change to the books: append-only (triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    interface: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(10))  # insert, update, delete
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),
                      Index("ix_audit_log_at", "at"))

from ledger import models_costs  # noqa: E402,F401,I001  (costs, kilometres: issue 5)
from ledger import models_paid  # noqa: E402,F401  (mail, reminders, bank: issue 8)
from ledger import models_sums  # noqa: E402,F401  (derived sums and settlement: issue 7)
