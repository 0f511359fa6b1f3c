"""Keeping the derived figures (``ledger.store.models.derived``) in step with the books.

The services call these inside their own transaction, right after the change:

- :func:`issued` from ``issuing.freeze`` (an invoice or credit note got its number),
- :func:`paid` from ``payments.add_payment``,
- :func:`session_changed` from ``sessions.add_session`` / ``delete_session``.

Issued invoices and payments are never changed or deleted, so adding their amounts once
is enough; a session's month, status and minutes never change after it is recorded.
Rows are added with an upsert (``INSERT ... ON CONFLICT DO UPDATE``, SQLite and
PostgreSQL), so sessions recorded at the same moment by two therapists add up instead of
colliding. The writes go straight to the transaction's connection: the tables are
derived, not books, so the audit trail does not copy them.

:func:`rebuild` computes every table from the books (migrations 0006 and 0007, the
benchmark's generator, a restore from an old backup) and :func:`differences` compares what
is stored with a fresh computation (the tests use it after every kind of change). The
settlement of each invoice, and reading it as the debtor list, is in
:mod:`ledger.derived.settlement`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    and_,
    delete,
    event,
    exists,
    extract,
    func,
    inspect,
    or_,
    select,
)
from sqlalchemy import insert as plain_insert
from sqlalchemy.orm import Session, aliased

from ledger.base.codes import MISSED_STATUSES, InvoiceKind, SessionStatus
from ledger.derived.settlement import SETTLEMENT, computed_settlements, debtor_candidates, settle
from ledger.derived.settlement import VALUES as SETTLEMENT_VALUES
from ledger.store.models import Invoice, InvoiceLine, Package, Payment, TreatmentSession
from ledger.store.models.derived import (
    SumInvoices,
    SumPayments,
    SumSessions,
    SumTurnover,
    UnbilledSession,
)

TURNOVER: Table = SumTurnover.__table__  # type: ignore[assignment]
INVOICES: Table = SumInvoices.__table__  # type: ignore[assignment]
PAYMENTS: Table = SumPayments.__table__  # type: ignore[assignment]
SESSIONS: Table = SumSessions.__table__  # type: ignore[assignment]
UNBILLED: Table = UnbilledSession.__table__  # type: ignore[assignment]
DERIVED = (TURNOVER, INVOICES, PAYMENTS, SESSIONS, SETTLEMENT, UNBILLED)

Key = tuple[Any, ...]


# ------------------------------------------------------------------------------ writing
def _add(conn: Connection, table: Table, rows: dict[Key, list[int]], keys: tuple[str, ...],
         values: tuple[str, ...]) -> None:
    """Add ``rows`` ({key: [amounts]}) to ``table``'s running sums (upsert)."""
    if not rows:
        return
    from sqlalchemy.dialects import postgresql, sqlite

    insert: Any = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    for key, amounts in rows.items():
        statement = insert(table).values(
            **dict(zip(keys, key, strict=True)), **dict(zip(values, amounts, strict=True)))
        conn.execute(statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={v: table.c[v] + statement.excluded[v] for v in values}))


def product_of(status: str | None, treatment_id: int | None, plan_id: int | None
               ) -> tuple[str, int]:
    """What a line was for: (``treatment`` | ``fee`` | ``package_plan`` | ``other``, id)."""
    if plan_id is not None:
        return "package_plan", int(plan_id)
    if treatment_id is not None:
        return ("treatment" if status == SessionStatus.GIVEN else "fee"), int(treatment_id)
    return "other", 0


def _line_groups(where: Iterable[Any]) -> Any:
    """Issued lines summed per (year, month, regime, rate, session status, treatment,
    plan). A credit line counts for what its original line was for."""
    original = aliased(InvoiceLine)
    session_id = func.coalesce(InvoiceLine.session_id, original.session_id)
    package_id = func.coalesce(InvoiceLine.package_id, original.package_id)
    year, month = extract("year", Invoice.date), extract("month", Invoice.date)
    return (
        select(year, month, Invoice.vat_regime, InvoiceLine.vat_rate, TreatmentSession.status,
               TreatmentSession.treatment_id, Package.plan_id, func.sum(InvoiceLine.quantity),
               func.sum(InvoiceLine.net_cents), func.sum(InvoiceLine.vat_cents),
               func.sum(InvoiceLine.gross_cents))
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .outerjoin(original, original.id == InvoiceLine.credited_line_id)
        .outerjoin(TreatmentSession, TreatmentSession.id == session_id)
        .outerjoin(Package, Package.id == package_id)
        .where(Invoice.date.is_not(None), *where)
        .group_by(year, month, Invoice.vat_regime, InvoiceLine.vat_rate,
                  TreatmentSession.status, TreatmentSession.treatment_id, Package.plan_id)
    )


