"""Clients get a search key (lower case, no accents) so that search works everywhere.

Revision ID: 0004
Revises: 0003

The key is computed by this file's own copy of ``ledger.base.text.search_key`` as it stood
when the migration was written (a migration never imports the program's code; the
program keeps the key current from then on).
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("client") as batch:
        batch.add_column(sa.Column("search_name", sa.String(200), nullable=False,
                                   server_default=""))
    bind = op.get_bind()
    client = sa.table("client", sa.column("id", sa.Integer), sa.column("name", sa.String),
                      sa.column("search_name", sa.String))
    rows = bind.execute(sa.select(client.c.id, client.c.name)).all()
    for row in rows:
        bind.execute(client.update().where(client.c.id == row.id)
                     .values(search_name=search_key(row.name)))
    op.create_index("ix_client_search_name", "client", ["search_name"])


def downgrade() -> None:
    op.drop_index("ix_client_search_name", table_name="client")
    with op.batch_alter_table("client") as batch:
        batch.drop_column("search_name")


# ------------------------------------------------------------------------------ frozen copy
# Letters that Unicode does not decompose into a base letter plus an accent.
_FOLD = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o",
                       "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th",
                       "Þ": "th", "ð": "d", "Ð": "d"})


def search_key(text: str) -> str:
    """Lower case without accents: ``Özgür Çelik`` -> ``ozgur celik``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())
