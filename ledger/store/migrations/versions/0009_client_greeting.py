"""How letters speak and greet: the practice's voice, each client's form of address.

Revision ID: 0009
Revises: 0008

Letters and mails of a one-person practice say "ik" ("I"), a practice of more people may
choose "wij" ("we"): ``practice.voice`` (``i`` or ``we``, existing practices ``i``). A
letter greets a client by first name ("Beste Ilse,") unless the client's ``salutation`` is
``mrs`` or ``mr`` ("Geachte mevrouw Visser,"); ``formal_name`` is the name used then
(blank: the name without its first word). Existing clients are greeted by first name.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _columns() -> list[tuple[str, sa.Column[str]]]:
    """Made afresh per run: a Column belongs to the table it was first added to."""
    return [
        ("practice", sa.Column("voice", sa.String(2), nullable=False, server_default="i")),
        ("client", sa.Column("salutation", sa.String(12), nullable=False,
                             server_default="first_name")),
        ("client", sa.Column("formal_name", sa.String(200), nullable=False,
                             server_default="")),
    ]


def upgrade() -> None:
    # Plain ALTER TABLE ADD/DROP COLUMN (SQLite 3.35+, PostgreSQL): no table is copied, so
    # the rows that refer to a client stay as they are.
    for table, column in _columns():
        op.add_column(table, column)


def downgrade() -> None:
    for table, column in reversed(_columns()):
        op.drop_column(table, column.name)
