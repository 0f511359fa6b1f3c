"""Fixtures for driving the real app: a small demo practice made once, copied per test.

``load_demo(books, clients=12)`` runs once per test run (a few seconds; with workers the
first one makes it, ``tests.conftest.made_once``) with the clock
at Tuesday 24 November 2026, 10:00; every test gets its own copy of the file, so tests
can change the books freely.

Textual's Pilot waits after every key press (twice) and every pause until the process is
idle, measured in windows of 20 ms: at least 40 ms of sleep per key, which is most of a
Pilot test's time (the monkey's 1,250 keys slept 50 s). ``_quick_idle`` measures in windows
of 4 ms with the same rule (idle = under 5 % of the window on the processor); what a test
waits for (the messages handled, the workers done) is unchanged (``tests/tui/pilot.py``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ledger.base.dates import FixedClock
from ledger.books import Books
from tests.conftest import made_once
from tests.factories import NOW


@pytest.fixture(autouse=True)
def _quick_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual import _wait

    monkeypatch.setattr(_wait, "SLEEP_GRANULARITY", 0.004)
    monkeypatch.setattr(_wait, "SLEEP_IDLE", 0.004 / 20)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return made_once(tmp_path_factory, "demo.sqlite3", make_demo)


def make_demo(path: Path) -> None:
    from ledger.demo import load_demo

    books = Books.open(str(path), clock=FixedClock(NOW), interface="test")
    try:
        load_demo(books, clients=12)
        with books.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        books.close()


@pytest.fixture
def demo_books(demo_template: Path, tmp_path: Path) -> Iterator[Books]:
    """The demo practice on a private copy of the database, clock fixed."""
    target = tmp_path / "books.sqlite3"
    shutil.copyfile(demo_template, target)
    books = Books.open(str(target), clock=FixedClock(NOW), interface="test")
    yield books
    books.close()


@pytest.fixture
def opened() -> list[Path]:
    """Files the app asked the system viewer to open (nothing is really opened)."""
    return []


@pytest.fixture
def make_tui(opened: list[Path], tmp_path: Path) -> Any:
    """``make_tui(books, language="nl")``: the app as the program builds it. Its log goes
    to ``tmp_path/log``; a fault in a handler, which the program would show as a
    notification, still fails the test (``fail_loudly``)."""
    from tui.app import make_app

    def build(books: Books, language: str = "nl") -> Any:
        app = make_app(books, books.clock, language)
        app.log_dir = tmp_path / "log"
        app.fail_loudly = True

        def viewer(path: Path) -> bool:
            opened.append(path)
            return True

        app.viewer_override = viewer
        return app

    return build
