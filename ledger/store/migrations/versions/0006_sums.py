"""Derived month sums and invoice settlement (the year report at scale), list indexes.

Revision ID: 0006
Revises: 0005

The new tables are filled from the books at once (``ledger.derived.sums.rebuild``), so a database
of any age has them complete and consistent after the upgrade.
"""

from collections.abc import Sequence

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

    from ledger.derived.sums import rebuild

    # settlement is filled by 0007, which gives it the columns today's code writes
    rebuild(op.get_bind(), only=["sum_turnover", "sum_invoices", "sum_payments",
                                 "sum_sessions", "unbilled_session"])


def downgrade() -> None:
    op.drop_index("ix_package_expires", table_name="package")
    op.drop_index("ix_session_order", table_name="treatment_session")
    op.drop_index("ix_invoice_order", table_name="invoice")
    op.drop_index("ix_invoice_credits", table_name="invoice")
    op.drop_index("ix_settlement_open", table_name="settlement")
    op.drop_index("ix_settlement_span", table_name="settlement")
    for table in ("unbilled_session", "settlement", "sum_sessions", "sum_payments", "sum_invoices", "sum_turnover"):
        op.drop_table(table)
