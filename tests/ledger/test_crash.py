"""Crash safety: a process is killed (SIGKILL) at random moments, a few hundred times,
while it issues invoices, sells and redeems packages, archives invoice PDFs and writes
exports. Afterwards the books must be sound:

- ``PRAGMA integrity_check`` is ok;
- every series of invoice numbers is gapless and unique, and every issued invoice is whole
  (its lines add up to its totals);
- no package is redeemed more often than it has sessions, every package sold has its
  issued invoice;
- no file exists half-written: every archived PDF matches its recorded SHA-256, every
  export parses and its manifest checks out; temporary files that a killed process left
  (never under a final name) are removed by the next start or export.

The worker is forked from the test process (everything already imported), so a trial
costs milliseconds, not an interpreter start.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import multiprocessing
import os
import random
import signal
import sqlite3
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest

from ledger.base.dates import FixedClock
from ledger.base.errors import RuleViolation
from ledger.books import Books
from tests.factories import NOW, PRACTICE, make_client, make_plan, make_treatment

pytestmark = [pytest.mark.sqlite_only, pytest.mark.slow]
TRIALS = int(os.environ.get("SOLEBOOK_CRASH_TRIALS", "200"))
CLIENTS = 6


def _worker(db: str, exports: str, seed: int) -> NoReturn:
    """Work on the books until killed."""
    from invoices.archive import ensure_pdf
    from ledger.billing.issuing import issue_invoice
    from ledger.billing.packages import list_packages, sell_package
    from ledger.billing.sessions import add_session, create_invoice
    from ledger.privacy.audit_log import export_csv
    from ledger.privacy.erasure import export_client
    from ledger.store.files import write_atomic
    from ledger.yearend.export import export_year

    rng = random.Random(seed)
    books = Books.open(db, clock=FixedClock(NOW), interface="crash")
    out = Path(exports)
    while True:
        client = rng.randint(1, CLIENTS)
        roll = rng.random()
        try:
            if roll < 0.35:
                add_session(books, client, 1, package="none")
                draft = create_invoice(books, client)
                issued = issue_invoice(books, draft.id)
                ensure_pdf(books, str(issued.number))
            elif roll < 0.5:
                sold = sell_package(books, client, rng.choice((1, 2)))
                ensure_pdf(books, str(sold.invoice_number))
            elif roll < 0.8:
                active = [p for p in list_packages(books, client) if p.status == "active"]
                package = rng.choice(active).id if active else "none"
                add_session(books, client, 1, package=package)
            elif roll < 0.88:
                export_csv(books, out / "audit.csv")
            elif roll < 0.95:
                data = json.dumps(export_client(books, client), ensure_ascii=False)
                write_atomic(out / f"client-{client}.json", data.encode("utf-8"))
            else:
                export_year(books, 2026, out)
        except RuleViolation:
            pass


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    from ledger.practice.profile import update_practice

    db = tmp_path / "data" / "solebook.sqlite3"
    db.parent.mkdir(parents=True)
    books = Books.open(str(db), clock=FixedClock(NOW), interface="test")
    update_practice(books, dict(PRACTICE))
    treatment = make_treatment(books)
    make_plan(books, treatment.id, "Hardloopreeks", sessions=5, price="300")
    make_plan(books, treatment.id, "Duokaart", sessions=2, price="125")
    for n in range(CLIENTS):
        make_client(books, f"Cliënt {n + 1}")
    books.close()
    exports = tmp_path / "exports"
    exports.mkdir(parents=True)
    return db, exports


def _warm_up(tmp_path: Path) -> None:
    """One of each action in the parent, on a scratch copy of the books, so that forked
    workers start with everything imported and configured (fonts, mappers)."""
    scratch, _exports = _setup(tmp_path / "warm-up")
    from invoices.archive import ensure_pdf
    from ledger.billing.packages import sell_package

    books = Books.open(str(scratch), clock=FixedClock(NOW))
    try:
        ensure_pdf(books, str(sell_package(books, 1, 1).invoice_number))
    finally:
        books.close()


def _leftovers(*folders: Path) -> list[Path]:
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.name.endswith((".solebook-tmp", ".tmp")):
                found.append(path)
    return found


def _check_books(db: Path) -> tuple[list[str], dict[str, int]]:
    problems: list[str] = []
    conn = sqlite3.connect(db)
    try:
        if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            problems.append("integrity_check failed")
        rows = conn.execute("SELECT series, seq, number FROM invoice WHERE number IS NOT NULL"
                            ).fetchall()
        for series in {r[0] for r in rows}:
            seqs = sorted(r[1] for r in rows if r[0] == series)
            if seqs != list(range(1, len(seqs) + 1)):
                problems.append(f"series {series}: gaps or duplicates")
            last = conn.execute("SELECT last_seq FROM invoice_sequence WHERE series = ?",
                                (series,)).fetchone()
            if last is None or last[0] != len(seqs):
                problems.append(f"series {series}: counter {last} for {len(seqs)} invoices")
        if len({r[2] for r in rows}) != len(rows):
            problems.append("duplicate invoice numbers")
        problems += [f"invoice {n}: lines do not add up" for (n,) in conn.execute(
            "SELECT i.number FROM invoice i WHERE i.number IS NOT NULL AND i.total_cents <> "
            "(SELECT coalesce(sum(l.gross_cents), -1) FROM invoice_line l "
            " WHERE l.invoice_id = i.id)")]
        problems += [f"package {p}: {u} uses of {t}" for p, u, t in conn.execute(
            "SELECT p.id, count(s.id), p.sessions_total FROM package p LEFT JOIN "
            "treatment_session s ON s.package_id = p.id GROUP BY p.id, p.sessions_total "
            "HAVING count(s.id) > p.sessions_total")]
        problems += [f"package {p}: sold without an issued invoice" for (p,) in conn.execute(
            "SELECT p.id FROM package p LEFT JOIN invoice i ON i.id = p.invoice_id "
            "WHERE i.number IS NULL")]
        counts = {
            "invoices": len(rows),
            "sessions": conn.execute("SELECT count(*) FROM treatment_session").fetchone()[0],
            "redemptions": conn.execute("SELECT count(*) FROM treatment_session "
                                        "WHERE package_id IS NOT NULL").fetchone()[0],
            "packages": conn.execute("SELECT count(*) FROM package").fetchone()[0],
            "pdfs": conn.execute("SELECT count(*) FROM document").fetchone()[0],
        }
        for path, digest in conn.execute("SELECT path, sha256 FROM document"):
            file = db.parent / path
            if not file.is_file() or hashlib.sha256(file.read_bytes()).hexdigest() != digest:
                problems.append(f"{path}: missing or not the archived bytes")
    finally:
        conn.close()
    for pdf in (db.parent / "documents").rglob("*.pdf"):
        data = pdf.read_bytes()
        if not data.startswith(b"%PDF") or b"%%EOF" not in data[-32:]:
            problems.append(f"{pdf.name}: a partial PDF")
    return problems, counts


def _check_exports(exports: Path) -> tuple[list[str], int]:
    problems: list[str] = []
    checked = 0
    audit = exports / "audit.csv"
    if audit.exists():
        data = audit.read_bytes()
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        if not data.endswith(b"\r\n") or rows[0][0] != "id" or any(len(r) != 8 for r in rows):
            problems.append("audit.csv is partial")
        checked += 1
    for client in exports.glob("client-*.json"):
        try:
            json.loads(client.read_text(encoding="utf-8"))
        except ValueError:
            problems.append(f"{client.name} is partial")
        checked += 1
    folder = exports / "solebook-2026"
    if folder.exists():
        for line in (folder / "MANIFEST.sha256").read_text().splitlines():
            digest, name = line.split("  ", 1)
            if hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest:
                problems.append(f"export file {name} does not match its manifest")
        with zipfile.ZipFile(exports / "solebook-2026.zip") as archive:
            if archive.testzip() is not None:
                problems.append("the export zip is damaged")
        checked += 1
    return problems, checked


def _enough(db: Path) -> bool:
    """Did the workers get real work done between the kills? How much a trial gets done
    depends on the machine's load, so a busy machine runs more trials (up to twice)."""
    _problems, counts = _check_books(db)
    return counts["invoices"] >= 10 and counts["redemptions"] > 0 and counts["pdfs"] > 0


