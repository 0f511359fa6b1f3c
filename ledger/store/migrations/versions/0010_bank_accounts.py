"""Bank lines: the same payment across formats, and lines of other accounts.

Revision ID: 0010
Revises: 0008

``identity`` identifies a bank transaction whatever the file format it came in (own
account, booking date, signed amount, counter-account and occurrence; see
``ledger.bank.formats``), so a CAMT.053 and a CSV or MT940 of the same days add each
payment once. Lines stored before have none (NULL) and are still recognised by their
import key. The status ``other`` marks a line of an account that is not one of the
practice's own accounts: stored and shown apart, never matched.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "status IN ('proposed', 'unmatched', 'booked', 'debit', 'ignored')"
NEW = "status IN ('proposed', 'unmatched', 'booked', 'debit', 'ignored', 'other')"


def upgrade() -> None:
    with op.batch_alter_table("bank_line") as batch:
        batch.add_column(sa.Column("identity", sa.String(64), nullable=True))
        batch.drop_constraint(op.f("ck_bank_line_status"), type_="check")
        batch.create_check_constraint(op.f("ck_bank_line_status"), NEW)
    op.create_index("ix_bank_line_identity", "bank_line", ["identity"])


def downgrade() -> None:
    op.drop_index("ix_bank_line_identity", "bank_line")
    op.execute("UPDATE bank_line SET status = 'unmatched' WHERE status = 'other'")
    with op.batch_alter_table("bank_line") as batch:
        batch.drop_constraint(op.f("ck_bank_line_status"), type_="check")
        batch.create_check_constraint(op.f("ck_bank_line_status"), OLD)
        batch.drop_column("identity")
