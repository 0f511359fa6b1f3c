"""Opening what is not a sound solebook database: a clear one-line message, exit 1, and
the file exactly as it was (compared by SHA-256), with no side files left next to it."""

from __future__ import annotations

import contextlib
import hashlib
import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ledger.books import Books
from tests.factories import ENGLISH, cli_env, make_client


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("good") / "books.sqlite3"
    books = Books.open(str(path), interface="test")
    for n in range(60):
        make_client(books, f"Cliënt {n}", notes="x" * 500)
    books.close()
    return path


def _make(kind: str, good: Path, folder: Path) -> Path:
    path = folder / f"{kind}.sqlite3"
    data = good.read_bytes()
    if kind == "text":
        path.write_text("Boodschappen: melk, brood, kaas\n")
    elif kind == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "corrupt":
        page = 4096
        pages = len(data) // page
        path.write_bytes(data[: (pages - 4) * page] + b"\x00\xff" * page * 2
                         + data[(pages - 2) * page:])
    elif kind == "foreign":
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
            conn.commit()
    elif kind == "newer":
        path.write_bytes(data)
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("UPDATE alembic_version SET version_num = '9999'")
            conn.commit()
    elif kind == "folder":
        path.mkdir()
    return path


CASES = [
    ("text", "not a solebook database (not an SQLite file)"),
    ("truncated", "damaged"),
    ("foreign", "not a solebook database (it holds other tables)"),
    ("newer", "made by a newer version of solebook"),
    ("folder", "is a folder"),
]


def _main(argv: list[str]) -> tuple[int, str]:
    from tui.cli.main import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main(argv)
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, err.getvalue()


@pytest.mark.parametrize(("kind", "message"), CASES, ids=[c[0] for c in CASES])
def test_a_broken_database_is_refused_and_left_alone(
        good: Path, tmp_path: Path, kind: str, message: str) -> None:
    path = _make(kind, good, tmp_path)
    before = None if path.is_dir() else _digest(path)
    listing = sorted(p.name for p in tmp_path.iterdir())
    for argv in (["client", "list"], ["client", "add", "--name", "Nieuw"], ["backup"]):
        code, err = _main([*ENGLISH, "--db", str(path), *argv])
        assert code == 1, err
        assert err.count("\n") == 1 and message in err, err
        assert "Traceback" not in err and "unexpected" not in err
    if before is not None:
        assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no -wal, -shm, backups


def test_a_damaged_database_is_not_backed_up(good: Path, tmp_path: Path) -> None:
    """Damage deep inside the file is only found by reading every page: the backup does
    (PRAGMA quick_check on the copy) and refuses to keep a damaged copy."""
    path = _make("corrupt", good, tmp_path)
    before = _digest(path)
    code, err = _main([*ENGLISH, "--db", str(path), "backup"])
    assert code == 1 and err.count("\n") == 1 and "damaged" in err, err
    assert _digest(path) == before
    assert not list((tmp_path / "backups").glob("*")) if (tmp_path / "backups").exists() \
        else True


def test_a_broken_database_through_a_real_process(good: Path, tmp_path: Path) -> None:
    path = _make("truncated", good, tmp_path)
    before = _digest(path)
    done = subprocess.run([sys.executable, "-m", "tui.cli.main", *ENGLISH, "client", "list"],
                          env=cli_env(str(path)), capture_output=True, text=True, check=False)
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert "damaged" in done.stderr and _digest(path) == before


def test_a_locked_database_is_a_clear_message(good: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Another program holds the write lock: the command waits (here 0.3 s instead of
    30 s), then says so and changes nothing."""
    monkeypatch.setattr("ledger.store.db.BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "books.sqlite3"
    path.write_bytes(good.read_bytes())
    Books.open(str(path)).close()  # the daily backup of the day, made before the lock
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, err = _main([*ENGLISH, "--db", str(path), "client", "add", "--name", "Nieuw"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 1 and err.count("\n") == 1, err
    assert "locked by another program" in err and "nothing was changed" in err
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT count(*) FROM client WHERE name = 'Nieuw'").fetchone() == (0,)
