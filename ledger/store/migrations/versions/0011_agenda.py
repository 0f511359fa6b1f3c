"""The agenda: planned and cancelled sessions, a place held on a series, the calendar's
state, appointment mails.

Revision ID: 0011
Revises: 0010

A session can now be ``planned`` (an appointment ahead) or ``cancelled`` (in time). A
planned session holds a place on a series in ``reserved_package_id`` without redeeming it
(``package_id`` stays the one column that says a package paid). The week view reads one
therapist's days through ``ix_session_therapist_day``. ``agenda_event`` keeps what the
calendar outside knows of each appointment (SEQUENCE, what was published, the reminder
sent), and the mail log records confirmations and reminders of appointments.

On SQLite the status CHECK of ``treatment_session`` is widened by rewriting the table's
stored definition (the procedure SQLite documents for changes that leave every stored row
valid, ``PRAGMA writable_schema``), because rebuilding the table would have to drop it
while invoice lines refer to it. Only values are added, so every row stays valid.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUS = "status IN ('given', 'no_show', 'late_cancel')"
NEW_STATUS = "status IN ('given', 'no_show', 'late_cancel', 'planned', 'cancelled')"
RESERVED = "reserved_package_id IS NULL OR status = 'planned'"
OLD_KINDS = "kind IN ('invoice', 'credit', 'statement', 'reminder')"
NEW_KINDS = ("kind IN ('invoice', 'credit', 'statement', 'reminder', 'confirmation', "
             "'appointment_reminder')")


def _sqlite_rewrite(table: str, *changes: tuple[str, str]) -> None:
    conn = op.get_bind()
    sql = str(conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar())
    for old, new in changes:
        if old not in sql:
            raise RuntimeError(f"{table}: {old!r} was not found")
        sql = sql.replace(old, new)
    version = int(conn.exec_driver_sql("PRAGMA schema_version").scalar() or 0)
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    conn.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                         (sql, table))
    conn.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    conn.exec_driver_sql("PRAGMA writable_schema = OFF")


def _change_check(table: str, name: str, old: str, new: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_rewrite(table, (old, new))
    else:
        op.drop_constraint(op.f(f"ck_{table}_{name}"), table, type_="check")
        op.create_check_constraint(op.f(f"ck_{table}_{name}"), table, new)


def upgrade() -> None:
    _change_check("treatment_session", "status", OLD_STATUS, NEW_STATUS)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE treatment_session ADD COLUMN {SQLITE_RESERVED}")
    else:
        op.add_column("treatment_session", sa.Column("reserved_package_id", sa.Integer(),
                                                     nullable=True))
        op.create_foreign_key(op.f("fk_treatment_session_reserved_package_id_package"),
                              "treatment_session", "package", ["reserved_package_id"], ["id"])
        op.create_check_constraint(op.f("ck_treatment_session_reserved_planned"),
                                   "treatment_session", RESERVED)
    op.create_index("ix_session_therapist_day", "treatment_session",
                    ["therapist_id", "date", "start_time"])
    op.create_index("ix_session_reserved", "treatment_session", ["reserved_package_id"])

    # the mail log: a wider kind with two more values, and the session an appointment's
    # mail was about
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_rewrite("mail_log", ("kind VARCHAR(12) NOT NULL", "kind VARCHAR(20) NOT NULL"),
                        (OLD_KINDS, NEW_KINDS))
        op.execute(f"ALTER TABLE mail_log ADD COLUMN {SQLITE_MAIL_SESSION}")
    else:
        op.alter_column("mail_log", "kind", type_=sa.String(20), existing_type=sa.String(12),
                        existing_nullable=False)
        _change_check("mail_log", "kind", OLD_KINDS, NEW_KINDS)
        op.add_column("mail_log", sa.Column("session_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_mail_log_session_id_treatment_session"), "mail_log",
                              "treatment_session", ["session_id"], ["id"], ondelete="SET NULL")
    op.create_index("ix_mail_log_session", "mail_log", ["session_id", "kind"])

    op.create_table(
        "agenda_event",
        sa.Column("session_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=True),
        sa.Column("published_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("published_etag", sa.String(length=200), nullable=False),
        sa.Column("reminded_start", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_agenda_event")),
    )


SQLITE_RESERVED = ("reserved_package_id INTEGER CONSTRAINT "
                   "fk_treatment_session_reserved_package_id_package REFERENCES package (id) "
                   f"CONSTRAINT ck_treatment_session_reserved_planned CHECK ({RESERVED})")
SQLITE_MAIL_SESSION = ("session_id INTEGER CONSTRAINT fk_mail_log_session_id_treatment_session "
                       "REFERENCES treatment_session (id) ON DELETE SET NULL")


def downgrade() -> None:
    """Back to 0008: planned and cancelled sessions cannot be kept there (their private
    notes are kept, on the client)."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_table("agenda_event")
    op.drop_index("ix_mail_log_session", table_name="mail_log")
    if sqlite:  # a column with constraints cannot be dropped: drop its constraints first
        _sqlite_rewrite("mail_log", (SQLITE_MAIL_SESSION, "session_id INTEGER"))
        op.execute("ALTER TABLE mail_log DROP COLUMN session_id")
        op.execute("DELETE FROM mail_log WHERE kind IN ('confirmation', 'appointment_reminder')")
        _sqlite_rewrite("mail_log", ("kind VARCHAR(20) NOT NULL", "kind VARCHAR(12) NOT NULL"),
                        (NEW_KINDS, OLD_KINDS))
    else:
        op.drop_column("mail_log", "session_id")
        op.execute("DELETE FROM mail_log WHERE kind IN ('confirmation', 'appointment_reminder')")
        _change_check("mail_log", "kind", NEW_KINDS, OLD_KINDS)
        op.alter_column("mail_log", "kind", type_=sa.String(12), existing_type=sa.String(20),
                        existing_nullable=False)
    gone = "(SELECT id FROM treatment_session WHERE status IN ('planned', 'cancelled'))"
    op.execute(f"UPDATE health_note SET session_id = NULL WHERE session_id IN {gone}")
    op.execute("DELETE FROM treatment_session WHERE status IN ('planned', 'cancelled')")
    op.execute("DELETE FROM sum_sessions WHERE status IN ('planned', 'cancelled')")
    op.drop_index("ix_session_reserved", table_name="treatment_session")
    op.drop_index("ix_session_therapist_day", table_name="treatment_session")
    if sqlite:
        _sqlite_rewrite("treatment_session", (SQLITE_RESERVED, "reserved_package_id INTEGER"))
        op.execute("ALTER TABLE treatment_session DROP COLUMN reserved_package_id")
    else:
        op.drop_column("treatment_session", "reserved_package_id")
    _change_check("treatment_session", "status", NEW_STATUS, OLD_STATUS)
