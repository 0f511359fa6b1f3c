"""The year's figures (the invoice date decides month and quarter).

Turnover, counts and payments come from the month sums that :mod:`ledger.derived.sums` keeps in
step with the books, so a year costs the same however long the history; what was open
at a day is read from the settlement of each invoice (:mod:`ledger.derived.settlement`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from ledger.books import Books
from ledger.derived.settlement import open_amounts_at
from ledger.derived.settlement import open_at as open_at
from ledger.derived.sums import invoice_months, payment_months, turnover_by_month


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
    open_at_year_end: int  # still to receive on 31 December
    to_refund_at_year_end: int  # owed back on 31 December (credited after payment)
    invoices_issued: int
    credit_notes_issued: int


def _bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def year_totals(books: Books, year: int) -> YearTotals:
    with books.db.read() as session:
        return year_totals_in(session, year)


def year_totals_in(session: Session, year: int) -> YearTotals:
    """The year's totals inside the caller's transaction (one consistent snapshot)."""
    _start, end = _bounds(year)
    still_open = open_amounts_at(session, end)
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
        open_at_year_end=still_open.to_receive,
        to_refund_at_year_end=still_open.to_refund,
        invoices_issued=int(counts.get("invoice", 0)),
        credit_notes_issued=int(counts.get("credit", 0)),
    )
