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

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

THERAPIST_ROLE = "solebook_therapist"
ADMIN_ROLE = "solebook_admin"

ROLES = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{THERAPIST_ROLE}') THEN
        CREATE ROLE {THERAPIST_ROLE} NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ADMIN_ROLE}') THEN
        CREATE ROLE {ADMIN_ROLE} NOLOGIN;
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'solebook: cannot create the roles {THERAPIST_ROLE} and {ADMIN_ROLE}';
END
$$
"""

GRANTS = f"""
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{THERAPIST_ROLE}')
       AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ADMIN_ROLE}') THEN
        EXECUTE 'GRANT USAGE ON SCHEMA public TO {THERAPIST_ROLE}, {ADMIN_ROLE}';
        EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public '
                'TO {THERAPIST_ROLE}, {ADMIN_ROLE}';
        EXECUTE 'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public '
                'TO {THERAPIST_ROLE}, {ADMIN_ROLE}';
        EXECUTE 'REVOKE INSERT, UPDATE, DELETE ON therapist FROM {THERAPIST_ROLE}';
        EXECUTE 'REVOKE ALL ON health_note FROM {ADMIN_ROLE}';
        EXECUTE 'REVOKE INSERT, UPDATE, DELETE ON alembic_version '
                'FROM {THERAPIST_ROLE}, {ADMIN_ROLE}';
        EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, '
                'DELETE ON TABLES TO {THERAPIST_ROLE}, {ADMIN_ROLE}';
        EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES '
                'TO {THERAPIST_ROLE}, {ADMIN_ROLE}';
        EXECUTE 'CREATE POLICY note_author ON health_note TO {THERAPIST_ROLE} '
                'USING (author_id = (SELECT t.id FROM therapist t WHERE t.login = current_user)) '
                'WITH CHECK (author_id = (SELECT t.id FROM therapist t '
                'WHERE t.login = current_user))';
    END IF;
END
$$
"""

THERAPIST_GUARD = f"""
CREATE FUNCTION solebook_therapist_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{THERAPIST_ROLE}')
       AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ADMIN_ROLE}')
       AND pg_has_role(current_user, '{THERAPIST_ROLE}', 'MEMBER')
       AND NOT pg_has_role(current_user, '{ADMIN_ROLE}', 'MEMBER') THEN
        RAISE EXCEPTION 'only the administrator changes the therapists'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN coalesce(NEW, OLD);
END
$$
"""

AUDIT_ROLE = """
CREATE FUNCTION solebook_audit_role() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.db_role := current_user;
    RETURN NEW;
END
$$
"""


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
    op.execute(AUDIT_ROLE)
    op.execute("CREATE TRIGGER audit_log_role BEFORE INSERT ON audit_log FOR EACH ROW "
               "EXECUTE FUNCTION solebook_audit_role()")
    # a therapist cannot change the therapist list (so nobody takes another's login and
    # with it their notes): a trigger as well as the grants, as a restore (pg_restore
    # --no-privileges) gives the tables the schema's default privileges again
    op.execute(THERAPIST_GUARD)
    op.execute("CREATE TRIGGER therapist_guard BEFORE INSERT OR UPDATE OR DELETE ON therapist "
               "FOR EACH ROW EXECUTE FUNCTION solebook_therapist_guard()")
    op.execute("ALTER TABLE health_note ENABLE ROW LEVEL SECURITY")
    op.execute(ROLES)
    op.execute(GRANTS)


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
