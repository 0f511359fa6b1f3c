"""The debtor list and the prepaid packages of a year end read from covering indexes.

Revision ID: 0007
Revises: 0006

``settlement`` gets the columns the debtor list shows, copied from the (never changing)
issued invoice: number, series and number in the series, due date, client and the
client's name as on the invoice; and ``ix_settlement_debtors``, a partial index over the
invoices open now with every column of the list, in its order. The table is made afresh
and filled from the books, like migration 0006 did, by this file's own copy of the
settlement computation (``ledger.derived.settlement.computed_settlements`` as it stood
when the migration was written): a migration never imports the program's code.
``ix_package_running`` covers what the year end reads of the packages running on a day.
"""

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEBTOR_COLUMNS = ["span", "invoice_date", "series", "seq", "last_event", "open_cents",
                  "credited_cents", "paid_cents", "number", "due_date", "client_id",
                  "client_name", "invoice_id"]
PACKAGE_COLUMNS = ["expires_on", "sold_on", "cancelled_on", "client_id", "invoice_id",
                   "sessions_total", "price_cents", "vat_rate", "name", "id"]
NEW = ("number", "series", "seq", "due_date", "client_id", "client_name")


def _money(name: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), nullable=False)


def upgrade() -> None:
    op.drop_index("ix_settlement_open", table_name="settlement")
    op.drop_index("ix_settlement_span", table_name="settlement")
    op.drop_table("settlement")
    op.create_table(
        "settlement",
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("invoice_date", sa.Date(), nullable=False),
        _money("paid_cents"), _money("credited_cents"), _money("open_cents"),
        sa.Column("last_event", sa.Date(), nullable=True),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("span", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("series", sa.String(length=20), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("client_name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"], ondelete="CASCADE",
                                name=op.f("fk_settlement_invoice_id_invoice")),
        sa.PrimaryKeyConstraint("invoice_id", name=op.f("pk_settlement")),
    )
    op.create_index("ix_settlement_span", "settlement",
                    ["span", "invoice_date", "settled_on", "last_event"])
    op.create_index("ix_settlement_open", "settlement",
                    ["invoice_date", "open_cents", "last_event"],
                    sqlite_where=sa.text("open_cents <> 0"),
                    postgresql_where=sa.text("open_cents <> 0"))
    op.create_index("ix_settlement_debtors", "settlement", DEBTOR_COLUMNS,
                    sqlite_where=sa.text("span IS NULL"),
                    postgresql_where=sa.text("span IS NULL"))
    op.create_index("ix_package_running", "package", PACKAGE_COLUMNS)

    _fill(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_package_running", table_name="package")
    op.drop_index("ix_settlement_debtors", table_name="settlement")
    with op.batch_alter_table("settlement") as batch:
        for name in NEW:
            batch.drop_column(name)


# ------------------------------------------------------------------------------ frozen copy
_invoice = sa.table(
    "invoice", sa.column("id", sa.Integer), sa.column("kind", sa.String),
    sa.column("date", sa.Date), sa.column("total_cents", sa.BigInteger),
    sa.column("credit_of_id", sa.Integer), sa.column("number", sa.String),
    sa.column("series", sa.String), sa.column("seq", sa.Integer),
    sa.column("due_date", sa.Date), sa.column("client_id", sa.Integer),
    sa.column("client_snapshot", sa.Text))
_payment = sa.table(
    "payment", sa.column("invoice_id", sa.Integer), sa.column("date", sa.Date),
    sa.column("amount_cents", sa.BigInteger))
_COLUMNS = ("invoice_id", "invoice_date", "paid_cents", "credited_cents", "open_cents",
            "last_event", "settled_on", "span", "number", "series", "seq", "due_date",
            "client_id", "client_name")
_DATES = ("invoice_date", "last_event", "settled_on", "due_date")


def _settlement(invoice_date: date, total: int, paid_sum: int, paid_last: date | None,
                credited: int, credited_last: date | None) -> dict[str, Any]:
    open_ = total - credited - paid_sum
    events = [d for d in (paid_last, credited_last) if d is not None]
    last = max(events) if events else None
    settled = None if open_ > 0 else max(invoice_date, last or invoice_date)
    return {"invoice_date": invoice_date, "paid_cents": paid_sum, "credited_cents": credited,
            "open_cents": open_, "last_event": last, "settled_on": settled,
            "span": None if settled is None else (settled - invoice_date).days.bit_length()}


def _fill(conn: Any) -> None:
    p = _payment.c
    paid_by = {i: (int(s), last) for i, s, last in conn.execute(
        sa.select(p.invoice_id, sa.func.sum(p.amount_cents), sa.func.max(p.date))
        .group_by(p.invoice_id))}
    credit = _invoice.alias("credit").c
    credited_by = {i: (-int(s), last) for i, s, last in conn.execute(
        sa.select(credit.credit_of_id, sa.func.sum(credit.total_cents),
                  sa.func.max(credit.date))
        .where(credit.credit_of_id.is_not(None), credit.date.is_not(None))
        .group_by(credit.credit_of_id))}
    i = _invoice.c
    names: dict[str | None, str] = {}
    rows = []
    for invoice_id, day, total, number, series, seq, due, client_id, snapshot in conn.execute(
            sa.select(i.id, i.date, i.total_cents, i.number, i.series, i.seq, i.due_date,
                      i.client_id, i.client_snapshot)
            .where(i.kind == "invoice", i.date.is_not(None))):
        paid_sum, paid_last = paid_by.get(invoice_id, (0, None))
        credited, credited_last = credited_by.get(invoice_id, (0, None))
        row = _settlement(day, int(total), paid_sum, paid_last, credited, credited_last)
        if snapshot not in names:
            names[snapshot] = str(json.loads(snapshot or "{}").get("name", ""))
        row.update(invoice_id=invoice_id, number=number or "", series=series, seq=seq,
                   due_date=due, client_id=client_id, client_name=names[snapshot])
        rows.append(row)
    target = sa.table("settlement", *(sa.column(c, sa.Date if c in _DATES else None)
                                      for c in _COLUMNS))
    conn.execute(sa.delete(target))
    for start in range(0, len(rows), 5000):
        conn.execute(sa.insert(target), rows[start:start + 5000])
