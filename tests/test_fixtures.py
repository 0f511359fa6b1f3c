"""The test suite's shortcuts are honest: a copied template is what migrating gives."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from tests.conftest import copy_database, migrated_sqlite


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        lines = list(conn.iterdump())
    conn.close()
    return lines


def test_a_copy_of_the_template_is_a_freshly_migrated_database(
        sqlite_template: Path, tmp_path: Path) -> None:
    fresh = migrated_sqlite(tmp_path / "fresh.sqlite3")
    copy = copy_database(sqlite_template, tmp_path / "copy.sqlite3")
    dump = _dump(copy)
    assert any(line.startswith('CREATE TABLE "invoice"') or
               line.startswith("CREATE TABLE invoice") for line in dump)
    assert dump == _dump(fresh)  # every table, index, trigger and seeded row
    assert stat.S_IMODE(copy.stat().st_mode) == stat.S_IMODE(fresh.stat().st_mode) == 0o600
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()
