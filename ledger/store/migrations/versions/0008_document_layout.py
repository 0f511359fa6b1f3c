"""Archived documents record the layout that drew them.

Revision ID: 0008
Revises: 0007

An issued invoice's archived PDF is the document the client received; ``invoice verify``
re-renders it and compares the bytes. When the program's invoice layout changes (layout 2
draws on the canvas; layout 1 was built with platypus), documents archived before can no
longer be re-made byte for byte, so each document row says which layout made it: verify
re-renders only documents of the current layout and checks the others by their SHA-256.
Existing rows were all made by layout 1.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("layout", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_column("layout")
