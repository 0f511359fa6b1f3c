"""Backups and restore: consistent copies, daily rotation, and a restore that checks the
file before it replaces anything (and keeps the replaced database aside)."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ledger.base.errors import StorageError
from ledger.books import Books
from ledger.practice.clients import list_clients
from ledger.store.backup import backup_to, daily_backup, daily_backups, keep, restore
from ledger.store.db import resolve_url
from tests.factories import make_client, sell_package

pytestmark = pytest.mark.sqlite_only
STAMP = datetime(2026, 11, 24, 10, 0, 0)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _names(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM client ORDER BY id")]


def test_backup_is_a_private_consistent_copy(practice: Books) -> None:
    make_client(practice, "Anna")
    assert practice.db.path is not None
    made = backup_to(resolve_url(str(practice.db.path)), None, STAMP)
    assert made == practice.db.path.parent / "backups" / "solebook-20261124-100000.sqlite3"
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert _names(made) == ["Anna"]
    with sqlite3.connect(made) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    folder = practice.db.path.parent / "elsewhere"
    folder.mkdir()
    assert backup_to(str(practice.db.path), folder, STAMP).parent == folder


def test_backup_while_another_process_writes(practice: Books, tmp_path: Path) -> None:
    """Copies taken while clients are added are each one consistent state."""
    assert practice.db.path is not None
    writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        from ledger.books import Books
        from ledger.practice.clients import add_client
        books = Books.open({str(practice.db.path)!r}, interface="test")
        for i in range(60):
            add_client(books, {{"name": f"Client {{i}}", "notes": "x" * 2000}})
        """)])
    copies = []
    try:
        while writer.poll() is None and len(copies) < 40:
            copies.append(backup_to(str(practice.db.path), tmp_path / f"c{len(copies)}.db",
                                    STAMP))
    finally:
        assert writer.wait(timeout=60) == 0
    counts = []
    for copy in copies:
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            clients = conn.execute("SELECT count(*) FROM client").fetchone()[0]
            notes = conn.execute("SELECT count(*) FROM health_note").fetchone()[0]
            assert clients == notes  # each client came with a note in one transaction
            counts.append(clients)
    assert counts == sorted(counts) and len(copies) >= 2


def test_backup_into_a_missing_folder_or_under_a_file(practice: Books, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    for target, message in ((tmp_path / "nope" / "b.db", "does not exist"),
                            (tmp_path / "file" / "b.db", "is not a folder")):
        with pytest.raises(StorageError, match=message):
            backup_to(str(practice.db.path), target, STAMP)


def test_keep_seven_daily_four_weekly_twelve_monthly() -> None:
    days = [date(2025, 1, 1) + timedelta(days=n) for n in range(700)]
    today = days[-1]  # 2026-12-01, a Tuesday
    kept = keep(days)
    assert len(kept) <= 7 + 4 + 12
    assert {today - timedelta(days=n) for n in range(7)} <= kept
    weeks = {d.isocalendar()[:2] for d in kept}
    assert all((today - timedelta(weeks=n)).isocalendar()[:2] in weeks for n in range(4))
    months = {(d.year, d.month) for d in kept}
    assert months == {(2026, m) for m in range(1, 13)}  # the last 12 months with a copy
    assert min(kept) == date(2026, 1, 31)  # the newest copy of the oldest month kept
    assert keep(kept) == kept  # rotating again removes nothing


def test_daily_backup_once_a_day_with_rotation(practice: Books) -> None:
    db = practice.db
    assert db.path is not None
    start = date(2026, 1, 1)
    made = 0
    for n in range(40):
        day = start + timedelta(days=n)
        if daily_backup(db, day) is not None:
            made += 1
        assert daily_backup(db, day) is None  # the second start that day only looks
    on_disk = daily_backups(db.path.parent / "backups")
    assert made == 40
    assert set(on_disk) == keep(start + timedelta(days=n) for n in range(40))
    assert len(on_disk) < 7 + 4 + 12
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in on_disk.values())


