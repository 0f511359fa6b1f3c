"""Bank lines: the same payment across formats, and lines of other accounts.

Revision ID: 0010
Revises: 0009

``identity`` identifies a bank transaction whatever the file format it came in (own
account, booking date, signed amount, counter-account and occurrence; see
``ledger.bank.formats``), so a CAMT.053 and a CSV or MT940 of the same days add each
payment once. Lines stored before have none (NULL) and are still recognised by their
import key. The status ``other`` marks a line of an account that is not one of the
practice's own accounts: stored and shown apart, never matched.

On SQLite the column is added with ALTER TABLE and the status CHECK widened by rewriting the
table's stored definition (``PRAGMA writable_schema``, as 0011 does; only a value is added,
so every row stays valid), not by Alembic's batch mode: a batch rebuild writes the table's
constraints in an order that varies from run to run, so two databases migrated alike
would differ in their schema text.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "status IN ('proposed', 'unmatched', 'booked', 'debit', 'ignored')"
NEW = "status IN ('proposed', 'unmatched', 'booked', 'debit', 'ignored', 'other')"


def _sqlite_rewrite(table: str, old: str, new: str) -> None:
    conn = op.get_bind()
    sql = str(conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar())
    if old not in sql:
        raise RuntimeError(f"{table}: {old!r} was not found")
    version = int(conn.exec_driver_sql("PRAGMA schema_version").scalar() or 0)
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    conn.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                         (sql.replace(old, new), table))
    conn.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    conn.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE bank_line ADD COLUMN identity VARCHAR(64)")
        _sqlite_rewrite("bank_line", OLD, NEW)
    else:
        op.add_column("bank_line", sa.Column("identity", sa.String(64), nullable=True))
        op.drop_constraint(op.f("ck_bank_line_status"), "bank_line", type_="check")
        op.create_check_constraint(op.f("ck_bank_line_status"), "bank_line", NEW)
    op.create_index("ix_bank_line_identity", "bank_line", ["identity"])


def downgrade() -> None:
    op.drop_index("ix_bank_line_identity", "bank_line")
    op.execute("UPDATE bank_line SET status = 'unmatched' WHERE status = 'other'")
    with op.batch_alter_table("bank_line") as batch:
        batch.drop_constraint(op.f("ck_bank_line_status"), type_="check")
        batch.create_check_constraint(op.f("ck_bank_line_status"), OLD)
        batch.drop_column("identity")
