"""The year's figures, computed in SQL (the invoice date decides month and quarter)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, extract, func, select
from sqlalchemy.orm import Session

from ledger.books import Books
from ledger.models import Invoice, Payment


@dataclass(frozen=True)
class PeriodTotals:
    period: int  # month 1-12 or quarter 1-4
    net: int
    vat: int
    gross: int


@dataclass(frozen=True)
class YearTotals:
    year: int
    turnover_net: int
    vat: int
    turnover_gross: int
    by_month: tuple[PeriodTotals, ...]
    by_quarter: tuple[PeriodTotals, ...]
    payments_received: int
    open_at_year_end: int
    invoices_issued: int
    credit_notes_issued: int


def _bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def turnover_by_month(session: Session, year: int) -> dict[int, tuple[int, int, int]]:
    start, end = _bounds(year)
    month = extract("month", Invoice.date)
    rows = session.execute(
        select(month, func.sum(Invoice.net_cents), func.sum(Invoice.vat_cents),
               func.sum(Invoice.total_cents))
        .where(Invoice.date >= start, Invoice.date <= end, Invoice.number.is_not(None))
        .group_by(month)
    )
    return {int(m): (int(n), int(v), int(g)) for m, n, v, g in rows}


def _as_of(day: date) -> tuple[Any, Any]:
    """Credited and paid per invoice, counting only credit notes and payments by ``day``."""
    credit = Invoice.__table__.alias("credit")
    credited = (
        select(func.coalesce(-func.sum(credit.c.total_cents), 0))
        .where(credit.c.credit_of_id == Invoice.id, credit.c.number.is_not(None),
               credit.c.date <= day)
        .scalar_subquery()
    )
    paid = (
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .where(Payment.invoice_id == Invoice.id, Payment.date <= day)
        .scalar_subquery()
    )
    return credited, paid


def open_invoices_query(day: date) -> Select[Any]:
    """The debtor list on ``day``: every invoice dated by then with something still open,
    as (invoice, credited, paid, open) -- the rows that :func:`open_at` adds up."""
    credited, paid = _as_of(day)
    open_ = Invoice.total_cents - credited - paid
    return (
        select(Invoice, credited.label("credited"), paid.label("paid"), open_.label("open"))
        .where(Invoice.kind == "invoice", Invoice.number.is_not(None), Invoice.date <= day,
               open_ > 0)
        .order_by(Invoice.date, Invoice.series, Invoice.seq)
    )


def open_at(session: Session, day: date) -> int:
    """What clients owed on ``day``: invoices dated by then, less credit notes and payments
    dated by then (refunds due are not netted against debts)."""
    credited, paid = _as_of(day)
    open_ = (Invoice.total_cents - credited - paid).label("open")
    inner = (
        select(open_)
        .where(Invoice.kind == "invoice", Invoice.number.is_not(None), Invoice.date <= day)
        .subquery()
    )
    return int(session.scalar(select(func.coalesce(func.sum(inner.c.open), 0))
                              .where(inner.c.open > 0)) or 0)


def year_totals(books: Books, year: int) -> YearTotals:
    with books.db.read() as session:
        return year_totals_in(session, year)


def year_totals_in(session: Session, year: int) -> YearTotals:
    """The year's totals inside the caller's transaction (one consistent snapshot)."""
    start, end = _bounds(year)
    months = turnover_by_month(session, year)
    by_month = tuple(PeriodTotals(m, *months.get(m, (0, 0, 0))) for m in range(1, 13))
    by_quarter = tuple(
        PeriodTotals(
            q,
            sum(p.net for p in by_month[(q - 1) * 3 : q * 3]),
            sum(p.vat for p in by_month[(q - 1) * 3 : q * 3]),
            sum(p.gross for p in by_month[(q - 1) * 3 : q * 3]),
        )
        for q in range(1, 5)
    )
    received = session.scalar(
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .where(Payment.date >= start, Payment.date <= end)
    )
    counts = dict(
        session.execute(
            select(Invoice.kind, func.count())
            .where(Invoice.date >= start, Invoice.date <= end, Invoice.number.is_not(None))
            .group_by(Invoice.kind)
        ).all()
    )
    return YearTotals(
        year=year,
        turnover_net=sum(p.net for p in by_month),
        vat=sum(p.vat for p in by_month),
        turnover_gross=sum(p.gross for p in by_month),
        by_month=by_month,
        by_quarter=by_quarter,
        payments_received=int(received or 0),
        open_at_year_end=open_at(session, end),
        invoices_issued=int(counts.get("invoice", 0)),
        credit_notes_issued=int(counts.get("credit", 0)),
    )