def test_restore_puts_a_backup_back_and_keeps_the_replaced_database(
        runner_practice: dict[str, Any]) -> None:
    books: Books = runner_practice["books"]
    path = books.db.path
    assert path is not None
    copy = backup_to(str(path), None, STAMP)
    make_client(books, "Later toegevoegd")
    sell_package(books, runner_practice["client"].id, runner_practice["plan"].id)
    books.close()
    done = restore(str(path), copy, datetime(2026, 11, 25, 9, 30, 0))
    assert done.replaced == path.with_name(path.name + ".replaced-20261125-093000")
    assert "Later toegevoegd" in _names(done.replaced)
    assert "Later toegevoegd" not in _names(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    reopened = Books.open(str(path))
    try:
        assert [c.name for c in list_clients(reopened)] == ["Anna de Vries"]
    finally:
        reopened.close()


def _damaged(kind: str, good: Path, tmp_path: Path) -> Path:
    bad = tmp_path / f"{kind}.sqlite3"
    data = good.read_bytes()
    if kind == "text":
        bad.write_text("Dit is geen database, maar een boodschappenlijst.\n")
    elif kind == "truncated":
        bad.write_bytes(data[: len(data) // 3])
    elif kind == "corrupt":
        page = 4096
        bad.write_bytes(data[: 5 * page] + b"\xff" * page * 3 + data[8 * page:])
    elif kind == "foreign":
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    elif kind == "newer":
        bad.write_bytes(data)
        with sqlite3.connect(bad) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999'")
    elif kind == "empty":
        bad.write_bytes(b"")
    return bad


@pytest.mark.parametrize(("kind", "message"), [
    ("text", "not a solebook backup"),
    ("truncated", "damaged"),
    ("corrupt", "damaged"),
    ("foreign", "not a solebook database"),
    ("newer", "newer version of solebook"),
    ("empty", "not a solebook backup"),
    ("missing", "there is no file"),
])
def test_restore_refuses_a_bad_file_and_changes_nothing(
        practice: Books, tmp_path: Path, kind: str, message: str) -> None:
    make_client(practice, "Anna")
    path = practice.db.path
    assert path is not None
    good = backup_to(str(path), tmp_path / "good.sqlite3", STAMP)
    bad = _damaged(kind, good, tmp_path) if kind != "missing" else tmp_path / "missing.db"
    practice.close()
    before = _digest(path)
    with pytest.raises(StorageError, match=message) as caught:
        restore(str(path), bad, STAMP)
    assert "\n" not in caught.value.message
    assert _digest(path) == before
    assert not list(path.parent.glob("*.replaced-*"))
    assert not list(path.parent.glob(".*solebook-tmp"))


def test_restore_refuses_while_another_program_writes(
        practice: Books, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ledger.store.backup.LOCK_TIMEOUT", 0.2)
    path = practice.db.path
    assert path is not None
    good = backup_to(str(path), tmp_path / "good.sqlite3", STAMP)
    with practice.db.write() as session:  # holds the write lock
        from ledger.store.models import Setting

        session.add(Setting(key="busy", value="1"))
        session.flush()
        with pytest.raises(StorageError, match="in use by another program"):
            restore(str(path), good, STAMP)
    assert not list(path.parent.glob("*.replaced-*"))


@pytest.mark.postgres
def test_postgresql_backup_and_restore_with_pg_dump(pg_url: str, tmp_path: Path) -> None:
    books = Books.open(pg_url)
    make_client(books, "Anna")
    dump = backup_to(pg_url, tmp_path / "praktijk.dump", STAMP)
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert dump.read_bytes()[:5] == b"PGDMP"
    make_client(books, "Later toegevoegd")
    books.close()
    done = restore(pg_url, dump, STAMP)
    assert done.replaced is not None and done.replaced.exists() and done.revision
    books = Books.open(pg_url)
    try:
        assert [c.name for c in list_clients(books)] == ["Anna"]
        make_client(books, "Na het terugzetten")  # sequences were restored too
    finally:
        books.close()
    not_a_dump = tmp_path / "x.dump"
    not_a_dump.write_text("nee")
    with pytest.raises(StorageError, match="not a pg_dump file"):
        restore(pg_url, not_a_dump, STAMP)


def test_a_file_left_short_by_a_stopped_checkpoint_opens_from_its_log(tmp_path: Path) -> None:
    """Killed while copying the write-ahead log into the file, the file can be shorter than
    its header says; with the log next to it that is not damage (the crash test found the
    refusal), without the log it is a cut-off copy."""
    import shutil

    from ledger.books import Books
    from ledger.practice.clients import list_clients

    source = tmp_path / "live.sqlite3"
    Books.open(str(source)).close()
    conn = sqlite3.connect(source)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.executemany("INSERT INTO client (name, search_name, address, postcode, city, country,"
                     " email, phone, created_at) VALUES (?, ?, '', '', '', 'NL', '', '',"
                     " '2026-11-24 10:00:00')",
                     [(f"Cliënt {n}", f"client {n}") for n in range(400)])
    conn.commit()
    copy = tmp_path / "after-kill.sqlite3"
    shutil.copyfile(source, copy)
    shutil.copyfile(source.with_name(source.name + "-wal"), copy.with_name(copy.name + "-wal"))
    conn.close()
    data = bytearray(copy.read_bytes())
    pages = len(data) // int.from_bytes(data[16:18], "big")
    data[28:32] = (pages + 40).to_bytes(4, "big")  # the header of a checkpoint half done
    data[92:96] = data[24:28]
    copy.write_bytes(bytes(data))
    short = tmp_path / "cut-off.sqlite3"
    short.write_bytes(bytes(data))

    books = Books.open(str(copy))
    try:
        assert len(list_clients(books, "Cliënt", limit=1000)) == 400
    finally:
        books.close()
    with pytest.raises(StorageError, match="damaged"):
        Books.open(str(short))
