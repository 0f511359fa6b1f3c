"""The year's figures (the invoice date decides month and quarter).

Turnover, counts and payments come from the month sums that :mod:`ledger.sums` keeps in
step with the books, so a year costs the same however long the history; what was open
at a day is worked out per invoice, for the few invoices that can have been open then."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from ledger.books import Books
from ledger.models import Invoice, Payment
from ledger.sums import SETTLEMENT, debtor_candidates, invoice_months, payment_months


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
    """{month: (net, VAT, gross)} of the invoices and credit notes issued in ``year``
    (read from the month sums kept by :mod:`ledger.sums`)."""
    months: dict[int, tuple[int, int, int]] = {}
    for (month, _kind), (_count, net, vat, gross) in sorted(invoice_months(session, year).items()):
        n, v, g = months.get(month, (0, 0, 0))
        months[month] = (n + net, v + vat, g + gross)
    return months


def _as_of(day: date) -> tuple[Any, Any]:
    """Credited and paid on ``day`` for a ``settlement`` row: the stored sums, unless
    payments or credit notes came after ``day``; then (only then) the ones dated by ``day``
    are added up (index lookups: ``ix_invoice_credits``, ``ix_payment_invoice_date``).
    A credit note with a date is issued (only issued documents have one)."""
    s = SETTLEMENT.c
    credit = Invoice.__table__.alias("credit")
    credited_by_day = (
        select(func.coalesce(-func.sum(credit.c.total_cents), 0))
        .where(credit.c.credit_of_id == s.invoice_id, credit.c.credit_of_id.is_not(None),
               credit.c.date <= day)
        .scalar_subquery()
    )
    paid_by_day = (
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .where(Payment.invoice_id == s.invoice_id, Payment.date <= day)
        .scalar_subquery()
    )
    later = s.last_event > day
    return (case((later, credited_by_day), else_=s.credited_cents),
            case((later, paid_by_day), else_=s.paid_cents))


def open_invoices_query(day: date) -> Select[Any]:
    """The debtor list on ``day``: every invoice dated by then with something still open,
    as (id, number, date, due date, client id, client snapshot, total, credited, paid,
    open) -- the rows that :func:`open_at` adds up.

    Only the invoices that the settlement table says may have been open that day are
    looked at (:func:`ledger.sums.debtor_candidates`), not the whole history."""
    credited, paid = _as_of(day)
    open_ = Invoice.total_cents - credited - paid
    return (
        select(Invoice.id, Invoice.number, Invoice.date, Invoice.due_date, Invoice.client_id,
               Invoice.client_snapshot, Invoice.total_cents, credited.label("credited"),
               paid.label("paid"), open_.label("open"))
        .select_from(SETTLEMENT.join(Invoice, Invoice.id == SETTLEMENT.c.invoice_id))
        .where(debtor_candidates(day), open_ > 0)
        .order_by(Invoice.date, Invoice.series, Invoice.seq)
    )


def open_at(session: Session, day: date) -> int:
    """What clients owed on ``day``: invoices dated by then, less credit notes and payments
    dated by then (refunds due are not netted against debts).

    An invoice open now without payments or credit notes after ``day`` owed then what it
    owes now (one index: ``ix_settlement_open``); only the others are worked out per
    invoice."""
    s = SETTLEMENT.c
    unchanged = session.scalar(
        select(func.coalesce(func.sum(s.open_cents), 0))
        .where(s.open_cents != 0, s.open_cents > 0, s.invoice_date <= day,
               or_(s.last_event.is_(None), s.last_event <= day)))
    credited, paid = _as_of(day)
    total = s.open_cents + s.credited_cents + s.paid_cents
    changed = (select((total - credited - paid).label("open"))
               .where(debtor_candidates(day), s.last_event > day).subquery())
    return int(unchanged or 0) + int(session.scalar(
        select(func.coalesce(func.sum(changed.c.open), 0)).where(changed.c.open > 0)) or 0)


def year_totals(books: Books, year: int) -> YearTotals:
    with books.db.read() as session:
        return year_totals_in(session, year)


def year_totals_in(session: Session, year: int, open_at_year_end: int | None = None
                   ) -> YearTotals:
    """The year's totals inside the caller's transaction (one consistent snapshot);
    ``open_at_year_end`` when the caller has already added up the debtors."""
    _start, end = _bounds(year)
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
    received = sum(amount for _count, amount in payment_months(session, year).values())
    counts: dict[str, int] = {}
    for (_month, kind), (count, *_amounts) in invoice_months(session, year).items():
        counts[kind] = counts.get(kind, 0) + count
    return YearTotals(
        year=year,
        turnover_net=sum(p.net for p in by_month),
        vat=sum(p.vat for p in by_month),
        turnover_gross=sum(p.gross for p in by_month),
        by_month=by_month,
        by_quarter=by_quarter,
        payments_received=int(received or 0),
        open_at_year_end=open_at(session, end) if open_at_year_end is None
        else open_at_year_end,
        invoices_issued=int(counts.get("invoice", 0)),
        credit_notes_issued=int(counts.get("credit", 0)),
    )
