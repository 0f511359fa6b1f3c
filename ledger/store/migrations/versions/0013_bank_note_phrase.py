"""A bank line's note as its template and values.

Revision ID: 0013
Revises: 0012

``note_phrase`` keeps a bank line's note (why nothing was matched, what is left of it) as
the English template and its values (JSON, see ``ledger.bank.notes``), so that the
terminal interface and ``--lang nl`` show it in Dutch; ``note`` keeps the English sentence
as before. Lines stored before have none (NULL) and show their English note, translated
where it has no values. On SQLite the column is added with ALTER TABLE, as 0010 does.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE bank_line ADD COLUMN note_phrase TEXT")
    else:
        op.add_column("bank_line", sa.Column("note_phrase", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bank_line") as batch:
        batch.drop_column("note_phrase")
