"""Backups: a consistent copy while the program runs, daily copies with rotation, a
checked restore. PostgreSQL databases are backed up with ``pg_dump`` (see ledger.store.pgdump).

SQLite copies use SQLite's online backup API, so a copy taken while another process
writes is still one consistent state of the books. Every copy is written under a temporary
name and renamed (mode 0600). The first start of each day makes ``backups/daily-DATE``;
:func:`keep` decides which daily copies stay: one per day for the last 7 days, per week
for the last 4 weeks and per month for the last 12 months that have one.

A restore first checks the file (an SQLite database, ``PRAGMA integrity_check`` ok, a
schema revision this program knows, the solebook tables), then sets the current database
aside as ``NAME.replaced-YYYYmmdd-HHMMSS`` and only then puts the copy in its place.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ledger.base.errors import StorageError
from ledger.store.db import Database, resolve_url
from ledger.store.files import (
    TEMP_SUFFIX,
    fsync_folder,
    private_folder,
    remove_stale_temp_files,
    replace_atomic,
    temp_name,
    tighten_folders,
)
from ledger.store.restored import REQUIRED_TABLES, Restored, default_server_backups
from ledger.store.sqlite_file import (
    BUSY_TIMEOUT_MS,
    SQLITE_MAGIC,
    check_sqlite_file,
    read_only_connection,
    read_only_reason,
)

DAILY_PREFIX = "daily-"
SUFFIX = ".sqlite3"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
LOCK_TIMEOUT = 2.0  # seconds a restore waits for another program's write to finish


@dataclass(frozen=True)
class BackupFile:
    path: Path
    made: datetime  # when the file was written
    size: int  # bytes
    daily: bool  # made by the day's first start


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (or plain path), or None for a server database."""
    from sqlalchemy.engine import make_url

    sa_url = make_url(resolve_url(url))
    if sa_url.get_backend_name() != "sqlite":
        return None
    if not sa_url.database or sa_url.database == ":memory:":
        raise StorageError("backup: an in-memory database cannot be backed up")
    return Path(sa_url.database)


