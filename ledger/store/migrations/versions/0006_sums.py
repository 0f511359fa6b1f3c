"""Derived month sums and invoice settlement (the year report at scale), list indexes.

Revision ID: 0006
Revises: 0005

The new tables are filled from the books at once, so a database of any age has them
complete and consistent after the upgrade. The computation is this file's own copy of
``ledger.derived.sums.rebuild`` as it stood when the migration was written, over the
tables as they are at this revision: a migration never imports the program's code, so a
later change to that code cannot change what an old migration does (a test compares the
result with the live ``rebuild`` on the same books).
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _money(name: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "sum_turnover",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("vat_regime", sa.String(length=10), nullable=False),
        sa.Column("vat_rate", sa.Integer(), nullable=False),
        sa.Column("product", sa.String(length=12), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        _money("quantity"), _money("net_cents"), _money("vat_cents"), _money("gross_cents"),
        sa.PrimaryKeyConstraint("year", "month", "vat_regime", "vat_rate", "product", "ref_id",
                                name=op.f("pk_sum_turnover")),
    )
    op.create_table(
        "sum_invoices",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        _money("count"), _money("net_cents"), _money("vat_cents"), _money("total_cents"),
        sa.PrimaryKeyConstraint("year", "month", "kind", name=op.f("pk_sum_invoices")),
    )
    op.create_table(
        "sum_payments",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        _money("count"), _money("amount_cents"),
        sa.PrimaryKeyConstraint("year", "month", "method", name=op.f("pk_sum_payments")),
    )
    op.create_table(
        "sum_sessions",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        _money("count"), _money("minutes"),
        sa.PrimaryKeyConstraint("year", "month", "status", name=op.f("pk_sum_sessions")),
    )
    op.create_table(
        "settlement",
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("invoice_date", sa.Date(), nullable=False),
        _money("paid_cents"), _money("credited_cents"), _money("open_cents"),
        sa.Column("last_event", sa.Date(), nullable=True),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("span", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"], ondelete="CASCADE",
                                name=op.f("fk_settlement_invoice_id_invoice")),
        sa.PrimaryKeyConstraint("invoice_id", name=op.f("pk_settlement")),
    )
    op.create_table(
        "unbilled_session",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["treatment_session.id"], ondelete="CASCADE",
                                name=op.f("fk_unbilled_session_session_id_treatment_session")),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_unbilled_session")),
    )
    op.create_index("ix_settlement_span", "settlement",
                    ["span", "invoice_date", "settled_on", "last_event"])
    op.create_index("ix_settlement_open", "settlement",
                    ["invoice_date", "open_cents", "last_event"],
                    sqlite_where=sa.text("open_cents <> 0"),
                    postgresql_where=sa.text("open_cents <> 0"))
    op.create_index("ix_invoice_credits", "invoice", ["credit_of_id", "date", "total_cents"],
                    sqlite_where=sa.text("credit_of_id IS NOT NULL"),
                    postgresql_where=sa.text("credit_of_id IS NOT NULL"))
    op.create_index("ix_invoice_order", "invoice", ["date", "series", "seq"])
    op.create_index("ix_session_order", "treatment_session", ["date", "start_time"])
    op.create_index("ix_package_expires", "package", ["expires_on", "sold_on"])

    # settlement is filled by 0007, which gives it its final columns
    _fill(op.get_bind())


# ------------------------------------------------------------------------------ frozen copy
# The tables as this revision reads and writes them (only the columns used; rates are the
# stored integers, hundredths of a percent).
_invoice = sa.table(
    "invoice", sa.column("id", sa.Integer), sa.column("kind", sa.String),
    sa.column("number", sa.String), sa.column("date", sa.Date),
    sa.column("vat_regime", sa.String), sa.column("net_cents", sa.BigInteger),
    sa.column("vat_cents", sa.BigInteger), sa.column("total_cents", sa.BigInteger))
_line = sa.table(
    "invoice_line", sa.column("id", sa.Integer), sa.column("invoice_id", sa.Integer),
    sa.column("session_id", sa.Integer), sa.column("package_id", sa.Integer),
    sa.column("credited_line_id", sa.Integer), sa.column("vat_rate", sa.Integer),
    sa.column("quantity", sa.BigInteger), sa.column("net_cents", sa.BigInteger),
    sa.column("vat_cents", sa.BigInteger), sa.column("gross_cents", sa.BigInteger))
_session = sa.table(
    "treatment_session", sa.column("id", sa.Integer), sa.column("client_id", sa.Integer),
    sa.column("treatment_id", sa.Integer), sa.column("package_id", sa.Integer),
    sa.column("date", sa.Date), sa.column("status", sa.String),
    sa.column("duration_min", sa.Integer), sa.column("fee_cents", sa.BigInteger))
_package = sa.table("package", sa.column("id", sa.Integer), sa.column("plan_id", sa.Integer))
_payment = sa.table(
    "payment", sa.column("invoice_id", sa.Integer), sa.column("date", sa.Date),
    sa.column("method", sa.String), sa.column("amount_cents", sa.BigInteger))


def _target(name: str, *columns: str) -> Any:
    return sa.table(name, *(sa.column(c, sa.Date if c == "date" else None) for c in columns))


def _product(status: Any, treatment_id: Any, plan_id: Any) -> tuple[str, int]:
    if plan_id is not None:
        return "package_plan", int(plan_id)
    if treatment_id is not None:
        return ("treatment" if status == "given" else "fee"), int(treatment_id)
    return "other", 0


def _turnover(conn: Any) -> dict[tuple[Any, ...], list[int]]:
    """Issued lines per (year, month, regime, rate, product); a credit line counts for what
    its original line was for."""
    original = _line.alias("original")
    session_id = sa.func.coalesce(_line.c.session_id, original.c.session_id)
    package_id = sa.func.coalesce(_line.c.package_id, original.c.package_id)
    year, month = sa.extract("year", _invoice.c.date), sa.extract("month", _invoice.c.date)
    query = (
        sa.select(year, month, _invoice.c.vat_regime, _line.c.vat_rate, _session.c.status,
                  _session.c.treatment_id, _package.c.plan_id, sa.func.sum(_line.c.quantity),
                  sa.func.sum(_line.c.net_cents), sa.func.sum(_line.c.vat_cents),
                  sa.func.sum(_line.c.gross_cents))
        .select_from(_line)
        .join(_invoice, _invoice.c.id == _line.c.invoice_id)
        .outerjoin(original, original.c.id == _line.c.credited_line_id)
        .outerjoin(_session, _session.c.id == session_id)
        .outerjoin(_package, _package.c.id == package_id)
        .where(_invoice.c.date.is_not(None), _invoice.c.number.is_not(None))
        .group_by(year, month, _invoice.c.vat_regime, _line.c.vat_rate, _session.c.status,
                  _session.c.treatment_id, _package.c.plan_id)
    )
    rows: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for y, m, regime, rate, status, treatment_id, plan_id, *amounts in conn.execute(query):
        product, ref = _product(status, treatment_id, plan_id)
        row = rows[(int(y), int(m), regime, int(rate), product, ref)]
        for i, amount in enumerate(amounts):
            row[i] += int(amount or 0)
    return rows


def _fill(conn: Any) -> None:
    tables: dict[str, tuple[tuple[str, ...], dict[tuple[Any, ...], list[Any]]]] = {}
    tables["sum_turnover"] = (
        ("year", "month", "vat_regime", "vat_rate", "product", "ref_id", "quantity",
         "net_cents", "vat_cents", "gross_cents"), _turnover(conn))
    i = _invoice.c
    year, month = sa.extract("year", i.date), sa.extract("month", i.date)
    tables["sum_invoices"] = (
        ("year", "month", "kind", "count", "net_cents", "vat_cents", "total_cents"),
        {(int(y), int(m), kind): [int(c), int(n), int(v), int(g)]
         for y, m, kind, c, n, v, g in conn.execute(
            sa.select(year, month, i.kind, sa.func.count(), sa.func.sum(i.net_cents),
                      sa.func.sum(i.vat_cents), sa.func.sum(i.total_cents))
            .where(i.date.is_not(None)).group_by(year, month, i.kind))})
    p = _payment.c
    year, month = sa.extract("year", p.date), sa.extract("month", p.date)
    tables["sum_payments"] = (
        ("year", "month", "method", "count", "amount_cents"),
        {(int(y), int(m), method): [int(c), int(a)] for y, m, method, c, a in conn.execute(
            sa.select(year, month, p.method, sa.func.count(), sa.func.sum(p.amount_cents))
            .group_by(year, month, p.method))})
    s = _session.c
    year, month = sa.extract("year", s.date), sa.extract("month", s.date)
    tables["sum_sessions"] = (
        ("year", "month", "status", "count", "minutes"),
        {(int(y), int(m), status): [int(c), int(minutes)]
         for y, m, status, c, minutes in conn.execute(
            sa.select(year, month, s.status, sa.func.count(), sa.func.sum(s.duration_min))
            .group_by(year, month, s.status))})
    billed = sa.exists().where(_line.c.session_id == s.id)
    tables["unbilled_session"] = (
        ("session_id", "client_id", "date"),
        {(sid,): [client, day] for sid, client, day in conn.execute(
            sa.select(s.id, s.client_id, s.date).where(
                s.package_id.is_(None), ~billed,
                sa.or_(s.status == "given",
                       sa.and_(s.fee_cents.is_not(None), s.fee_cents > 0))))})
    for name, (columns, found) in tables.items():
        target = _target(name, *columns)
        conn.execute(sa.delete(target))
        rows = [dict(zip(columns, (*key, *values), strict=True))
                for key, values in found.items()]
        for start in range(0, len(rows), 5000):
            conn.execute(sa.insert(target), rows[start:start + 5000])


def downgrade() -> None:
    op.drop_index("ix_package_expires", table_name="package")
    op.drop_index("ix_session_order", table_name="treatment_session")
    op.drop_index("ix_invoice_order", table_name="invoice")
    op.drop_index("ix_invoice_credits", table_name="invoice")
    op.drop_index("ix_settlement_open", table_name="settlement")
    op.drop_index("ix_settlement_span", table_name="settlement")
    for table in ("unbilled_session", "settlement", "sum_sessions", "sum_payments", "sum_invoices", "sum_turnover"):
        op.drop_table(table)
