"""Schema migrations (Alembic), applied automatically when the program opens a database.

The whole upgrade runs in one transaction (SQLite and PostgreSQL both have transactional
DDL), so a migration that fails leaves the database as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ledger.base.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Engine


class Database(Protocol):
    """What a migration needs of an open database (``ledger.store.db.Database`` has it);
    a protocol, so that opening a database may upgrade it without an import circle."""

    @property
    def engine(self) -> Engine: ...

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def known_revisions() -> list[str]:
    """The revisions this program knows, oldest first.

    Revision files are named ``NNNN_what.py`` with revision id ``NNNN`` and form one line,
    so the list is read from the file names: opening a database that is up to date then
    costs no Alembic import (a test checks this convention against Alembic's own view).
    """
    names = (path.name for path in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    return sorted(name[:4] for name in names)


def head_revision() -> str:
    return known_revisions()[-1]


def current_revision(database: Database) -> str | None:
    """The schema revision stored in the database, or None for an empty database."""
    from sqlalchemy import inspect, text

    with database.engine.connect() as conn:
        tables = inspect(conn).get_table_names()
        if "alembic_version" not in tables:
            if tables:
                raise StorageError(
                    "database: this is not a solebook database (it holds other tables)"
                )
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(database: Database, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (default: the newest this program knows)."""
    current = current_revision(database)
    if current is not None and current not in known_revisions():
        raise StorageError(
            "database: it was made by a newer version of solebook; update the program (schema "
            "{current})", current=current
        )
    if current == head_revision() and revision == "head":
        return
    from alembic import command
    from sqlalchemy.exc import DBAPIError

    config = alembic_config()
    try:
        with database.engine.execution_options(solebook_write=True).begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    except DBAPIError as exc:
        raise StorageError(
            "database: the schema upgrade failed and was undone: {reason}", reason=exc.orig
        ) from exc