def test_killing_the_program_at_random_moments_leaves_sound_books(
        tmp_path: Path, report: Callable[[str], None]) -> None:
    _warm_up(tmp_path)
    db, exports = _setup(tmp_path)
    fork = multiprocessing.get_context("fork")
    rng = random.Random(20261124)
    started = time.monotonic()
    killed_busy = 0
    trial = 0
    while trial < TRIALS or not (trial >= 2 * TRIALS or (trial % 20 == 0 and _enough(db))):
        worker = fork.Process(target=_worker, args=(str(db), str(exports), trial))
        trial += 1
        worker.start()
        time.sleep(rng.uniform(0.02, 0.3))
        if worker.is_alive():
            killed_busy += 1
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
        worker.join()
        assert worker.exitcode in (-signal.SIGKILL, 0, 1), worker.exitcode
    elapsed = time.monotonic() - started

    problems, counts = _check_books(db)
    export_problems, exports_checked = _check_exports(exports)
    problems += export_problems
    left_before = _leftovers(db.parent, exports)
    # The next start (daily backup + clean-up) and the next export clear what kills left.
    from ledger.store.backup import daily_backup
    from ledger.yearend.export import export_year

    books = Books.open(str(db), clock=FixedClock(NOW))
    try:
        from ledger.derived.sums import differences

        with books.db.engine.connect() as conn:  # the derived figures moved with the books
            problems += [f"derived figures: {d}" for d in differences(conn)]
        daily_backup(books.db, NOW.date())
        export_year(books, 2026, exports)
    finally:
        books.close()
    problems += [f"left behind: {p}" for p in _leftovers(db.parent, exports)]
    summary = (f"crash test: {trial} worker processes SIGKILLed at random moments "
               f"({killed_busy} while working) in {elapsed:.0f} s; books now hold "
               f"{counts['invoices']} invoices (gapless), {counts['sessions']} sessions, "
               f"{counts['redemptions']} package redemptions of {counts['packages']} packages, "
               f"{counts['pdfs']} archived PDFs; {exports_checked} exports checked; "
               f"{len(left_before)} temporary files left by killed processes, removed by "
               f"the next start or export; "
               f"{len(problems)} inconsistencies")
    report(summary)
    assert not problems, f"{summary}: {problems[:10]}"
    # the workers got real work done between the kills (how much depends on the machine)
    assert _enough(db), summary
