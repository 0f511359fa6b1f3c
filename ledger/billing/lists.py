"""Counts and totals for lists that page through the books (the TUI's tables).

A screen shows a page of rows from ``list_clients`` / ``list_invoices`` /
``list_sessions`` (``limit``/``offset``) and, from here, how many rows there are in all
and what they add up to, computed in SQL so that tens of thousands of rows cost nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ledger.base.codes import InvoiceKind, SessionStatus
from ledger.billing.status import filtered_invoices
from ledger.books import Books
from ledger.derived.settlement import OpenAmounts, open_amounts, open_sums
from ledger.derived.sums import INVOICES, SETTLEMENT, UNBILLED, payment_months, years_with_invoices
from ledger.store.models import Client, Invoice, TreatmentSession


@dataclass(frozen=True)
class InvoiceTotals:
    """Count and total of a list of invoices, and what is open on them: to receive and to
    pay back apart (:class:`ledger.derived.settlement.OpenAmounts`, never netted)."""

    count: int
    total: int  # gross, credit notes negative
    open: OpenAmounts

    @property
    def to_receive(self) -> int:
        return self.open.to_receive

    @property
    def to_refund(self) -> int:
        return self.open.to_refund


@dataclass(frozen=True)
class YearSoFar:
    """Turnover and payments of a year up to now (the overview's line)."""

    year: int
    turnover_net: int
    turnover_gross: int
    payments_received: int


@dataclass(frozen=True)
class Unbilled:
    """A client's sessions that no invoice or package has paid for yet."""

    client_id: int
    client_name: str
    sessions: int
    amount: int


def invoice_totals(
    books: Books,
    *,
    year: int | None = None,
    status: str | None = None,
    client_id: int | None = None,
    kind: str | None = None,
    include_drafts: bool = True,
) -> InvoiceTotals:
    """Count, total and open amounts of the invoices :func:`list_invoices` would list.

    Without a status or client filter they come from the month sums and the settlement
    index (``ledger.derived.sums``), so they cost the same for one year or ten."""
    with books.db.read() as session:
        if status is None and client_id is None:
            return _totals_from_sums(session, year, kind, include_drafts)
        inner = filtered_invoices(
            year=year, status=status, client_id=client_id, kind=kind,
            include_drafts=include_drafts).subquery()
        query = select(
            func.count(), func.coalesce(func.sum(inner.c.total_cents), 0),
            *open_sums(inner.c.open),
        )
        row = session.execute(query, {"today": books.clock.today()}).one()
    return InvoiceTotals(int(row[0]), int(row[1]), open_amounts(row[2:]))


def _totals_from_sums(session: Session, year: int | None, kind: str | None,
                      include_drafts: bool) -> InvoiceTotals:
    t = INVOICES.c
    sums = select(func.coalesce(func.sum(t.count), 0), func.coalesce(func.sum(t.total_cents), 0))
    s = SETTLEMENT.c
    open_ = select(*open_sums(s.open_cents)).where(s.open_cents != 0)
    if year is not None:
        sums = sums.where(t.year == year)
        open_ = open_.where(s.invoice_date >= date(year, 1, 1),
                            s.invoice_date <= date(year, 12, 31))
    if kind is not None:
        sums = sums.where(t.kind == kind)
    count, total = session.execute(sums).one()
    # credit notes are never open; settlement rows are the invoices' (kind "invoice")
    opened = (open_amounts(session.execute(open_).one()) if kind in (None, InvoiceKind.INVOICE)
              else OpenAmounts())
    if include_drafts and year is None:  # drafts have no date (and count no amounts yet)
        drafts = select(func.count(), func.coalesce(func.sum(Invoice.total_cents), 0)).where(
            Invoice.number.is_(None))
        if kind is not None:
            drafts = drafts.where(Invoice.kind == kind)
        n, amount = session.execute(drafts).one()
        count, total = int(count) + int(n), int(total) + int(amount)
    return InvoiceTotals(int(count), int(total), opened)


def invoice_years(books: Books) -> list[int]:
    """The years that have issued invoices, newest first (this year always included)."""
    with books.db.read() as session:
        years = years_with_invoices(session)
    years.add(books.clock.today().year)
    return sorted(years, reverse=True)


def count_sessions(books: Books, client_id: int | None = None) -> int:
    query = select(func.count()).select_from(TreatmentSession)
    if client_id is not None:
        query = query.where(TreatmentSession.client_id == client_id)
    with books.db.read() as session:
        return int(session.scalar(query) or 0)


def unbilled_by_client(books: Books, limit: int | None = None) -> list[Unbilled]:
    """Clients with sessions still to invoice, the longest-waiting first (read from the
    ``unbilled_session`` markers, not from every session ever given)."""
    amount = case(
        (TreatmentSession.status == SessionStatus.GIVEN, TreatmentSession.price_cents),
        else_=func.coalesce(TreatmentSession.fee_cents, 0),
    )
    u = UNBILLED.c
    query = (
        select(Client.id, Client.name, func.count(), func.sum(amount))
        .select_from(UNBILLED)  # outer joins: SQLite keeps the (small) marker table outermost
        .outerjoin(TreatmentSession, TreatmentSession.id == u.session_id)
        .outerjoin(Client, Client.id == u.client_id)
        .group_by(Client.id, Client.name)
        .order_by(func.min(u.date), Client.id)
    )
    if limit is not None:
        query = query.limit(limit)
    with books.db.read() as session:
        return [Unbilled(int(i), name, int(n), int(total or 0))
                for i, name, n, total in session.execute(query)]

def year_so_far(books: Books, year: int) -> YearSoFar:
    """Turnover (invoice date in ``year``) and payments received in ``year``, in SQL."""
    from ledger.derived.sums import turnover_by_month

    with books.db.read() as session:
        months = turnover_by_month(session, year)
        received = sum(amount for _count, amount in payment_months(session, year).values())
    return YearSoFar(year, sum(m[0] for m in months.values()),
                     sum(m[2] for m in months.values()), received)
