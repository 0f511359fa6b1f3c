"""Where the books live and how the file is opened."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from ledger.base.errors import StorageError
from ledger.books import Books
from ledger.store.db import default_db_path, open_database, resolve_url
from ledger.store.migrate import (
    MIGRATIONS,
    alembic_config,
    current_revision,
    head_revision,
    known_revisions,
)

pytestmark = pytest.mark.sqlite_only


def test_default_location_is_the_user_data_folder(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_db_path() == tmp_path / "data" / "solebook" / "solebook.sqlite3"
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'data' / 'solebook' / 'solebook.sqlite3'}"
    monkeypatch.setenv("SOLEBOOK_DB", str(tmp_path / "elsewhere.db"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'elsewhere.db'}"
    assert resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_new_database_is_private_wal_with_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "books.sqlite3"
    books = Books.open(str(path))
    try:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        with books.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert current_revision(books.db) == head_revision()
        with pytest.raises(Exception, match="FOREIGN KEY"), books.db.engine.begin() as conn:
            conn.execute(text("INSERT INTO health_note (client_id, text, created_at)"
                              " VALUES (99, 'x', '2026-01-01')"))
    finally:
        books.close()


def test_revision_files_follow_the_naming_convention() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_current_head() == head_revision()
    assert sorted(rev.revision for rev in script.walk_revisions()) == known_revisions()
    assert all((MIGRATIONS / "versions").glob(f"{rev}_*.py") for rev in known_revisions())


def test_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("boodschappen: olie, handdoeken\n")
    with pytest.raises(StorageError, match="not a solebook database"):
        open_database(str(path))
    assert path.read_text() == "boodschappen: olie, handdoeken\n"


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER)")
    with pytest.raises(StorageError, match="not a solebook database"):
        open_database(str(path))
