"""Crash safety: a process is killed a few hundred times in the middle of what it
does: issuing invoices, selling and redeeming packages, archiving invoice PDFs and writing
exports. Afterwards the books must be sound:

- ``PRAGMA integrity_check`` is ok;
- every series of invoice numbers is gapless and unique, and every issued invoice is whole
  (its lines add up to its totals);
- no package is redeemed more often than it has sessions, every package sold has its
  issued invoice;
- no file exists half-written: every archived PDF matches its recorded SHA-256, every
  export parses and its manifest checks out; temporary files that a killed process left
  (never under a final name) are removed by the next start or export.

The kill moments are spread on purpose, not at random: each worker starts one action
(``KINDS``, in the proportions of ``SHARE``) and is killed (``_worker`` says how) a chosen
fraction of the way through it, the fractions of one kind spread evenly over the whole
action (and a little past its end) by a low-discrepancy sequence. How long an action takes
in a worker is measured as the test goes (once to begin with, then the middle of its last
five runs that were done before their kill). The test checks that it reached what it aims
at: every kind was killed inside its action in every fifth of the action's time, else it
goes on (up to twice ``TRIALS``) and then fails.

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
from typing import Any, NoReturn

import pytest

from ledger.base.dates import FixedClock
from ledger.base.errors import RuleViolation
from ledger.books import Books
from tests.factories import NOW, PRACTICE, make_client, make_plan, make_treatment

pytestmark = [pytest.mark.sqlite_only, pytest.mark.slow]
TRIALS = int(os.environ.get("SOLEBOOK_CRASH_TRIALS", "200"))
CLIENTS = 6


#: The actions a worker is killed in, and how many of the kills each gets: the longer and
#: the more steps (transactions, files) an action has, the more.
SHARE = {"issue": 0.3, "year": 0.25, "sell": 0.2, "redeem": 0.1, "audit": 0.075,
         "client": 0.075}
KINDS = tuple(SHARE)
FIFTHS = 5  # every kind is killed inside its action in each fifth of the action's time
GOLDEN = (5 ** 0.5 - 1) / 2


def _act(books: Books, kind: str, client: int, rng: random.Random, out: Path) -> None:
    """One action of the program, as a user (or the program) would do it."""
    from invoices.archive import ensure_pdf
    from ledger.billing.issuing import issue_invoice
    from ledger.billing.packages import list_packages, sell_package
    from ledger.billing.sessions import add_session, create_invoice
    from ledger.privacy.audit_log import export_csv
    from ledger.privacy.erasure import export_client
    from ledger.store.files import write_atomic
    from ledger.yearend.export import export_year

    try:
        if kind == "issue":
            add_session(books, client, 1, package="none")
            draft = create_invoice(books, client)
            issued = issue_invoice(books, draft.id)
            ensure_pdf(books, str(issued.number))
        elif kind == "sell":
            sold = sell_package(books, client, rng.choice((1, 2)))
            ensure_pdf(books, str(sold.invoice_number))
        elif kind == "redeem":
            active = [p for p in list_packages(books, client) if p.status == "active"]
            add_session(books, client, 1, package=rng.choice(active).id if active else "none")
        elif kind == "audit":
            export_csv(books, out / "audit.csv")
        elif kind == "client":
            data = json.dumps(export_client(books, client), ensure_ascii=False)
            write_atomic(out / f"client-{client}.json", data.encode("utf-8"))
        else:
            export_year(books, 2026, out)
    except RuleViolation:
        pass


def _worker(db: str, exports: str, seed: int, kind: str, after: float | None,
            marks: Any) -> NoReturn:
    """Start ``kind`` (its start and end in ``marks``) and be killed ``after`` seconds into
    it (on the way to doing more at random if it was done by then); with ``after`` None,
    do it and stop (to see how long it takes).

    The kill is the kernel's: a timer's SIGALRM with its default action, which ends the
    process on the spot as SIGKILL does (no Python code runs, nothing is cleaned up or
    flushed), to the microsecond where a kill from the parent would come a millisecond or
    so late; the parent checks that the process ended by that signal."""
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    rng = random.Random(seed)
    books = Books.open(db, clock=FixedClock(NOW), interface="crash")
    out = Path(exports)
    marks[0] = time.monotonic()
    if after is not None:
        signal.setitimer(signal.ITIMER_REAL, max(after, 1e-6))
    _act(books, kind, rng.randint(1, CLIENTS), rng, out)
    marks[1] = time.monotonic()
    if after is None:
        os._exit(0)
    while True:
        _act(books, rng.choice(KINDS), rng.randint(1, CLIENTS), rng, out)


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    """The books the workers work on: six clients, each with a package of five sessions to
    redeem (the workers sell more)."""
    from ledger.billing.packages import sell_package
    from ledger.practice.profile import update_practice

    db = tmp_path / "data" / "solebook.sqlite3"
    db.parent.mkdir(parents=True)
    books = Books.open(str(db), clock=FixedClock(NOW), interface="test")
    update_practice(books, dict(PRACTICE))
    treatment = make_treatment(books)
    make_plan(books, treatment.id, "Hardloopreeks", sessions=5, price="300")
    make_plan(books, treatment.id, "Duokaart", sessions=2, price="125")
    for n in range(CLIENTS):
        sell_package(books, make_client(books, f"Cliënt {n + 1}").id, 1)
    books.close()
    exports = tmp_path / "exports"
    exports.mkdir(parents=True)
    return db, exports


def _warm_up(tmp_path: Path) -> None:
    """Each action once in the parent, on a scratch copy of the books, so that forked
    workers start with everything imported and configured (fonts, mappers)."""
    scratch, exports = _setup(tmp_path / "warm-up")
    books = Books.open(str(scratch), clock=FixedClock(NOW))
    try:
        for kind in KINDS:
            _act(books, kind, 1, random.Random(0), exports)
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


def _enough(db: Path, before: dict[str, int]) -> bool:
    """Did the workers get real work done between the kills (``before``: the counts of the
    books they started on)?"""
    _problems, counts = _check_books(db)
    return (counts["invoices"] >= before["invoices"] + 10
            and counts["redemptions"] > before["redemptions"]
            and counts["pdfs"] > before["pdfs"])


def _missed(inside: dict[str, list[float]], took: dict[str, list[float]]) -> list[str]:
    """The fifths of each action's time (the middle of the times it took when it was not
    killed) that no kill landed in."""
    missed = []
    for kind in KINDS:
        typical = sorted(took[kind])[len(took[kind]) // 2]
        hit = {min(int(FIFTHS * at / typical), FIFTHS - 1) for at in inside[kind]}
        missed += [f"{kind} {n + 1}/{FIFTHS}" for n in range(FIFTHS) if n not in hit]
    return missed


def test_killing_the_program_in_the_middle_of_what_it_does_leaves_sound_books(
        tmp_path: Path, report: Callable[[str], None]) -> None:
    _warm_up(tmp_path)
    db, exports = _setup(tmp_path)
    before = _check_books(db)[1]
    fork = multiprocessing.get_context("fork")
    marks = fork.RawArray("d", 2)

    def work(seed: int, kind: str, after: float | None) -> float | None:
        """A worker's run: how long ``kind`` took, or None if it was killed in it."""
        marks[0] = marks[1] = 0.0
        worker = fork.Process(target=_worker,
                              args=(str(db), str(exports), seed, kind, after, marks))
        worker.start()
        worker.join(60)
        if worker.exitcode is None:
            assert worker.pid is not None
            os.kill(worker.pid, signal.SIGKILL)
            worker.join()
        assert worker.exitcode == (0 if after is None else -signal.SIGALRM), (
            kind, worker.exitcode)
        assert marks[0], "the worker did not start"
        return marks[1] - marks[0] if marks[1] else None

    # how long each takes in a worker: seen once to begin with, then each time a worker
    # was done with it before its kill
    took = {kind: [work(-1, kind, None) or 0.0] for kind in KINDS}
    span = {kind: took[kind][0] for kind in KINDS}  # the middle of the last five
    plan = [kind for kind in KINDS for _ in range(round(SHARE[kind] * TRIALS))]
    inside: dict[str, list[float]] = {kind: [] for kind in KINDS}
    started = time.monotonic()
    trial = 0
    while trial < TRIALS or not (trial >= 2 * TRIALS
                                 or (trial % 20 == 0 and not _missed(inside, took)
                                     and _enough(db, before))):
        kind = plan[trial % len(plan)]
        # the n-th kill of this kind: a fraction of the way through the action, evenly
        # spread (golden-ratio sequence), up to a tenth past its recent middle time (or
        # further when a kill there found it still working)
        nth = plan[:trial % len(plan)].count(kind) + trial // len(plan) * plan.count(kind)
        after = (nth * GOLDEN) % 1 * 1.1 * span[kind]
        done = work(trial, kind, after)
        trial += 1
        if done is not None:
            took[kind].append(done)
            span[kind] = sorted(took[kind][-5:])[len(took[kind][-5:]) // 2]
        else:  # killed before the action was done
            inside[kind].append(after)
            if after >= span[kind]:  # it takes longer than it did: aim further
                span[kind] = 1.5 * after
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
    missed = _missed(inside, took)
    problems += [f"no kill in the {where} of its time" for where in missed]
    killed_inside = ", ".join(f"{len(inside[k])} {k}" for k in KINDS)
    reached = "every fifth of each action's time hit" if not missed else "fifths missed"
    summary = (f"crash test: {trial} worker processes killed in the middle of an action "
               f"({killed_inside}; {reached}) in {elapsed:.0f} s; "
               f"books now hold "
               f"{counts['invoices']} invoices (gapless), {counts['sessions']} sessions, "
               f"{counts['redemptions']} package redemptions of {counts['packages']} packages, "
               f"{counts['pdfs']} archived PDFs; {exports_checked} exports checked; "
               f"{len(left_before)} temporary files left by killed processes, removed by "
               f"the next start or export; "
               f"{len(problems)} inconsistencies")
    report(summary)
    assert not problems, f"{summary}: {problems[:10]}"
    # the workers got real work done between the kills (how much depends on the machine)
    assert _enough(db, before), summary
