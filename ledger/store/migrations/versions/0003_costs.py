"""Costs with receipts, cost categories (seeded), business kilometres; year-report indexes.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here on purpose: a migration must not change when the model module does.
CATEGORIES = (
    ("materials", "Materialen en oliën"),
    ("linen", "Linnen en wasserij"),
    ("training", "Opleiding en cursussen"),
    ("association", "Beroepsvereniging en register"),
    ("insurance", "Verzekeringen"),
    ("rent", "Huur behandelruimte"),
    ("phone", "Telefoon en internet"),
    ("marketing", "Marketing en reclame"),
    ("travel", "Reiskosten"),
    ("equipment", "Klein inventaris"),
    ("other", "Overige kosten"),
)


def upgrade() -> None:
    category = op.create_table(
        "cost_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_category")),
        sa.UniqueConstraint("key", name=op.f("uq_cost_category_key")),
    )
    op.bulk_insert(category, [
        {"key": key, "name": name, "position": i, "active": True}
        for i, (key, name) in enumerate(CATEGORIES, start=1)
    ])
    op.create_table(
        "cost",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("vat_cents", sa.BigInteger(), nullable=False),
        sa.Column("vat_rate", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("receipt_path", sa.String(length=500), nullable=True),
        sa.Column("receipt_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("method IN ('bank', 'pin', 'cash', 'card', 'other')",
                           name=op.f("ck_cost_method")),
        sa.CheckConstraint(
            "(amount_cents >= 0 AND vat_cents >= 0 AND vat_cents <= amount_cents)"
            " OR (amount_cents < 0 AND vat_cents <= 0 AND vat_cents >= amount_cents)",
            name=op.f("ck_cost_vat_within_amount"),
        ),
        sa.ForeignKeyConstraint(["category_id"], ["cost_category.id"],
                                name=op.f("fk_cost_category_id_cost_category")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost")),
    )
    op.create_index("ix_cost_date", "cost", ["date", "category_id", "amount_cents", "vat_cents"])
    op.create_table(
        "km_trip",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("km_tenths", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("rate_cents", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("km_tenths > 0", name=op.f("ck_km_trip_km")),
        sa.CheckConstraint("rate_cents >= 0", name=op.f("ck_km_trip_rate")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_km_trip")),
    )
    op.create_index("ix_km_trip_date", "km_trip", ["date", "km_tenths", "rate_cents"])
    op.create_index("ix_invoice_line_totals", "invoice_line",
                    ["invoice_id", "vat_rate", "net_cents", "vat_cents", "session_id",
                     "package_id"])
    op.create_index("ix_session_package_date", "treatment_session", ["package_id", "date"])
    op.create_index("ix_payment_invoice_date", "payment", ["invoice_id", "date", "amount_cents"])
    op.create_index("ix_package_sold", "package", ["sold_on", "cancelled_on"])


def downgrade() -> None:
    op.drop_index("ix_package_sold", table_name="package")
    op.drop_index("ix_payment_invoice_date", table_name="payment")
    op.drop_index("ix_session_package_date", table_name="treatment_session")
    op.drop_index("ix_invoice_line_totals", table_name="invoice_line")
    op.drop_index("ix_km_trip_date", table_name="km_trip")
    op.drop_table("km_trip")
    op.drop_index("ix_cost_date", table_name="cost")
    op.drop_table("cost")
    op.drop_table("cost_category")
