"""The command line tells the truth about what it saved, and reads books it cannot change.

Each command runs as its own process, as a person or a script runs it, on the system
clock: Anna de Vries has one open invoice of € 65, issued 20 days ago.

- An output that cannot hold the text (``PYTHONIOENCODING=ascii``) gets it escaped; the
  command does its work and exits 0 (JSON stays JSON, with ``\\u`` escapes).
- An output that cannot be written at all (stdout closed, a pipe whose reader is gone, a
  full disk) after the change was saved: exit 3 and one line on stderr saying the change
  WAS saved, never "nothing was changed"; the change is in the books exactly once.
- Books on read-only storage, tested as the operating system reports it to a user without
  root's privileges (``setpriv`` drops every capability, so root obeys file permissions as
  anyone else): reading commands work, changing ones are refused saying why, nothing is
  written next to the database; a backup to a writable place can still be made.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ledger.billing.issuing import issue_invoice
from ledger.billing.sessions import create_invoice
from ledger.books import Books
from ledger.practice.profile import update_practice
from ledger.store.models import Client, Payment
from tests.bank_samples import Tx, camt_02
from tests.factories import ENGLISH, PRACTICE, cli_env, make_client, make_treatment, record_session

pytestmark = pytest.mark.sqlite_only
TODAY = date.today()
SAVED = "the change WAS saved, but then its output could not be written"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import migrated_sqlite

    path = migrated_sqlite(tmp_path_factory.mktemp("safety") / "books.sqlite3")
    books = Books.open(str(path))
    try:
        update_practice(books, dict(PRACTICE))
        anna, massage = make_client(books), make_treatment(books)
        issued = TODAY - timedelta(days=20)
        record_session(books, anna.id, massage.id, issued, package="none")
        number = issue_invoice(books, create_invoice(books, anna.id, None).id, issued).number
        assert number is not None
        with books.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        books.close()
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    target = folder / "books.sqlite3"
    shutil.copyfile(template, target)
    target.chmod(0o600)
    return target


def _number() -> str:
    return f"{(TODAY - timedelta(days=20)).year}-0001"


def _statement(tmp_path: Path) -> Path:
    path = tmp_path / "week.xml"
    path.write_bytes(camt_02((Tx(TODAY - timedelta(days=2), Decimal("65.00"), "A. de Vries",
                                 "NL20INGB0001234567", f"Factuur {_number()}", "E2E-1"),)))
    return path


def _count(db: Path, model: Any) -> int:
    books = Books.open(str(db))
    try:
        with books.db.read() as session:
            return int(session.scalar(select(func.count()).select_from(model)))
    finally:
        books.close()


def _run(db: Path, *args: str, env: dict[str, str] | None = None, stdout: Any = None,
         shell_close: bool = False, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[
        str]:
    command = [*prefix, sys.executable, "-m", "tui.cli.main", *ENGLISH, *args]
    if shell_close:  # started with its stdout closed, as `solebook ... >&-` does
        command = ["sh", "-c", 'exec "$@" >&-', "sh", *command]
    return subprocess.run(command, env={**cli_env(str(db)), **(env or {})}, text=True,
                          stdout=subprocess.PIPE if stdout is None else stdout,
                          stderr=subprocess.PIPE, timeout=60, check=False)


# ----------------------------------------------------------------- an ASCII terminal
@pytest.mark.slow
def test_what_the_output_cannot_encode_is_escaped_not_fatal(db: Path, tmp_path: Path) -> None:
    ascii_only = {"PYTHONIOENCODING": "ascii"}
    added = _run(db, "client", "add", "--name", "Łukasz Test", env=ascii_only)
    assert (added.returncode, added.stderr) == (0, "")
    assert "\\u0141ukasz Test" in added.stdout
    listed = _run(db, "client", "list", "--json", env=ascii_only)
    assert listed.returncode == 0 and listed.stdout.isascii()
    assert "Łukasz Test" in [c["name"] for c in json.loads(listed.stdout)]
    imported = _run(db, "--lang", "nl", "bank", "import", str(_statement(tmp_path)), "--yes",
                    env=ascii_only)
    assert (imported.returncode, imported.stderr) == (0, ""), imported.stderr
    assert (_count(db, Client), _count(db, Payment)) == (2, 1)


# ----------------------------------------------------------------- an output that fails
@pytest.mark.slow
def test_a_change_whose_output_fails_says_it_was_saved(db: Path, tmp_path: Path) -> None:
    closed = _run(db, "client", "add", "--name", "Łukasz Test", shell_close=True)
    assert closed.returncode == 3
    assert closed.stderr.splitlines() == [
        f"solebook: {SAVED} (standard output is closed). Do not run the command again: "
        "look in the books first."]
    assert _count(db, Client) == 2

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written (`| true`)
    try:
        piped = _run(db, "invoice", "pay", _number(), "--amount", "10",
                     stdout=write_end)
    finally:
        os.close(write_end)
    assert piped.returncode == 3 and f"{SAVED} (the program reading it stopped)" in piped.stderr
    with open("/dev/full", "w") as full:
        imported = _run(db, "bank", "import", str(_statement(tmp_path)), "--yes", stdout=full)
    assert imported.returncode == 3 and f"{SAVED} (the disk is full)" in imported.stderr
    for result in (closed, piped, imported):
        assert "nothing was changed" not in result.stderr and "Traceback" not in result.stderr
    assert _count(db, Payment) == 1  # the payment of € 10; the bank line found € 55 open


@pytest.mark.slow
def test_nothing_saved_nothing_claimed(db: Path) -> None:
    listed = _run(db, "--lang", "nl", "client", "list", shell_close=True)
    assert listed.returncode == 1
    assert listed.stderr.splitlines() == [
        "solebook: de uitvoer kon niet worden geschreven (de standaarduitvoer is gesloten)"]
    refused = _run(db, "invoice", "pay", _number(), "--amount", "10", "--date", "01-01-2001",
                   shell_close=True)
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"solebook: date: the payment date 1 januari 2001 is before the invoice date "
        f"{_dutch(TODAY - timedelta(days=20))} of {_number()}"]
    assert _count(db, Payment) == 0


def _dutch(day: date) -> str:
    from ledger.base.dates import format_date

    return format_date(day)


# ----------------------------------------------------------------- read-only storage
def _unprivileged() -> tuple[str, ...]:
    """Run as root without any capability: file permissions then hold for root too."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0:
        return ()
    if setpriv is None:
        pytest.skip("setpriv is not installed: cannot drop root's privileges")
    return (setpriv, "--inh-caps=-all", "--bounding-set=-all")


