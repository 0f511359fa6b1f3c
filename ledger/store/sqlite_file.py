"""An SQLite file of the books, looked at before it is opened: is it one, is it sound
and of a schema this program knows, can this user change it; and a connection that only
reads it. Only ``sqlite3`` here (no SQLAlchemy): ``ledger.store.fastread`` uses it to
read an archived PDF without loading the books' machinery.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from ledger.base.errors import Phrase, StorageError

BUSY_TIMEOUT_MS = 30_000
SQLITE_MAGIC = b"SQLite format 3\x00"


def read_only_error(reason: Phrase) -> StorageError:
    """The refusal of a change to books on read-only storage."""
    return StorageError("database: the books are on read-only storage ({reason}); they can be "
                        "read but not changed, and nothing was changed", reason=reason)


def read_only_reason(path: Path) -> Phrase | None:
    """Why this user cannot change the SQLite file ``path`` (None: they can, or it does
    not exist yet). Asked of the operating system for this user (``access``), so a
    read-only disk counts for everyone and file permissions for everyone but root."""
    if not path.is_file():
        return None
    try:
        disk_read_only = bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        disk_read_only = False
    if disk_read_only:
        return Phrase("the disk is read-only")
    if not os.access(path, os.W_OK):
        return Phrase("the file {path} cannot be written", path=path)
    if not os.access(path.parent, os.W_OK | os.X_OK):  # where the write-ahead log goes
        return Phrase("the folder {folder} cannot be written", folder=path.parent)
    return None


def check_sqlite_file(path: Path) -> None:
    """Refuse an existing file that is not a sound solebook database (read-only look)."""
    if not path.exists():
        return
    if path.is_dir():
        raise StorageError("database: {path} is a folder, not a database file", path=path)
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StorageError(
            "database: cannot read {path}: {strerror}", path=path, strerror=exc.strerror) from exc
    if head and head != SQLITE_MAGIC:
        raise StorageError(
            "database: {path} is not a solebook database (not an SQLite file)", path=path)
    if head:
        _preflight(path)


def _truncated(path: Path) -> bool:
    """The header says the file has more pages than it has (a cut-off copy).

    Not when a write-ahead log lies next to it: a program stopped while it copied the log
    into the file (a checkpoint) can leave the file shorter than its header says, and
    SQLite completes it from the log on the next open (found by the crash test)."""
    wal = path.with_name(path.name + "-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        return False
    with path.open("rb") as fh:
        header = fh.read(100)
    if len(header) < 100:
        return True
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]
    return valid and pages > 0 and path.stat().st_size < pages * page_size


def _preflight(path: Path) -> None:
    """Before anything writes to an existing file (WAL mode, migrations): is it a sound
    solebook database of a schema this program knows? A read-only look, so a file that
    is refused stays exactly as it was."""
    from ledger.store.migrate import known_revisions

    if _truncated(path):
        raise StorageError("database: cannot open {path}: the file is damaged (cut off)", path=path)
    # Without a -wal (or -journal) file no program is using the database: read it as
    # immutable, which leaves no -wal/-shm files behind next to a file we may refuse.
    busy = any(Path(f"{path}{extra}").exists() for extra in ("-wal", "-journal"))
    idle = "" if busy else "&immutable=1"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro{idle}", uri=True,
                               timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = (conn.execute("SELECT version_num FROM alembic_version").fetchone()
                        if "alembic_version" in tables else None)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StorageError(
            "database: cannot open {path}: {reason}",
            path=path, reason=sqlite_reason(exc)) from exc
    if tables and "alembic_version" not in tables:
        raise StorageError(
            "database: {path} is not a solebook database (it holds other tables)", path=path)
    if revision is not None and revision[0] not in known_revisions():
        raise StorageError(
            "database: it was made by a newer version of solebook; update the program (schema "
            "{revision})", revision=revision[0]
        )


def secure_sqlite_files(path: Path) -> None:
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if candidate.exists():
            os.chmod(candidate, 0o600)


def read_only_connection(path: Path) -> sqlite3.Connection:
    """SQLite opened for reading only. Without a write-ahead log next to it no program is
    writing, and ``immutable`` reads it without the shared-memory file that a read-only
    folder cannot hold; with one, ``mode=ro`` reads the log too."""
    busy = Path(f"{path}-wal").exists()
    uri = f"file:{quote(str(path))}?mode=ro" + ("" if busy else "&immutable=1")
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                           check_same_thread=False)


def sqlite_reason(exc: sqlite3.DatabaseError) -> str:
    message = str(exc)
    if "file is not a database" in message or "malformed" in message:
        return "the file is damaged or not a database"
    if "locked" in message or "busy" in message:
        return "the database is locked by another program"
    return message
