"""Shared fixtures: real books on a temporary database, a fixed clock, small factories.

The clock stands still at Tuesday 24 November 2026, 10:00, so tests are deterministic.

A test's SQLite database is a copy of one made and migrated once per test session (per
xdist worker): copying a file takes a millisecond where running the migrations takes a
few hundred (``tests/test_fixtures.py`` checks that the copy is what migrating gives).
PostgreSQL databases are reset the same way (``tests/pg.py``).
"""

from __future__ import annotations

import fcntl
import gc
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ledger.base.dates import FixedClock
from ledger.books import Books
from tests.factories import NOW, PRACTICE, make_client, make_plan, make_treatment

pytest_plugins = ("tests.pg", "tests.summary")

# Python's cycle collector, tuned for a test run (the program's own settings are untouched):
# a test process holds a large heap (the modules of Textual, SQLAlchemy and ReportLab,
# pytest's reports), and with the default thresholds (700, 10, 10) the collector took a
# quarter to a third of an interface test's processor time (one half of the Dutch tour:
# 14 of 44 s), each full collection walking all of it again. The young generation is
# collected after 50,000 allocations instead of 700, and what exists once the tests are
# collected (modules, classes, functions) is frozen out of the collections
# (``gc.freeze``). Garbage is still collected, only less often.
GC_YOUNG = 50_000
gc.set_threshold(GC_YOUNG, 10, 10)


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches the real user data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("SOLEBOOK_DB", raising=False)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def migrated_sqlite(path: Path) -> Path:
    """A SQLite database at ``path`` as opening it the first time leaves it: migrated to
    the newest revision, its write-ahead log folded into the file."""
    from ledger.store.db import open_database

    open_database(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str,
              make: Callable[[Path], object]) -> Path:
    """The file ``name`` made by ``make(path)`` once per test run: with workers
    (``-n auto``) the first worker makes it, under a lock, and the others use it. The
    file is only read (tests get copies); it appears under its name only when whole."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, shared by its workers
    folder = root / "made-once"
    folder.mkdir(exist_ok=True)
    path = folder / name
    with (folder / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            scratch = tmp_path_factory.mktemp("making") / name
            make(scratch)
            os.replace(scratch, path)
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This run's freshly migrated SQLite database; tests get copies."""
    return made_once(tmp_path_factory, "books.sqlite3", migrated_sqlite)


def copy_database(template: Path, target: Path) -> Path:
    """A private copy of ``template``, readable by its owner only (as the program makes
    its files)."""
    shutil.copyfile(template, target)
    os.chmod(target, 0o600)
    return target


@pytest.fixture
def db_url(db_backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The database the test runs on: a freshly migrated SQLite file (a copy of the
    session's template), or for tests under tests/ledger also a freshly migrated
    PostgreSQL database (tests/pg.py parametrizes ``db_backend``)."""
    if db_backend == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    template = request.getfixturevalue("sqlite_template")
    return str(copy_database(template, tmp_path / "books.sqlite3"))


@pytest.fixture
def books(db_url: str, clock: FixedClock) -> Iterator[Books]:
    opened = Books.open(db_url, clock=clock, interface="test")
    yield opened
    opened.close()


@pytest.fixture
def practice(books: Books) -> Books:
    """Books with the practice profile filled in (standard VAT regime)."""
    from ledger.practice.profile import update_practice

    update_practice(books, dict(PRACTICE))
    return books


@pytest.fixture
def runner_practice(practice: Books) -> dict[str, Any]:
    """The worked example: Voetreflexmassage € 65,00 at 21%, Hardloopreeks 5 x for € 300."""
    client = make_client(practice)
    treatment = make_treatment(practice)
    plan = make_plan(practice, treatment.id)
    return {"books": practice, "client": client, "treatment": treatment, "plan": plan}


# The tests that take tens of seconds (the monkey, every screen at every size or in Dutch, the
# crash test...): they are marked slow, and run first, so that with `-n auto` no worker is
# left with a long test at the end while the other waits.
LONG_RUNNING = ("test_monkey.py", "test_dutch_everywhere.py::test_every_screen",
                "test_crash.py", "test_cli_worked_example.py")


def pytest_configure(config: pytest.Config) -> None:
    """With workers (``-n auto``), a worker that runs out of tests takes some from the
    queue of another (xdist's ``worksteal``) rather than wait while the other still has a
    batch of them: the two workers of CI finish together."""
    if getattr(config.option, "dist", "no") == "load":
        config.option.dist = "worksteal"


def pytest_collection_finish(session: pytest.Session) -> None:
    """What the run imported while collecting stays: out of the collector's way."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if any(part in item.nodeid for part in LONG_RUNNING):
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: slow first
