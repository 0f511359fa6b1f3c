"""Getting paid: mail log, reminders, imported bank statement lines and their matches.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attachment", sa.String(length=200), nullable=False),
        sa.Column("attachment_sha256", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('invoice', 'credit', 'statement', 'reminder')",
                           name=op.f("ck_mail_log_kind")),
        sa.CheckConstraint("status IN ('sent', 'failed')", name=op.f("ck_mail_log_status")),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"],
                                name=op.f("fk_mail_log_invoice_id_invoice")),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"],
                                name=op.f("fk_mail_log_client_id_client")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_log")),
    )
    op.create_index("ix_mail_log_invoice", "mail_log", ["invoice_id", "at"])
    op.create_index("ix_mail_log_client", "mail_log", ["client_id"])

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("principal_cents", sa.BigInteger(), nullable=False),
        sa.Column("costs_cents", sa.BigInteger(), nullable=False),
        sa.Column("pay_by", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('first', 'fourteen_day')", name=op.f("ck_reminder_kind")),
        sa.CheckConstraint("channel IN ('letter', 'email')", name=op.f("ck_reminder_channel")),
        sa.CheckConstraint("principal_cents > 0 AND costs_cents >= 0",
                           name=op.f("ck_reminder_amounts")),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"],
                                name=op.f("fk_reminder_invoice_id_invoice")),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_reminder_document_id_document")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
    )
    op.create_index("ix_reminder_invoice", "reminder", ["invoice_id", "date"])

    op.create_table(
        "bank_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("lines_new", sa.Integer(), nullable=False),
        sa.Column("lines_duplicate", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_import")),
    )
    op.create_table(
        "bank_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("bank", sa.String(length=20), nullable=False),
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("booking_date", sa.Date(), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("counterparty_name", sa.String(length=200), nullable=False),
        sa.Column("counterparty_iban", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("bank_ref", sa.String(length=200), nullable=False),
        sa.Column("import_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed', 'unmatched', 'booked', 'debit', 'ignored')",
            name=op.f("ck_bank_line_status")),
        sa.ForeignKeyConstraint(["import_id"], ["bank_import.id"],
                                name=op.f("fk_bank_line_import_id_bank_import")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_line")),
        sa.UniqueConstraint("import_key", name="uq_bank_line_import_key"),
    )
    op.create_index("ix_bank_line_status", "bank_line", ["status", "booking_date"])
    op.create_index("ix_bank_line_import", "bank_line", ["import_id"])

    op.create_table(
        "bank_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("rule", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('proposed', 'confirmed', 'rejected')",
                           name=op.f("ck_bank_match_status")),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_bank_match_amount")),
        sa.ForeignKeyConstraint(["line_id"], ["bank_line.id"],
                                name=op.f("fk_bank_match_line_id_bank_line")),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"],
                                name=op.f("fk_bank_match_invoice_id_invoice")),
        sa.ForeignKeyConstraint(["payment_id"], ["payment.id"],
                                name=op.f("fk_bank_match_payment_id_payment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_match")),
    )
    op.create_index("ix_bank_match_line", "bank_match", ["line_id"])
    op.create_index("ix_bank_match_invoice", "bank_match", ["invoice_id", "status"])


def downgrade() -> None:
    op.drop_table("bank_match")
    op.drop_table("bank_line")
    op.drop_table("bank_import")
    op.drop_table("reminder")
    op.drop_table("mail_log")