def _turnover_rows(conn: Connection, where: Iterable[Any]) -> dict[Key, list[int]]:
    rows: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for y, m, regime, rate, status, treatment_id, plan_id, *amounts in conn.execute(
            _line_groups(where)):
        product, ref = product_of(status, treatment_id, plan_id)
        row = rows[(int(y), int(m), regime, rate, product, ref)]
        for i, amount in enumerate(amounts):
            row[i] += int(amount or 0)
    return rows


_TURNOVER_KEYS = ("year", "month", "vat_regime", "vat_rate", "product", "ref_id")
_TURNOVER_VALUES = ("quantity", "net_cents", "vat_cents", "gross_cents")
_SUM_VALUES = ("count", "net_cents", "vat_cents", "total_cents")


def issued(session: Session, invoice: Invoice) -> None:
    """An invoice or credit note was just issued (numbered and frozen)."""
    assert invoice.date is not None
    conn = session.connection()
    _add(conn, TURNOVER, _turnover_rows(conn, [Invoice.id == invoice.id]),
         _TURNOVER_KEYS, _TURNOVER_VALUES)
    _add(conn, INVOICES, {(invoice.date.year, invoice.date.month, invoice.kind): [
        1, invoice.net_cents, invoice.vat_cents, invoice.total_cents]},
        ("year", "month", "kind"), _SUM_VALUES)
    if invoice.kind == InvoiceKind.INVOICE:
        settle(conn, invoice.id)
    elif invoice.credit_of_id is not None:
        settle(conn, invoice.credit_of_id)


def paid(session: Session, payment: Payment) -> None:
    """A payment (or refund) was just booked."""
    conn = session.connection()
    _add(conn, PAYMENTS, {(payment.date.year, payment.date.month, payment.method): [
        1, payment.amount_cents]}, ("year", "month", "method"), ("count", "amount_cents"))
    settle(conn, payment.invoice_id)


def session_changed(session: Session, row: TreatmentSession, sign: int) -> None:
    """A session was recorded (``sign`` 1) or deleted (-1)."""
    _add(session.connection(), SESSIONS, {(row.date.year, row.date.month, row.status): [
        sign, sign * row.duration_min]}, ("year", "month", "status"), ("count", "minutes"))


# ------------------------------------------------------------------------------ unbilled
def billable() -> ColumnElement[bool]:
    """The one rule for which sessions are still to be billed: no package pays it, it is on
    no invoice line yet, and it was given or missed with a fee (what it then costs is
    :func:`ledger.base.views.session_charge`); a planned or in time cancelled one never."""
    billed = exists().where(InvoiceLine.session_id == TreatmentSession.id)
    return and_(
        TreatmentSession.package_id.is_(None), ~billed,
        or_(TreatmentSession.status == SessionStatus.GIVEN,
            and_(TreatmentSession.status.in_(MISSED_STATUSES),
                 TreatmentSession.fee_cents.is_not(None), TreatmentSession.fee_cents > 0)))


def _unbilled(where: Iterable[Any]) -> Any:
    return select(TreatmentSession.id, TreatmentSession.client_id, TreatmentSession.date).where(
        billable(), *where)


def follow_billing(session: Session) -> None:
    """After a flush: the sessions whose billing may have changed (recorded, deleted, put
    on a line, or freed when a draft or its line went) get their marker afresh."""
    ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, TreatmentSession) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, InvoiceLine):
            history = inspect(obj).attrs.session_id.history
            ids.update(i for i in (*history.added, *history.unchanged, *history.deleted)
                       if i is not None)
    if ids:
        conn = session.connection()
        conn.execute(delete(UNBILLED).where(UNBILLED.c.session_id.in_(ids)))
        rows = [{"session_id": i, "client_id": c, "date": d} for i, c, d in
                conn.execute(_unbilled([TreatmentSession.id.in_(ids)]))]
        if rows:
            conn.execute(plain_insert(UNBILLED), rows)


