"""`solebook invoice pdf NUMBER` of an archived invoice: read straight from an up-to-date
SQLite file (ledger.store.fastread), or through the books; the same file and output either way,
and a changed archive file is never handed out. On SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from invoices.archive import archive_pending, render_document
from ledger.base.errors import StorageError
from ledger.books import Books
from ledger.store import fastread
from ledger.store.db import open_database
from tests.factories import ENGLISH, make_client, make_plan, make_treatment, sell_package


@pytest.fixture
def archived(practice: Books) -> dict[str, Any]:
    """Two packages sold (invoices 2026-0001 and -0002), their PDFs archived."""
    client = make_client(practice)
    plan = make_plan(practice, make_treatment(practice).id)
    numbers = [sell_package(practice, client.id, plan.id).invoice_number for _ in range(2)]
    archive_pending(practice)
    return {"books": practice, "numbers": numbers,
            "files": [practice.db.data_dir / f"documents/2026/factuur-{n}.pdf" for n in numbers]}


def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str,
        *args: str) -> tuple[int, str, str]:
    """The command line, in this process, on database ``db``."""
    from tui.cli.main import main

    monkeypatch.setenv("SOLEBOOK_DB", db)
    with pytest.raises(SystemExit) as exit_:
        main([*ENGLISH, *args])
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, err


def ways_in(books: Books) -> list[str]:
    """How a person names the database: a file (read directly) or a URL (the books)."""
    if books.db.path is None:
        return [books.db.url]
    return [str(books.db.path), f"sqlite:///{books.db.path}"]


def test_only_an_up_to_date_sqlite_file_is_read_directly(archived: dict[str, Any]) -> None:
    books = archived["books"]
    if books.db.path is None:  # PostgreSQL: always through the books
        assert fastread.current_sqlite_file(books.db.url) is None
        return
    path = books.db.path
    assert fastread.current_sqlite_file(str(path)) == path
    assert fastread.current_sqlite_file(f"sqlite:///{path}") is None
    assert fastread.current_sqlite_file(str(path.with_name("missing.sqlite3"))) is None
    found = fastread.archived_pdf(path, f" {archived['numbers'][1]} ")
    assert found is not None and found.number == archived["numbers"][1]
    assert found.path == archived["files"][1]
    assert found.data == archived["files"][1].read_bytes()
    assert fastread.archived_pdf(path, "2026-0099") is None


@pytest.mark.sqlite_only
def test_an_older_schema_or_a_changed_file_is_left_to_the_books(
        archived: dict[str, Any], tmp_path: Path) -> None:
    books = archived["books"]
    assert books.db.path is not None
    older = tmp_path / "older.sqlite3"
    books.close()  # the last connection folds the write-ahead log into the file
    shutil.copyfile(books.db.path, older)
    with sqlite3.connect(older) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert fastread.current_sqlite_file(str(older)) is None  # migrations to run
    rollback = tmp_path / "rollback.sqlite3"
    shutil.copyfile(books.db.path, rollback)
    with sqlite3.connect(rollback) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    assert fastread.current_sqlite_file(str(rollback)) is None  # opening converts it to WAL

    first = archived["files"][0]
    first.write_bytes(first.read_bytes() + b"%")
    assert fastread.archived_pdf(books.db.path, archived["numbers"][0]) is None
    first.unlink()
    assert fastread.archived_pdf(books.db.path, archived["numbers"][0]) is None


@pytest.mark.sqlite_only
def test_a_damaged_file_is_refused_with_the_message_opening_gives(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database at all, just some text" * 10)
    with pytest.raises(StorageError) as direct:
        fastread.current_sqlite_file(str(damaged))
    with pytest.raises(StorageError) as opening:
        open_database(str(damaged))
    assert direct.value.message == opening.value.message


def test_invoice_pdf_writes_the_archived_bytes_whichever_way_it_reads(
        archived: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    books, number, archive = archived["books"], archived["numbers"][0], archived["files"][0]
    fresh = render_document(books, number)
    assert archive.read_bytes() == fresh
    outputs = []
    for i, db in enumerate(ways_in(books)):
        out = tmp_path / f"factuur-{i}.pdf"
        code, stdout, stderr = cli(monkeypatch, capsys, db, "invoice", "pdf", number,
                                   "-o", str(out), "--json")
        assert (code, stderr) == (0, ""), stderr
        assert out.read_bytes() == fresh
        outputs.append(stdout.replace(str(out), "OUT"))
        code, stdout, _ = cli(monkeypatch, capsys, db, "invoice", "pdf", number)
        assert code == 0 and stdout == f"{number}: {archive}\n"
    assert len(set(outputs)) == 1, outputs  # the same JSON either way
    assert f'"archived": "{archive}"' in outputs[0]


def test_a_changed_archive_file_is_refused_then_restored_once_removed(
        archived: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    books, number, archive = archived["books"], archived["numbers"][0], archived["files"][0]
    original = archive.read_bytes()
    data = original.replace(b"300,00", b"200,00") if b"300,00" in original else original + b"%"
    archive.write_bytes(data)
    for db in ways_in(books):
        out = tmp_path / "factuur.pdf"
        code, stdout, stderr = cli(monkeypatch, capsys, db, "invoice", "pdf", number,
                                   "-o", str(out))
        assert code == 1 and stdout == ""
        assert stderr == (f"solebook: archive: documents/2026/factuur-{number}.pdf was changed "
                          "after "
                          "it was archived (its SHA-256 differs); see `solebook invoice "
                          "verify`\n")
        assert not out.exists()
        assert archive.read_bytes() == data  # left as found, for whoever looks into it
    code, stdout, _ = cli(monkeypatch, capsys, ways_in(books)[0], "invoice", "verify")
    assert code == 1 and f"changed    documents/2026/factuur-{number}.pdf was changed" in stdout
    archive.unlink()
    code, _, stderr = cli(monkeypatch, capsys, ways_in(books)[0], "invoice", "pdf", number)
    assert (code, stderr) == (0, "")
    assert archive.read_bytes() == original
