"""Every folder the program makes is its owner's alone (0700), every file it writes 0600.

A working day at the command line, in-process, on books that do not exist yet in a data
folder that does not exist yet, with the usual umask 022 (which would give 0755 folders):
the books are made, the day's backup is taken, an invoice's PDF is archived, a receipt
is stored with a cost, a claim statement is made for the package, a backup is made by
hand, the year is exported into ``exports/``, and a fault is logged into ``log/``. Then
every folder and file under the data folder is walked.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ledger.billing.issuing import issue_invoice
from ledger.billing.sessions import create_invoice
from ledger.books import Books
from ledger.practice.profile import update_practice
from tests.factories import (
    PRACTICE,
    make_client,
    make_plan,
    make_treatment,
    record_session,
    sell_package,
)

YEAR = date.today().year  # the commands run on the system clock


def _cli(*args: str) -> None:
    from tui.cli.main import run

    assert run(["--lang", "en", *args]) == 0, args


def _walk(root: Path) -> Iterator[tuple[Path, int]]:
    for folder, folders, files in os.walk(root):
        for name in [*folders, *files]:
            path = Path(folder) / name
            yield path, stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.slow
@pytest.mark.usefixtures("umask_022")
def test_a_working_day_leaves_only_private_folders(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "share" / "solebook"
    db = data / "solebook.sqlite3"
    monkeypatch.setenv("SOLEBOOK_DB", str(db))
    _cli("init")
    books = Books.open(str(db))
    try:
        update_practice(books, dict(PRACTICE))
        anna, massage = make_client(books), make_treatment(books)
        plan = make_plan(books, massage.id)
        day = date(YEAR, 1, 15)
        package = sell_package(books, anna.id, plan.id, day)
        record_session(books, anna.id, massage.id, day, package="none")
        number = issue_invoice(books, create_invoice(books, anna.id, None).id, day).number
    finally:
        books.close()
    receipt = tmp_path / "bon.pdf"
    receipt.write_bytes(b"%PDF-1.4\n% a receipt\n")
    _cli("invoice", "pdf", str(number))
    _cli("cost", "add", "--date", day.isoformat(), "--supplier", "Winkel", "--category",
         "other", "--amount", "12,10", "--receipt", str(receipt))
    _cli("package", "statement", str(package.id), "-o", str(tmp_path / "claim.pdf"))
    _cli("backup")
    _cli("export", "year", str(YEAR), "--out", str(data / "exports" / str(YEAR)))
    from tui.failures import write_log

    write_log(RuntimeError("a fault nobody foresaw"), data / "log")

    found = dict(_walk(tmp_path / "share"))
    folders = {path.relative_to(data).as_posix() for path in found if path.is_dir()}
    assert {"documents", f"documents/{YEAR}", f"documents/receipts/{YEAR}", "backups",
            f"exports/{YEAR}", f"exports/{YEAR}/solebook-{YEAR}", "log"} <= folders, folders
    assert {path: oct(mode) for path, mode in found.items()
            if path.is_dir() and mode != 0o700} == {}
    assert {path: oct(mode) for path, mode in found.items()
            if path.is_file() and mode != 0o600} == {}