def backups_dir(database_file: Path) -> Path:
    return database_file.parent / "backups"


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def _connect_source(path: Path, immutable: bool) -> sqlite3.Connection:
    if not path.is_file():
        raise StorageError("backup: there is no database at {path}", path=path)
    try:
        if not immutable and read_only_reason(path) is not None:
            conn = read_only_connection(path)  # books on read-only storage can be copied
        else:
            conn = sqlite3.connect(f"file:{path}?mode=ro{'&immutable=1' if immutable else ''}",
                                   uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StorageError("backup: cannot read {path}: {exc}", path=path, exc=exc) from exc
    return conn


def copy_sqlite(source: Path, target: Path, *, immutable: bool = False) -> Path:
    """A consistent copy of ``source`` at ``target`` (temporary name, then renamed).
    ``immutable``: the source is a file nobody writes to (a backup being restored)."""
    if not target.parent.is_dir():
        raise StorageError("backup: the folder {parent} does not exist", parent=target.parent)
    temp = temp_name(target)
    src = _connect_source(source, immutable)
    try:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        dst = sqlite3.connect(temp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            dst.commit()
            check = [row[0] for row in dst.execute("PRAGMA quick_check")]
        finally:
            dst.close()
        if check != ["ok"]:
            raise StorageError("backup: the database is damaged ({check}); no backup was "
                               "made. Restore an earlier backup with `solebook restore`",
                               check=check[0])
        replace_atomic(temp, target)
    except sqlite3.Error as exc:
        raise StorageError(
            "backup: copying {source} failed: {exc}", source=source, exc=exc) from exc
    except OSError as exc:
        raise StorageError(
            "backup: cannot write {target}: {strerror}",
            target=target, strerror=exc.strerror) from exc
    finally:
        src.close()
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    return target


def backup_to(db: str, destination: Path | str | None, now: datetime) -> Path:
    """``solebook backup [PATH]``: SQLite via the backup API, PostgreSQL via pg_dump.
    ``db`` is a database path or URL."""
    try:
        return _backup_to(resolve_url(db), destination, now)
    except OSError as exc:
        raise StorageError(
            "backup: cannot write {name}: {strerror}",
            name=_name(destination), strerror=exc.strerror
                           ) from exc
    except ValueError as exc:
        raise StorageError(
            "backup: {name} is not a valid file name", name=_name(destination)) from exc


def _name(path: Path | str | None) -> str:
    return repr(str(path))[1:-1] if path is not None else "the backup"


def _backup_to(url: str, destination: Path | str | None, now: datetime) -> Path:
    path = sqlite_path(url)
    if path is not None:  # refuse a missing or broken database before creating anything
        check_sqlite_file(path)
        if not path.is_file():
            raise StorageError("backup: there is no database at {path}", path=path)
    name = f"solebook-{_stamp(now)}" + (SUFFIX if path is not None else ".dump")
    if destination is None:
        folder = backups_dir(path) if path is not None else default_server_backups()
        private_folder(folder)
        target = folder / name
    else:
        target = Path(destination).expanduser()
        if target.is_dir():
            target = target / name
        elif target.parent.exists() and not target.parent.is_dir():
            raise StorageError("backup: {parent} is not a folder", parent=target.parent)
    if path is None:
        from ledger.store.pgdump import pg_dump

        return pg_dump(url, target)
    if target.resolve() == path.resolve():
        raise StorageError("backup: the backup cannot overwrite the database itself")
    return copy_sqlite(path, target)


# ----------------------------------------------------------------------------- rotation
def keep(days: Iterable[date]) -> set[date]:
    """Which daily copies to keep: the newest per day (7), ISO week (4) and month (12)."""
    ordered = sorted(set(days), reverse=True)
    kept: set[date] = set()
    for limit, bucket in ((KEEP_DAILY, lambda d: d),
                          (KEEP_WEEKLY, lambda d: d.isocalendar()[:2]),
                          (KEEP_MONTHLY, lambda d: (d.year, d.month))):
        seen: set[object] = set()
        for day in ordered:
            key = bucket(day)
            if key not in seen and len(seen) < limit:
                seen.add(key)
                kept.add(day)
    return kept


def daily_backups(folder: Path) -> dict[date, Path]:
    found: dict[date, Path] = {}
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        name = entry.name
        if name.startswith(DAILY_PREFIX) and name.endswith(SUFFIX):
            with contextlib.suppress(ValueError):
                found[date.fromisoformat(name[len(DAILY_PREFIX):-len(SUFFIX)])] = entry
    return found


def rotate(folder: Path) -> list[Path]:
    """Delete the daily copies :func:`keep` does not keep; returns the deleted ones."""
    found = daily_backups(folder)
    kept = keep(found)
    removed = []
    for day, path in sorted(found.items()):
        if day not in kept:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            removed.append(path)
    return removed


def daily_backup(database: Database, today: date) -> Path | None:
    """The first start of a day copies the books to ``backups/daily-DATE.sqlite3``, rotates
    the older copies and makes the program's folders private again (``backups/`` and
    ``documents/`` with all below it: older versions made them 0755); later starts only
    look whether that file exists.

    Returns the new copy, or None (already made today, books on read-only storage, which
    cannot change and have no room for a copy next to them, or a server database, whose
    backups are the server's business: see ``solebook backup``)."""
    if database.path is None or database.read_only is not None:
        return None
    return daily_copy(database.path, today)


def daily_copy(path: Path, today: date) -> Path | None:
    """:func:`daily_backup` of the SQLite file ``path``; None if today's copy exists."""
    folder = backups_dir(path)
    target = folder / f"{DAILY_PREFIX}{today.isoformat()}{SUFFIX}"
    if target.exists():
        return None
    try:
        private_folder(folder)
    except OSError as exc:
        raise StorageError(
            "backup: cannot create {folder}: {strerror}",
            folder=folder, strerror=exc.strerror) from exc
    remove_stale_temp_files(folder)
    remove_stale_temp_files(path.parent)
    copy_sqlite(path, target)
    rotate(folder)
    for own in (folder, path.parent / "documents"):  # once a day: folders of older versions
        tighten_folders(own)
    return target


def list_backups(database_file: Path) -> list[BackupFile]:
    """The copies in the backups folder next to the database (daily ones and those made
    by ``solebook backup``), newest first."""
    folder = backups_dir(database_file)
    found: list[BackupFile] = []
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.name.endswith(SUFFIX) and entry.is_file():
                stat = entry.stat()
                found.append(BackupFile(entry, datetime.fromtimestamp(stat.st_mtime),
                                        stat.st_size, entry.name.startswith(DAILY_PREFIX)))
    return sorted(found, key=lambda b: (b.made, b.path.name), reverse=True)


# ------------------------------------------------------------------------------ restore
def check_sqlite_copy(path: Path) -> str:
    """Refuse a file that is not a sound solebook database; returns its schema revision."""
    from ledger.store.migrate import known_revisions

    if not path.is_file():
        raise StorageError("restore: there is no file {path}", path=path)
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise StorageError(
            "restore: {path} is not a solebook backup (not an SQLite file)", path=path)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise StorageError("restore: cannot open {path}: {exc}", path=path, exc=exc) from exc
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise StorageError(
                "restore: {path} is damaged ({problems})", path=path, problems=problems[0])
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables or not tables >= REQUIRED_TABLES:
            raise StorageError("restore: {path} is not a solebook database", path=path)
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise StorageError(
            "restore: {path} is damaged or not a database ({exc})", path=path, exc=exc) from exc
    finally:
        conn.close()
    if revision is None or revision[0] not in known_revisions():
        raise StorageError(
            "restore: {path} was made by a newer version of solebook (schema {schema}); update "
            "the program first", path=path, schema=revision[0] if revision else 'unknown'
        )
    return str(revision[0])


def _set_aside(path: Path, aside: Path) -> None:
    """Copy the current database (with what is still in its WAL) to ``aside``; refuse
    when another program is writing to it. A damaged file is moved aside as it is."""
    holder: sqlite3.Connection | None = sqlite3.connect(path, timeout=LOCK_TIMEOUT,
                                                          isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]  # no one else writes
    except sqlite3.DatabaseError as exc:
        holder.close()  # type: ignore[union-attr]
        holder = None
        if "locked" in str(exc) or "busy" in str(exc):
            raise StorageError(
                "restore: {path} is in use by another program; close solebook and try again",
                path=path
            ) from exc
    if holder is None:
        for extra in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.replace(f"{path}{extra}", f"{aside}{extra}")
        return
    try:
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        target, reader = sqlite3.connect(aside), sqlite3.connect(path)
        try:
            reader.backup(target)  # a second connection: it may read while we hold the lock
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
            reader.close()
    finally:
        holder.close()
    for extra in ("-wal", "-shm"):  # they belong to the old file, now copied aside
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{extra}")


def restore(db: str, source: Path | str, now: datetime) -> Restored:
    """``solebook restore PATH``: check the copy, set the current database aside, replace.
    ``db`` is the database path or URL."""
    try:
        return _restore(resolve_url(db), Path(source).expanduser(), now)
    except OSError as exc:
        raise StorageError(
            "restore: cannot read {name}: {strerror}",
            name=_name(source), strerror=exc.strerror) from exc
    except ValueError as exc:
        raise StorageError("restore: {name} is not a valid file name", name=_name(source)) from exc


def _aside_name(path: Path, now: datetime) -> Path:
    aside = path.with_name(f"{path.name}.replaced-{_stamp(now)}")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.replaced-{_stamp(now)}-{number}")
    return aside


def _restore(url: str, source: Path, now: datetime) -> Restored:
    path = sqlite_path(url)
    if path is None:
        from ledger.store.pgdump import pg_restore

        return pg_restore(url, source, now)
    revision = check_sqlite_copy(source)
    if path.exists() and source.resolve() == path.resolve():
        raise StorageError("restore: that file is the database itself")
    if not path.parent.is_dir():
        raise StorageError("restore: the folder {parent} does not exist", parent=path.parent)
    incoming = path.with_name(f".{path.name}.restore.{os.getpid()}{TEMP_SUFFIX}")
    copy_sqlite(source, incoming, immutable=True)
    replaced: Path | None = None
    try:
        if path.exists():
            replaced = _aside_name(path, now)
            _set_aside(path, replaced)
        os.replace(incoming, path)
        os.chmod(path, 0o600)
    finally:
        with contextlib.suppress(FileNotFoundError):
            incoming.unlink()
    fsync_folder(path.parent)
    return Restored(source, str(path), replaced, revision)


