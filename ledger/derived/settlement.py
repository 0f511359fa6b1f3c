"""The settlement of each issued invoice (table ``settlement``, in
``ledger.store.models.derived``): worked out when an invoice is issued, paid or credited,
computed afresh from the books, and read as what was open on a day (the debtor list of a
year end and its sum).

A settlement row copies from its invoice what the debtor list shows (number, due date,
client and the client's name as on the invoice; issued invoices never change), so the
invoices open now are read in the list's order from one covering index
(``ix_settlement_debtors``) instead of from rows scattered over the whole invoice table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    CompoundSelect,
    Connection,
    Table,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy import insert as plain_insert
from sqlalchemy.orm import Session

from ledger.base.codes import InvoiceKind
from ledger.store.models import Invoice, Payment
from ledger.store.models.derived import Settlement

SETTLEMENT: Table = Settlement.__table__  # type: ignore[assignment]
MAX_SPAN = 23  # bit length of the longest possible interval in days (years 1..9999)
VALUES = ("invoice_date", "paid_cents", "credited_cents", "open_cents", "last_event",
          "settled_on", "span", "number", "series", "seq", "due_date", "client_id",
          "client_name")
# What a settlement row copies from its invoice.
_INVOICE_FACTS = (Invoice.number, Invoice.series, Invoice.seq, Invoice.due_date,
                  Invoice.client_id, Invoice.client_snapshot)


# ------------------------------------------------------------------------------ keeping
def settlement_values(invoice_date: date, total: int, paid_sum: int, paid_last: date | None,
                      credited: int, credited_last: date | None) -> dict[str, Any]:
    """The settlement row of an invoice from its total and its payments and credit notes."""
    open_ = total - credited - paid_sum
    events = [d for d in (paid_last, credited_last) if d is not None]
    last = max(events) if events else None
    settled = None if open_ > 0 else max(invoice_date, last or invoice_date)
    return {"invoice_date": invoice_date, "paid_cents": paid_sum, "credited_cents": credited,
            "open_cents": open_, "last_event": last, "settled_on": settled,
            "span": None if settled is None else (settled - invoice_date).days.bit_length()}


def client_name_of(snapshot: str | None) -> str:
    """The client's name on an invoice (its client snapshot, JSON)."""
    return str(json.loads(snapshot or "{}").get("name", ""))


def invoice_facts(number: str | None, series: str | None, seq: int | None,
                  due_date: date | None, client_id: int, snapshot: str | None,
                  names: dict[str | None, str] | None = None) -> dict[str, Any]:
    """The columns a settlement row copies from its invoice (``names``: a cache of client
    names per snapshot; a client's invoices mostly share one)."""
    if names is None:
        name = client_name_of(snapshot)
    elif snapshot in names:
        name = names[snapshot]
    else:
        name = names[snapshot] = client_name_of(snapshot)
    return {"number": number or "", "series": series, "seq": seq, "due_date": due_date,
            "client_id": client_id, "client_name": name}


def credits() -> Any:
    """The invoice table seen as credit notes (``credit_of_id``: the invoice credited)."""
    return Invoice.__table__.alias("credit")


def settle(conn: Connection, invoice_id: int) -> None:
    """Work out an issued invoice's settlement afresh (after it was issued, paid or
    credited)."""
    row = conn.execute(select(Invoice.date, Invoice.total_cents, *_INVOICE_FACTS).where(
        Invoice.id == invoice_id, Invoice.kind == InvoiceKind.INVOICE,
        Invoice.date.is_not(None))).first()
    if row is None:
        return
    paid_sum, paid_last = conn.execute(select(
        func.coalesce(func.sum(Payment.amount_cents), 0), func.max(Payment.date)).where(
        Payment.invoice_id == invoice_id)).one()
    credit = credits()
    credited, credited_last = conn.execute(select(
        func.coalesce(-func.sum(credit.c.total_cents), 0), func.max(credit.c.date)).where(
        credit.c.credit_of_id == invoice_id, credit.c.date.is_not(None))).one()
    values = settlement_values(row.date, int(row.total_cents), int(paid_sum), paid_last,
                               int(credited), credited_last)
    values.update(invoice_facts(*row[2:]))
    updated = conn.execute(SETTLEMENT.update().where(
        SETTLEMENT.c.invoice_id == invoice_id).values(**values))
    if not updated.rowcount:
        conn.execute(plain_insert(SETTLEMENT).values(invoice_id=invoice_id, **values))


