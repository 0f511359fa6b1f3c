"""What the books know about what they saved, books on read-only storage, private folders.

Read-only storage as the operating system reports it for a user who is not root is tested
for real in ``tests/tui/test_cli_safety.py`` (the command line run without root's
privileges); here the books are opened read-only on purpose (``read_only=True``), which
is the same engine and the same refusals.
"""

from __future__ import annotations

import os
import shutil
import stat
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ledger.base.dates import FixedClock
from ledger.base.errors import StorageError
from ledger.books import Books
from ledger.practice.clients import add_client
from ledger.store.backup import backups_dir, daily_backup
from ledger.store.db import open_database
from ledger.store.files import private_folder
from ledger.store.models import Client
from ledger.store.sqlite_file import read_only_reason
from tests.factories import NOW


def _clients(books: Books) -> int:
    with books.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Client)))


def test_the_books_count_only_the_transactions_that_saved_a_change(books: Books) -> None:
    assert books.db.changes.saved == 0
    with books.db.write() as session:  # a write block that changes nothing
        session.scalar(select(func.count()).select_from(Client))
    assert books.db.changes.saved == 0
    with pytest.raises(RuntimeError), books.db.write() as session:
        session.add(Client(name="Teruggedraaid", created_at=NOW))
        session.flush()
        raise RuntimeError("undone")
    assert (books.db.changes.saved, _clients(books)) == (0, 0)
    add_client(books, {"name": "Łukasz Wiśniewski"})
    assert (books.db.changes.saved, _clients(books)) == (1, 1)


@pytest.mark.sqlite_only
def test_books_opened_read_only_read_but_refuse_every_change(
        sqlite_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "books.sqlite3"
    shutil.copyfile(sqlite_template, path)
    writable = Books.open(str(path), clock=FixedClock(NOW))
    add_client(writable, {"name": "Anna de Vries"})
    writable.close()
    before = path.read_bytes()
    books = Books(open_database(str(path), read_only=True), FixedClock(NOW))
    try:
        assert books.db.read_only is not None
        assert _clients(books) == 1
        with pytest.raises(StorageError) as refused:
            add_client(books, {"name": "Bram Bakker"})
        assert refused.value.message == (
            "database: the books are on read-only storage (opened for reading only); they can "
            "be read but not changed, and nothing was changed")
        assert refused.value.text("nl").startswith(
            "database: de administratie staat op alleen-lezen opslag")
        assert daily_backup(books.db, date(2026, 11, 24)) is None  # no copy of read-only books
    finally:
        books.close()
    assert path.read_bytes() == before
    assert not backups_dir(path).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["books.sqlite3"]  # no -wal, -shm


@pytest.mark.sqlite_only
def test_read_only_books_of_an_older_schema_are_refused_not_upgraded(
        empty_db_url: str) -> None:
    from ledger.store import migrate
    from ledger.store.db import connect

    database = connect(empty_db_url)
    migrate.upgrade(database, "0001")
    database.close()
    with pytest.raises(StorageError, match=r"read-only storage \(opened for reading only\) and "
                                           r"their schema \(0001\) must first be brought up"):
        open_database(empty_db_url, read_only=True)
    database = connect(empty_db_url)
    assert migrate.current_revision(database) == "0001"
    database.close()


def test_what_makes_storage_read_only(tmp_path: Path) -> None:
    path = tmp_path / "books.sqlite3"
    assert read_only_reason(path) is None  # not there yet: it is made
    path.write_bytes(b"")
    assert read_only_reason(path) is None
    if os.geteuid() != 0:  # root may write anyway: tested without root's privileges elsewhere
        path.chmod(0o400)
        assert "cannot be written" in str(read_only_reason(path))


def test_private_folders_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        made = private_folder(tmp_path / "data" / "documents" / "2026")
        private_folder(made)  # there already: fine
    finally:
        os.umask(old)
    for folder in (tmp_path / "data", tmp_path / "data" / "documents", made):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(FileExistsError):
        private_folder(tmp_path / "file")


@pytest.mark.sqlite_only
def test_the_days_first_start_makes_folders_of_older_versions_private(books: Books) -> None:
    assert books.db.path is not None
    old = books.db.path.parent / "documents" / "2026"
    old.mkdir(parents=True)
    for folder in (old, old.parent):
        folder.chmod(0o755)  # as an older version left them
    daily_backup(books.db, date(2026, 11, 24))
    for folder in (old, old.parent, backups_dir(books.db.path)):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
