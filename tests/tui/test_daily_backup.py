"""The interface's start makes the day's backup (like the command line), once a day."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from ledger.base.dates import FixedClock
from ledger.books import Books
from tests.factories import NOW, make_client
from tests.tui.pilot import drive


def test_the_first_start_of_the_day_makes_a_backup(tmp_path: Path) -> None:
    from tui.app import make_app

    db = tmp_path / "solebook.sqlite3"
    books = Books.open(str(db))
    make_client(books, "Anna")
    books.close()

    async def scenario(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()

    app = make_app(str(db), clock=FixedClock(NOW))
    drive(app, scenario)
    if app.books is not None:
        app.books.close()
    copy = tmp_path / "backups" / "daily-2026-11-24.sqlite3"
    assert copy.is_file() and stat.S_IMODE(copy.stat().st_mode) == 0o600
    made = copy.stat().st_mtime_ns
    app = make_app(str(db), clock=FixedClock(NOW))
    drive(app, scenario)  # the second start that day only looks
    if app.books is not None:
        app.books.close()
    assert copy.stat().st_mtime_ns == made
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [copy.name]
