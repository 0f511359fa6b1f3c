"""Storage for the year-end: practice costs with their receipts, and business kilometres.

Costs are entered as the receipt shows them: the amount including VAT and the VAT on it
(or the rate it was computed from). The receipt file is copied into the documents folder
and its SHA-256 kept, so the export can prove the file is the one that was entered.
A trip keeps the rate per km that applied when it was logged (a later change of the
``km_rate`` setting does not revalue old trips).

The extra indexes on the core tables at the bottom cover the year report's aggregations.
"""

from __future__ import annotations

from datetime import date, datetime
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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ledger.store.models.base import Base, Rate
from ledger.store.models.billing import InvoiceLine, Package, Payment, TreatmentSession

COST_METHODS = ("bank", "pin", "cash", "card", "other")

# (key, Dutch name) in the order a sole trader's return lists them; names are editable.
DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("materials", "Materialen en oliën"),
    ("linen", "Linnen en wasserij"),
    ("training", "Opleiding en cursussen"),
    ("association", "Beroepsvereniging en register"),
    ("insurance", "Verzekeringen"),
    ("rent", "Huur behandelruimte"),
    ("phone", "Telefoon en internet"),
    ("marketing", "Marketing en reclame"),
    ("travel", "Reiskosten"),
    ("equipment", "Klein inventaris"),
    ("other", "Overige kosten"),
)


class CostCategory(Base):
    __tablename__ = "cost_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Cost(Base):
    """One cost as the receipt shows it (amount including VAT, and the VAT on it)."""

    __tablename__ = "cost"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date] = mapped_column(Date)
    supplier: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500), default="")
    category_id: Mapped[int] = mapped_column(ForeignKey("cost_category.id"))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    vat_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    vat_rate: Mapped[Decimal | None] = mapped_column(Rate)
    method: Mapped[str] = mapped_column(String(10), default="bank")
    receipt_path: Mapped[str | None] = mapped_column(String(500))
    receipt_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    category: Mapped[CostCategory] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint("method IN ('bank', 'pin', 'cash', 'card', 'other')", name="method"),
        CheckConstraint(
            "(amount_cents >= 0 AND vat_cents >= 0 AND vat_cents <= amount_cents)"
            " OR (amount_cents < 0 AND vat_cents <= 0 AND vat_cents >= amount_cents)",
            name="vat_within_amount",
        ),
        Index("ix_cost_date", "date", "category_id", "amount_cents", "vat_cents"),
    )


class KmTrip(Base):
    """Business kilometres: a trip, its distance in tenths of a km, the rate at the time."""

    __tablename__ = "km_trip"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date] = mapped_column(Date)
    km_tenths: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(300), default="")
    rate_cents: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint("km_tenths > 0", name="km"),
        CheckConstraint("rate_cents >= 0", name="rate"),
        Index("ix_km_trip_date", "date", "km_tenths", "rate_cents"),
    )


# Covering indexes for the year report on the core tables (created by migration 0003).
Index("ix_invoice_line_totals", InvoiceLine.invoice_id, InvoiceLine.vat_rate,
      InvoiceLine.net_cents, InvoiceLine.vat_cents, InvoiceLine.session_id,
      InvoiceLine.package_id)
Index("ix_session_package_date", TreatmentSession.package_id, TreatmentSession.date)
Index("ix_payment_invoice_date", Payment.invoice_id, Payment.date, Payment.amount_cents)
Index("ix_package_sold", Package.sold_on, Package.cancelled_on)
