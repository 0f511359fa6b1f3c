"""Opening the database: where it lives, its pragmas, transactions and migrations.

SQLite is the default (one file in the platform's user data folder, WAL, foreign keys,
mode 0600); any SQLAlchemy URL works, PostgreSQL (``postgresql+psycopg://``) included.

Writes go through :meth:`Database.write`, which on SQLite starts the transaction with
``BEGIN IMMEDIATE`` so that two processes never both read the same "last invoice number"
and then race to write it; the other waits (busy timeout) instead of failing halfway.
On PostgreSQL the services take row locks (``SELECT ... FOR UPDATE``) for the same effect.

**Read-only storage.** An SQLite file that this user cannot change (the file or its folder
not writable, or a read-only disk) is opened read-only (``mode=ro``; ``immutable`` when no
write-ahead log lies next to it, since none can be made in a read-only folder): reading
works, :meth:`Database.write` refuses with a message that says the storage is read-only,
and no schema upgrade or daily backup is attempted (a database whose schema is behind is
refused with that reason).

**What was saved.** :attr:`Database.changes` counts the write transactions that committed
a change (an INSERT, UPDATE or DELETE reached the database), so that the command line can
say truthfully, when something fails after that, that the change was saved.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger.base.errors import Phrase, StorageError
from ledger.store.files import private_folder
from ledger.store.sqlite_file import (
    BUSY_TIMEOUT_MS,
    check_sqlite_file,
    read_only_connection,
    read_only_error,
    read_only_reason,
    secure_sqlite_files,
    sqlite_reason,
)

if TYPE_CHECKING:  # SQLAlchemy is imported when a database is opened: the checks of an
    # SQLite file here need only sqlite3 (ledger.store.fastread reads an archived PDF without it)
    from sqlalchemy import Engine
    from sqlalchemy.exc import DatabaseError
    from sqlalchemy.orm import Session, sessionmaker

APP_NAME = "solebook"
ENV_VAR = "SOLEBOOK_DB"


def default_db_path() -> Path:
    """The default database file: ``user_data_dir('solebook')/solebook.sqlite3``."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "solebook.sqlite3"


def resolve_url(db: str | None = None) -> str:
    """Turn ``--db`` / ``SOLEBOOK_DB`` / the default into a SQLAlchemy URL."""
    value = db or os.environ.get(ENV_VAR) or str(default_db_path())
    if "://" in value:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            make_url(value)
        except ArgumentError as exc:
            raise StorageError(
                "database: {value!r} is not a valid database URL", value=value) from exc
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


@dataclass
class Changes:
    """What this process changed in the books: ``saved`` counts the write transactions
    that committed a change."""

    saved: int = 0


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_DML = "solebook_dml"  # key in a connection's info: this transaction changed something


@dataclass(frozen=True)
class Database:
    """An open database: the engine plus the two ways to use it."""

    url: str
    engine: Engine
    factory: sessionmaker[Session]
    writer: sessionmaker[Session]
    context: dict[str, Any]  # interface and clock, seen by the audit trail
    changes: Changes = field(default_factory=Changes)
    read_only: Phrase | None = None  # why the books cannot be changed (None: they can)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        if not self.is_sqlite:
            return None
        database = self.engine.url.database
        return Path(database) if database and database != ":memory:" else None

    @property
    def data_dir(self) -> Path:
        """The folder next to the database where documents and backups are kept."""
        if self.path is not None:
            return self.path.parent
        from platformdirs import user_data_dir

        return Path(user_data_dir(APP_NAME, appauthor=False))

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; its transaction ends (rolled back) on exit."""
        from sqlalchemy.exc import DatabaseError

        try:
            with self.factory() as session, session.begin():
                yield session
        except DatabaseError as exc:
            raise _storage_error(exc) from exc

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One user action: everything in the block is committed together, or nothing.
        On read-only storage it is refused before anything is done."""
        from sqlalchemy.exc import DatabaseError

        if self.read_only is not None:
            raise read_only_error(self.read_only)
        try:
            with self.writer() as session:
                with session.begin():
                    yield session
                    connection = session.info.get(_DML)
                    changed = connection is not None and connection.info.get(_DML, False)
                if changed:  # committed: the block left ``session.begin()`` without error
                    self.changes.saved += 1
        except DatabaseError as exc:
            raise _storage_error(exc) from exc

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_engine(url: str, path: Path | None, read_only: bool = False) -> Engine:
    from sqlalchemy import create_engine, event

    if read_only and path is not None:
        engine = create_engine(url, creator=lambda: read_only_connection(path))
    else:
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is switched off; we emit BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if path is not None and not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("solebook_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _track_changes(engine: Engine, writer: sessionmaker[Session]) -> None:
    """Note on a connection when its transaction changes something, and on a write
    session which connection it uses (read by :meth:`Database.write` before committing)."""
    from sqlalchemy import event

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.info[_DML] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:7].upper().startswith(_WRITES):
            conn.info[_DML] = True

    @event.listens_for(writer, "after_begin")
    def _session_begin(session: Session, _transaction: Any, connection: Any) -> None:
        session.info[_DML] = connection