@event.listens_for(Session, "after_flush")
def _follow_billing(session: Session, _context: object) -> None:
    """Every flush keeps the derived tables in step (registered when the books are opened:
    ``ledger.books`` imports this module)."""
    follow_billing(session)


# ------------------------------------------------------------------------------ reading
def turnover_groups(session: Session, year: int) -> list[tuple[int, str, Decimal, str,
                                                               int | None, int, int, int, int]]:
    """(month, regime, rate, product, ref id or None, quantity, net, VAT, gross)."""
    t = TURNOVER.c
    rows = session.execute(
        select(t.month, t.vat_regime, t.vat_rate, t.product, t.ref_id, t.quantity,
               t.net_cents, t.vat_cents, t.gross_cents)
        .where(t.year == year).order_by(t.month, t.vat_regime, t.vat_rate, t.product, t.ref_id))
    return [(int(m), regime, rate, product, int(ref) or None, int(q), int(n), int(v), int(g))
            for m, regime, rate, product, ref, q, n, v, g in rows]


def invoice_months(session: Session, year: int) -> dict[tuple[int, str], tuple[int, ...]]:
    """{(month, kind): (count, net, VAT, total)} of what was issued in ``year``."""
    t = INVOICES.c
    return {(int(m), kind): (int(c), int(n), int(v), int(g)) for m, kind, c, n, v, g in
            session.execute(select(t.month, t.kind, t.count, t.net_cents, t.vat_cents,
                                   t.total_cents).where(t.year == year, t.count != 0))}


def turnover_by_month(session: Session, year: int) -> dict[int, tuple[int, int, int]]:
    """{month: (net, VAT, gross)} of the invoices and credit notes issued in ``year``
    (from the month sums)."""
    months: dict[int, tuple[int, int, int]] = {}
    for (month, _kind), (_count, net, vat, gross) in sorted(invoice_months(session, year).items()):
        n, v, g = months.get(month, (0, 0, 0))
        months[month] = (n + net, v + vat, g + gross)
    return months


def payment_months(session: Session, year: int) -> dict[tuple[int, str], tuple[int, int]]:
    """{(month, method): (payments, amount)} of the payments dated in ``year``."""
    t = PAYMENTS.c
    return {(int(m), method): (int(c), int(a)) for m, method, c, a in session.execute(
        select(t.month, t.method, t.count, t.amount_cents).where(t.year == year, t.count != 0))}


def session_months(session: Session, year: int) -> dict[tuple[int, str], tuple[int, int]]:
    """{(month, status): (sessions, minutes)} of the sessions dated in ``year``."""
    t = SESSIONS.c
    return {(int(m), status): (int(c), int(minutes)) for m, status, c, minutes in
            session.execute(select(t.month, t.status, t.count, t.minutes)
                            .where(t.year == year, t.count != 0))}


def years_with_invoices(session: Session) -> set[int]:
    return {int(y) for y in session.scalars(select(INVOICES.c.year).distinct())}


