"""A group practice: therapists with an e-mail and a login, notes with their author, the
database role in the audit log, and on PostgreSQL the roles and row-level security.

Revision ID: 0012
Revises: 0011

On every database: ``therapist.email`` and ``therapist.login`` (the PostgreSQL role the
therapist connects as; unique), ``health_note.author_id`` (existing notes were written by
the first therapist, the one a solo practice has) and ``audit_log.db_role``.

On PostgreSQL only (nothing of this exists on SQLite):

- two group roles without login, made when missing: ``solebook_therapist`` and
  ``solebook_admin``; each therapist's login role is a member of the first, the practice's
  administrator a member of the second;
- a therapist may read and write the books (sessions, invoices, payments...) but only read
  the therapist table (so nobody can take another's login), and sees in ``health_note``
  only the notes written by the therapist whose ``login`` is ``current_user``: the policy
  is the database's, so plain SQL as that role sees no more than the program;
- the administrator manages settings, the catalogue, numbering and therapists and has no
  privilege at all on ``health_note``;
- a trigger refuses a therapist's change to the therapist table, whatever the grants
  (a restore with ``pg_restore --no-privileges`` gives the tables the default privileges);
  with no policy for any other role, only a therapist's own notes are ever visible to a
  therapist, and none to the administrator;
- a trigger writes ``current_user`` into ``audit_log.db_role`` of every entry, whatever the
  program sent.

Making roles needs the CREATEROLE privilege: without it the group roles must already
exist (README, "A group practice"), or the grants are left out and only the owner of the
tables can use them, as before.
"""

from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The triggers, row-level security, roles and grants: a plain SQL file beside this one,
# which `solebook restore` runs again after restoring a dump (one copy of the statements)
GROUP_ROLES = Path(__file__).with_name("0012_group_roles.sql")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.add_column("therapist", sa.Column("email", sa.String(200), nullable=False,
                                         server_default=""))
    op.add_column("therapist", sa.Column("login", sa.String(63), nullable=True))
    op.create_index("ix_therapist_login", "therapist", ["login"], unique=True)
    op.add_column("audit_log", sa.Column("db_role", sa.String(63), nullable=False,
                                         server_default=""))
    if postgres:
        op.add_column("health_note", sa.Column("author_id", sa.Integer, nullable=True))
        op.create_foreign_key(op.f("fk_health_note_author_id_therapist"), "health_note",
                              "therapist", ["author_id"], ["id"])
    else:  # SQLite adds a column with its REFERENCES without rebuilding the table
        op.execute("ALTER TABLE health_note ADD COLUMN author_id INTEGER "
                   "REFERENCES therapist (id)")
    op.execute("UPDATE health_note SET author_id = (SELECT min(id) FROM therapist)")
    if not postgres:
        return
    # the first migration inserted therapist 1 with its id: move the sequence past it, or
    # the second therapist would get id 1 again
    op.execute("SELECT setval(pg_get_serial_sequence('therapist', 'id'), "
               "coalesce((SELECT max(id) FROM therapist), 1))")
    # a therapist cannot change the therapist list (so nobody takes another's login and
    # with it their notes): a trigger as well as the grants, as a restore (pg_restore
    # --no-privileges) gives the tables the schema's default privileges again
    # (the whole file at once: the driver's simple protocol runs several statements)
    op.get_bind().exec_driver_sql(GROUP_ROLES.read_text(encoding="utf-8"),
                                  execution_options={"no_parameters": True})


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS note_author ON health_note")
        op.execute("ALTER TABLE health_note DISABLE ROW LEVEL SECURITY")
        op.execute("DROP TRIGGER IF EXISTS audit_log_role ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS therapist_guard ON therapist")
        op.execute("DROP FUNCTION IF EXISTS solebook_therapist_guard()")
        op.execute("DROP FUNCTION IF EXISTS solebook_audit_role()")
    with op.batch_alter_table("health_note") as batch:
        batch.drop_column("author_id")
    op.drop_index("ix_therapist_login", table_name="therapist")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+): rebuilding the table that sessions refer
    # to would break their foreign keys
    op.drop_column("therapist", "login")
    op.drop_column("therapist", "email")
    op.drop_column("audit_log", "db_role")