def connect(db: str | None = None, *, create: bool = True,
            read_only: bool | None = None) -> Database:
    """Open (and if needed create) the database, without migrating it. ``read_only``:
    None finds out (an SQLite file this user cannot change); True opens it read-only."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
    from sqlalchemy.orm import sessionmaker

    url = resolve_url(db)
    sa_url = make_url(url)
    reason: Phrase | None = None
    if sa_url.get_backend_name() == "sqlite":
        database = sa_url.database
        path = Path(database) if database and database != ":memory:" else None
        if path is not None:
            check_sqlite_file(path)
            reason = read_only_reason(path) if read_only is None else (
                Phrase("opened for reading only") if read_only and path.is_file() else None)
            if not path.exists():
                if not create:
                    raise StorageError("database: {path} does not exist", path=path)
                try:
                    private_folder(path.parent)
                    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
                    os.close(fd)
                except OSError as exc:
                    raise StorageError(
                        "database: cannot create {path}: {strerror}",
                        path=path, strerror=exc.strerror
                    ) from exc
        engine = _sqlite_engine(url, path, reason is not None)
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True,
                                   connect_args=server_connect_args(sa_url))
        except (ArgumentError, ImportError) as exc:
            raise StorageError(
                "database: cannot use {url}: {exc}",
                url=sa_url.render_as_string(), exc=exc) from exc
        path = None
    from ledger.store import audit

    writer_engine = engine.execution_options(solebook_write=True)
    context: dict[str, Any] = {"interface": "cli"}
    database_obj = Database(
        url=url,
        engine=engine,
        factory=sessionmaker(engine, expire_on_commit=False, info=context),
        writer=sessionmaker(writer_engine, expire_on_commit=False, info=context),
        context=context,
        read_only=reason,
    )
    audit.install(database_obj.writer)
    _track_changes(engine, database_obj.writer)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        raise StorageError(
            "database: cannot open {database}: {reason}",
            database=_describe(url), reason=_reason(exc)) from exc
    if path is not None and reason is None:
        secure_sqlite_files(path)
    return database_obj


def open_database(db: str | None = None, *, create: bool = True, migrate: bool = True,
                  read_only: bool | None = None) -> Database:
    """Open the database and bring its schema up to date (Alembic, automatic). On
    read-only storage nothing can be upgraded: an up-to-date schema is read as it is, an
    older one is refused with the reason."""
    database = connect(db, create=create, read_only=read_only)
    if migrate:
        from ledger.store.migrate import current_revision, head_revision, upgrade

        try:
            if database.read_only is None:
                upgrade(database)
            elif (current := current_revision(database)) != head_revision():
                raise StorageError(
                    "database: the books are on read-only storage ({reason}) and their schema "
                    "({current}) must first be brought up to date ({head}); open them once "
                    "where they can be written", reason=database.read_only,
                    current=current or "-", head=head_revision())
        except StorageError:
            database.close()
            raise
    return database


# --------------------------------------------------------- a server database's password
KEYRING_SERVICE = "solebook-db"


def has_password(db: str | None) -> bool:
    """A database URL that carries a password (refused on the command line: it would stay
    in the shell's history and be visible to every user in the process list)."""
    if not db or "://" not in db:
        return False
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(db).password is not None
    except ArgumentError:
        return False


def _pgpass_file() -> Path:
    return Path(os.environ.get("PGPASSFILE") or Path.home() / ".pgpass")


def server_connect_args(sa_url: Any) -> dict[str, Any]:
    """How a server connection gets its password, never from the database or the command
    line: libpq's own ``PGPASSWORD`` and ``~/.pgpass`` (``PGPASSFILE``) first; without
    either, the system keyring (service ``solebook-db``, the role name as the key:
    ``keyring set solebook-db anna``) when the ``keyring`` extra is installed. Everything
    else in the URL's query, ``sslmode`` and ``sslrootcert`` included, goes to libpq as it
    is."""
    if sa_url.get_backend_name() != "postgresql" or sa_url.password is not None:
        return {}
    if os.environ.get("PGPASSWORD") or _pgpass_file().is_file():
        return {}
    import getpass

    user = sa_url.username or os.environ.get("PGUSER") or getpass.getuser()
    from ledger.base.secrets import keyring_password

    password = keyring_password(KEYRING_SERVICE, user)
    return {"password": password} if password else {}


def table_names(database: Database) -> list[str]:
    from sqlalchemy import inspect

    with database.engine.connect() as conn:
        return inspect(conn).get_table_names()


def _describe(url: str) -> str:
    from sqlalchemy.engine import make_url

    sa_url = make_url(url)
    if sa_url.get_backend_name() == "sqlite":
        return str(sa_url.database)
    return sa_url.render_as_string(hide_password=True)


def _storage_error(exc: DatabaseError) -> Exception:
    """SQLite's own troubles as one clear line; anything else (a constraint, a trigger)
    stays what it is."""
    orig = getattr(exc, "orig", None)
    refused = _server_refusal(orig)
    if refused is not None:
        return refused
    if not isinstance(orig, sqlite3.OperationalError | sqlite3.DatabaseError) or isinstance(
            orig, sqlite3.IntegrityError):
        return exc
    message = str(orig)
    if "locked" in message or "busy" in message:
        return StorageError("database: it is locked by another program (waited {seconds:g} s); "
                            "nothing was changed, try again", seconds=BUSY_TIMEOUT_MS / 1000)
    if "malformed" in message or "not a database" in message:
        return StorageError("database: the file is damaged; nothing was changed (restore a "
                            "backup with `solebook restore`)")
    if "disk is full" in message or "disk I/O" in message:
        return StorageError(
            "database: cannot write ({message}); nothing was changed", message=message)
    if "readonly" in message:
        return StorageError("database: the file is read-only; nothing was changed")
    return exc


def _server_refusal(orig: object) -> StorageError | None:
    """PostgreSQL refused the connected role (a therapist changing the therapist list, the
    administrator reading notes, a note in another's name): one line, nothing changed."""
    if getattr(orig, "sqlstate", None) != "42501":  # insufficient_privilege
        return None
    reason = str(orig).splitlines()[0] if str(orig) else "permission denied"
    return StorageError("database: your database role may not do this ({reason}); nothing "
                        "was changed", reason=reason)


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    if isinstance(orig, sqlite3.DatabaseError):
        return sqlite_reason(orig)
    return str(orig or exc).splitlines()[0]