def computed_settlements(conn: Connection) -> dict[tuple[Any, ...], list[Any]]:
    """Every settlement row computed from the books: {(invoice id,): [VALUES]}."""
    paid_by = {i: (int(s), last) for i, s, last in conn.execute(
        select(Payment.invoice_id, func.sum(Payment.amount_cents), func.max(Payment.date))
        .group_by(Payment.invoice_id))}
    credit = credits()
    credited_by = {i: (-int(s), last) for i, s, last in conn.execute(
        select(credit.c.credit_of_id, func.sum(credit.c.total_cents), func.max(credit.c.date))
        .where(credit.c.credit_of_id.is_not(None), credit.c.date.is_not(None))
        .group_by(credit.c.credit_of_id))}
    settlement: dict[tuple[Any, ...], list[Any]] = {}
    names: dict[str | None, str] = {}
    for row in conn.execute(
            select(Invoice.id, Invoice.date, Invoice.total_cents, *_INVOICE_FACTS)
            .where(Invoice.kind == InvoiceKind.INVOICE, Invoice.date.is_not(None))):
        invoice_id, day, total = row[:3]
        assert day is not None  # issued
        paid_sum, paid_last = paid_by.get(invoice_id, (0, None))
        credited, credited_last = credited_by.get(invoice_id, (0, None))
        values = settlement_values(day, int(total), paid_sum, paid_last, credited,
                                   credited_last)
        values.update(invoice_facts(*row[3:], names=names))
        settlement[(invoice_id,)] = [values[name] for name in VALUES]
    return settlement


# ------------------------------------------------------------------------------ reading
@dataclass(frozen=True)
class OpenAmounts:
    """What is still open, as two figures that are never netted against each other:
    ``to_receive`` what clients still owe, ``to_refund`` what the practice owes back
    (invoices credited after they were paid). Both are zero or more."""

    to_receive: int = 0
    to_refund: int = 0


def open_sums(open_: Any) -> tuple[Any, Any]:
    """The one rule for adding up open amounts, as SQL sums over ``open_`` (an invoice's
    total less what was credited and paid): a positive amount is still to receive, a
    negative one (credited after payment) is money to pay back. Every list, overview and
    year figure adds up through here, so they agree."""
    return (func.coalesce(func.sum(case((open_ > 0, open_), else_=0)), 0),
            func.coalesce(func.sum(case((open_ < 0, -open_), else_=0)), 0))


def open_amounts(row: Any) -> OpenAmounts:
    """The two sums of :func:`open_sums`, as read (PostgreSQL sums bigints as numeric)."""
    return OpenAmounts(int(row[0] or 0), int(row[1] or 0))


def debtor_candidates(day: date) -> Any:
    """The condition on ``settlement`` for the invoices that may have been open on ``day``:
    open now and dated by then, or settled after ``day`` (each span class searched in its
    window, see ``ledger.store.models.derived``)."""
    s = SETTLEMENT.c
    windows = [
        (s.span == k) & (s.invoice_date > day - timedelta(days=2 ** k))
        & (s.invoice_date <= day) & (s.settled_on > day)
        for k in range(1, MAX_SPAN + 1)
        if day - date.min >= timedelta(days=2 ** k)
    ]
    return or_(s.span.is_(None) & (s.invoice_date <= day), *windows)