@pytest.mark.slow
def test_books_on_read_only_storage_are_read_not_changed(db: Path, tmp_path: Path) -> None:
    prefix = _unprivileged()
    folder = db.parent
    db.chmod(0o400)
    folder.chmod(0o500)
    try:
        before = db.read_bytes()
        listed = _run(db, "invoice", "list", "--json", prefix=prefix)
        assert listed.returncode == 0, listed.stderr
        assert [i["number"] for i in json.loads(listed.stdout)] == [_number()]
        assert listed.stderr.splitlines() == [
            f"solebook: note: the books are on read-only storage (the file {db} cannot be "
            "written): they can be read, not changed; no daily backup is made"]
        report = _run(db, "--lang", "nl", "report", "year", str(TODAY.year), prefix=prefix)
        assert report.returncode == 0 and "€ 65,00" in report.stdout, report.stderr
        added = _run(db, "client", "add", "--name", "Bram Bakker", prefix=prefix)
        assert added.returncode == 1
        assert added.stderr.splitlines()[-1] == (
            f"solebook: database: the books are on read-only storage (the file {db} cannot be "
            "written); they can be read but not changed, and nothing was changed")
        copied = _run(db, "backup", str(tmp_path / "copy.sqlite3"), prefix=prefix)
        assert copied.returncode == 0 and (tmp_path / "copy.sqlite3").is_file(), copied.stderr
        assert db.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["books.sqlite3"]
    finally:
        folder.chmod(0o700)
        db.chmod(0o600)
