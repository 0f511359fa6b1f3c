"""Benchmark: importing a large bank statement with matching, and importing it again.

Run: ``.venv/bin/python -m tests.perf.bench_bank [--lines 50000] [--formats camt053,mt940]``
or as part of ``python -m tests.perf --only bank``. Not collected by pytest.

The books are the demo practice (36 clients, a year of sessions, its invoices partly
open). The statements are a CAMT.053.001.08 file and an ABN AMRO MT940 file of the same
``--lines`` entries: one line in ten pays an open invoice by number, one in ten pays by
amount without a number, the rest are other credits and debits. Every import runs in a
fresh process, so its peak memory (the process's maximum resident set, Python and the
libraries included) is its own. Targets (issue 15): 50,000 entries imported with matching
in at most 5 s and 120 MB, re-imported in at most 3 s.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.perf.common import Row

CLOCK = datetime(2026, 11, 24, 10)
TARGETS = {"import": (5.0, 120.0), "again": (3.0, 120.0)}


def _transactions(books: Any, count: int) -> tuple[Any, ...]:
    from ledger.billing.status import list_invoices
    from tests.bank_samples import Tx

    open_ = [i for i in list_invoices(books, include_drafts=False) if i.open > 0]
    txs = []
    start = date(2026, 1, 1)
    for n in range(count):
        day = start + timedelta(days=n % 320)
        iban = f"NL{n % 90 + 10:02d}INGB{n:010d}"
        if n % 10 == 0 and open_:
            inv = open_[(n // 10) % len(open_)]
            txs.append(Tx(day, Decimal(inv.open) / 100, inv.client_name, iban,
                          f"factuur {inv.number}", f"E{n}"))
        elif n % 10 == 1 and open_:
            inv = open_[(n // 10) % len(open_)]
            txs.append(Tx(day, Decimal(inv.open) / 100, inv.client_name.upper(), iban,
                          "behandeling", f"E{n}"))
        else:
            amount = Decimal((n * 37) % 20000 + 100) / 100
            txs.append(Tx(day, -amount if n % 3 else amount, f"Partij {n}", iban,
                          f"omschrijving {n}", f"E{n}"))
    return tuple(sorted(txs, key=lambda tx: tx.day))


def prepare(folder: Path, lines: int, log: Callable[[str], None]) -> dict[str, Path]:
    """The demo books and one statement file per format, in ``folder``."""
    from ledger.base.dates import FixedClock
    from ledger.books import Books
    from ledger.demo import load_demo
    from tests.bank_samples import camt_08
    from tests.bank_samples_more import mt940_abnamro

    log(f"  bank: demo books and two statements of {lines:,} entries ...")
    db = folder / "books.sqlite3"
    books = Books.open(str(db), clock=FixedClock(CLOCK), interface="bench")
    load_demo(books, clients=36)
    txs = _transactions(books, lines)
    books.close()
    files = {"db": db, "camt053": folder / "camt053.xml", "mt940": folder / "statement.sta"}
    files["camt053"].write_bytes(camt_08(txs))
    files["mt940"].write_bytes(mt940_abnamro(txs))
    return files


def child(db: str, path: str) -> None:
    """One import in this process: prints wall and CPU seconds and the peak memory."""
    wall, cpu = time.perf_counter(), time.process_time()
    from ledger.bank.importing import import_statement
    from ledger.base.dates import FixedClock
    from ledger.books import Books

    books = Books.open(db, clock=FixedClock(CLOCK), interface="bench")
    result = import_statement(books, path)
    books.close()
    print(json.dumps({
        "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
        "peak_mb": _peak_mb(),
        "lines": len(result.lines), "duplicates": result.count("duplicate"),
        "proposed": result.count("proposed"), "unmatched": result.count("unmatched")}))


def _peak_mb() -> float:
    """This process's peak resident memory. ``ru_maxrss`` would do, but Linux carries it
    over ``exec`` from the parent, which made the statements; ``VmHWM`` starts afresh."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(db: Path, path: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "tests.perf.bench_bank", "--child", str(db),
                           str(path)], capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run(lines: int, log: Callable[[str], None], formats: tuple[str, ...] = ("camt053", "mt940")
        ) -> list[Row]:
    folder = Path(tempfile.mkdtemp(prefix="bench-bank-"))
    try:
        files = prepare(folder, lines, log)
        rows = []
        for fmt in formats:
            db = folder / f"{fmt}.sqlite3"
            shutil.copyfile(files["db"], db)
            size = files[fmt].stat().st_size / 2**20
            for phase in ("import", "again"):
                log(f"  bank: {fmt} {phase} ...")
                got = _measure(db, files[fmt])
                seconds, megabytes = TARGETS[phase]
                what = ("import with matching" if phase == "import" else
                        "import again (adds nothing)")
                section = "bank"
                note = (f"{got['lines']:,} lines, {size:.1f} MB; {got['proposed']:,} proposed, "
                        f"{got['unmatched']:,} unmatched, {got['duplicates']:,} duplicates; "
                        f"cpu {got['cpu']:.1f} s")
                rows.append(Row(section, f"{fmt} {lines:,} entries: {what}", got["wall"], "s",
                                f"<= {seconds:g} s", got["wall"] <= seconds, note))
                rows.append(Row(section, f"{fmt} {lines:,} entries: {what}, peak memory",
                                got["peak_mb"], "MB", f"<= {megabytes:g} MB",
                                got["peak_mb"] <= megabytes))
        return rows
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--formats", default="camt053,mt940")
    parser.add_argument("--child", nargs=2, metavar=("DB", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    rows = run(args.lines, lambda text: print(text, file=sys.stderr, flush=True),
               tuple(f for f in args.formats.split(",") if f))
    for row in rows:
        met = {True: "yes", False: "NO", None: ""}[row.met]
        print(f"{row.figure:64} {row.value:9.2f} {row.unit:3} {row.target:10} {met}")
        if row.note:
            print(f"{'':66}{row.note}")


if __name__ == "__main__":
    main()