# ------------------------------------------------------------------------------ rebuilding
def computed(conn: Connection, only: Iterable[str] | None = None
             ) -> dict[str, dict[Key, list[Any]]]:
    """Every derived table (or those named in ``only``) computed from the books:
    {table: {key: [values]}}."""
    names = set(_LAYOUT if only is None else only)
    out: dict[str, dict[Key, list[Any]]] = {}
    if "sum_turnover" in names:
        out["sum_turnover"] = dict(_turnover_rows(conn, [Invoice.number.is_not(None)]))
    if "sum_invoices" in names:
        year, month = extract("year", Invoice.date), extract("month", Invoice.date)
        out["sum_invoices"] = {
            (int(y), int(m), kind): [int(c), int(n), int(v), int(g)]
            for y, m, kind, c, n, v, g in conn.execute(
                select(year, month, Invoice.kind, func.count(), func.sum(Invoice.net_cents),
                       func.sum(Invoice.vat_cents), func.sum(Invoice.total_cents))
                .where(Invoice.date.is_not(None)).group_by(year, month, Invoice.kind))}
    if "sum_payments" in names:
        year, month = extract("year", Payment.date), extract("month", Payment.date)
        out["sum_payments"] = {
            (int(y), int(m), method): [int(c), int(a)] for y, m, method, c, a in conn.execute(
                select(year, month, Payment.method, func.count(), func.sum(Payment.amount_cents))
                .group_by(year, month, Payment.method))}
    if "sum_sessions" in names:
        year = extract("year", TreatmentSession.date)
        month = extract("month", TreatmentSession.date)
        out["sum_sessions"] = {
            (int(y), int(m), status): [int(c), int(minutes)] for y, m, status, c, minutes in
            conn.execute(select(year, month, TreatmentSession.status, func.count(),
                                func.sum(TreatmentSession.duration_min))
                         .group_by(year, month, TreatmentSession.status))}
    if "settlement" in names:
        out["settlement"] = computed_settlements(conn)
    if "unbilled_session" in names:
        out["unbilled_session"] = {(i,): [c, d] for i, c, d in conn.execute(_unbilled([]))}
    return out


_LAYOUT: dict[str, tuple[Table, tuple[str, ...], tuple[str, ...]]] = {
    "sum_turnover": (TURNOVER, _TURNOVER_KEYS, _TURNOVER_VALUES),
    "sum_invoices": (INVOICES, ("year", "month", "kind"), _SUM_VALUES),
    "sum_payments": (PAYMENTS, ("year", "month", "method"), ("count", "amount_cents")),
    "sum_sessions": (SESSIONS, ("year", "month", "status"), ("count", "minutes")),
    "settlement": (SETTLEMENT, ("invoice_id",), SETTLEMENT_VALUES),
    "unbilled_session": (UNBILLED, ("session_id",), ("client_id", "date")),
}


def stored(conn: Connection) -> dict[str, dict[Key, list[Any]]]:
    out: dict[str, dict[Key, list[Any]]] = {}
    for name, (table, keys, values) in _LAYOUT.items():
        out[name] = {
            tuple(row[:len(keys)]): list(row[len(keys):])
            for row in conn.execute(select(*(table.c[k] for k in (*keys, *values))))
        }
    return out


def _without_zero_sums(tables: dict[str, dict[Key, list[Any]]]) -> dict[str, dict[Key, list[Any]]]:
    """A sum that came back to zero (a session recorded and deleted) is as good as none."""
    return {name: {k: v for k, v in rows.items()
                   if name in ("settlement", "unbilled_session") or any(v)}
            for name, rows in tables.items()}


def differences(conn: Connection) -> list[str]:
    """What the stored derived tables get wrong, compared with the books (empty: none)."""
    want, have = _without_zero_sums(computed(conn)), _without_zero_sums(stored(conn))
    problems = []
    for name in _LAYOUT:
        for key in sorted(set(want[name]) | set(have[name]), key=repr):
            if want[name].get(key) != have[name].get(key):
                problems.append(f"{name} {key}: stored {have[name].get(key)}, "
                                f"books say {want[name].get(key)}")
    return problems


def rebuild(conn: Connection, only: Iterable[str] | None = None) -> dict[str, int]:
    """Replace every derived table (or those named in ``only``) by a fresh computation
    from the books."""
    want = computed(conn, only)
    counts = {}
    for name, (table, keys, values) in _LAYOUT.items():
        if name not in want:
            continue
        conn.execute(delete(table))
        rows = [dict(zip((*keys, *values), (*key, *vals), strict=True))
                for key, vals in want[name].items()]
        for start in range(0, len(rows), 5000):
            conn.execute(plain_insert(table), rows[start:start + 5000])
        counts[name] = len(rows)
    return counts


__all__ = ["DERIVED", "debtor_candidates", "differences", "invoice_months", "issued", "paid",
           "payment_months", "product_of", "rebuild", "session_changed", "session_months",
           "settle", "turnover_groups", "years_with_invoices"]