def _by_day(day: date) -> tuple[Any, Any]:
    """Credited and paid by ``day`` for a ``settlement`` row, added up from the credit notes
    and payments dated by then (index lookups: ``ix_invoice_credits``,
    ``ix_payment_invoice_date``). A credit note with a date is issued."""
    s = SETTLEMENT.c
    credit = credits()
    credited = (
        select(func.coalesce(-func.sum(credit.c.total_cents), 0))
        .where(credit.c.credit_of_id == s.invoice_id, credit.c.credit_of_id.is_not(None),
               credit.c.date <= day)
        .scalar_subquery()
    )
    paid = (
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .where(Payment.invoice_id == s.invoice_id, Payment.date <= day)
        .scalar_subquery()
    )
    # PostgreSQL's sum of bigints is numeric: cast back, so every driver gives integers
    return cast(credited, BigInteger), cast(paid, BigInteger)


def _unchanged(day: date) -> Any:
    """Invoices open now, dated by ``day``, without payments or credit notes after it: they
    owed then what they owe now."""
    s = SETTLEMENT.c
    return or_(s.last_event.is_(None), s.last_event <= day) & s.span.is_(None) \
        & (s.invoice_date <= day)


def open_invoices_query(day: date) -> CompoundSelect[Any]:
    """The debtor list on ``day``: every invoice dated by then with something still open,
    as (id, number, date, due date, client id, client name, total, credited, paid, open,
    series, seq), in the order of the invoice list (date, series, number in the series).

    Two parts: the invoices open now without payments or credit notes after ``day`` (most
    of the list: old unpaid invoices), read from ``ix_settlement_debtors`` alone; and the
    few with payments or credit notes after ``day`` (:func:`debtor_candidates`), whose
    payments and credit notes by ``day`` are added up per invoice."""
    s = SETTLEMENT.c
    shown = (s.invoice_id, s.number, s.invoice_date, s.due_date, s.client_id, s.client_name)
    total = s.open_cents + s.credited_cents + s.paid_cents
    unchanged = select(*shown, total.label("total"), s.credited_cents.label("credited"),
                       s.paid_cents.label("paid"), s.open_cents.label("open"), s.series,
                       s.seq).where(_unchanged(day))
    credited, paid = _by_day(day)
    later = select(*shown, total.label("total"), credited.label("credited"),
                   paid.label("paid"), s.series, s.seq).where(
        debtor_candidates(day), s.last_event > day).cte("later").prefix_with("MATERIALIZED")
    c = later.c
    changed = select(c.invoice_id, c.number, c.invoice_date, c.due_date, c.client_id,
                     c.client_name, c.total, c.credited, c.paid,
                     (c.total - c.credited - c.paid).label("open"), c.series, c.seq).where(
        c.total - c.credited - c.paid > 0)
    both = union_all(unchanged, changed)
    return both.order_by(*(literal_column(name) for name in ("invoice_date", "series", "seq")))


def open_amounts_at(session: Session, day: date) -> OpenAmounts:
    """What clients owed and what was owed back to them on ``day``: invoices dated by then,
    less credit notes and payments dated by then, added up by :func:`open_sums`.

    An invoice without payments or credit notes after ``day`` stood then as it stands now
    (one index: ``ix_settlement_open``); only the others are worked out per invoice."""
    s = SETTLEMENT.c
    unchanged = open_amounts(session.execute(
        select(*open_sums(s.open_cents))
        .where(s.open_cents != 0, s.invoice_date <= day,
               or_(s.last_event.is_(None), s.last_event <= day))).one())
    credited, paid = _by_day(day)
    total = s.open_cents + s.credited_cents + s.paid_cents
    changed = (select((total - credited - paid).label("open"))
               .where(debtor_candidates(day), s.last_event > day).subquery())
    later = open_amounts(session.execute(select(*open_sums(changed.c.open))).one())
    return OpenAmounts(unchanged.to_receive + later.to_receive,
                       unchanged.to_refund + later.to_refund)


def open_at(session: Session, day: date) -> int:
    """What clients owed on ``day`` (refunds due are not netted against debts: see
    :func:`open_amounts_at`)."""
    return open_amounts_at(session, day).to_receive


__all__ = ["MAX_SPAN", "SETTLEMENT", "VALUES", "OpenAmounts", "client_name_of",
           "computed_settlements", "credits", "debtor_candidates", "invoice_facts", "open_amounts",
           "open_amounts_at", "open_at", "open_invoices_query", "open_sums", "settle",
           "settlement_values"]
