"""The debtor list and the prepaid packages of a year end read from covering indexes.

Revision ID: 0007
Revises: 0006

``settlement`` gets the columns the debtor list shows, copied from the (never changing)
issued invoice: number, series and number in the series, due date, client and the
client's name as on the invoice; and ``ix_settlement_debtors``, a partial index over the
invoices open now with every column of the list, in its order. The table is made afresh
and filled from the books (``ledger.derived.sums.rebuild``), like migration 0006 did.
``ix_package_running`` covers what the year end reads of the packages running on a day.
"""

from collections.abc import Sequence

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

    from ledger.derived.sums import rebuild

    rebuild(op.get_bind(), only=["settlement"])


def downgrade() -> None:
    op.drop_index("ix_package_running", table_name="package")
    op.drop_index("ix_settlement_debtors", table_name="settlement")
    with op.batch_alter_table("settlement") as batch:
        for name in NEW:
            batch.drop_column(name)
