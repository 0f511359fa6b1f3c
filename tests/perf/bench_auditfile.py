"""The audit file at scale (issue 17): ``python -m tests.perf.bench_auditfile [--size N]``.

Writes the XAF 3.2 audit file of 2025 from the generated group-practice database (1M
sessions over ten years; 2025 holds about 77,000 invoices) in a fresh process, and reports
the wall time, the peak of Python's own allocations while writing (tracemalloc) and the
process's peak resident memory (VmHWM) before and after writing: streaming means the
file's size does not show up in memory. Also the trial balance and the beancount file of
the same year. Target: the audit file in under 30 s with flat memory.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from tests.perf.common import RESULTS, large_db

YEAR = 2025
CHILD = r"""
import json, sys, time, tracemalloc
from datetime import datetime
from pathlib import Path
from ledger.base.dates import FixedClock
from ledger.books import Books

def hwm():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

what, db, year, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
books = Books.open(db, clock=FixedClock(datetime(2026, 11, 24, 10)), interface="bench")
from ledger.journals.trial_balance import trial_balance
from ledger.yearend.auditfile import write_auditfile
from ledger.yearend.plaintext import write_beancount
before = hwm()
trace = what.endswith("+trace")
if trace:
    tracemalloc.start()
start, cpu = time.perf_counter(), time.process_time()
if what.startswith("auditfile"):
    counts = write_auditfile(books, year, Path(out))
elif what.startswith("beancount"):
    counts = {"entries": write_beancount(books, year, Path(out))}
else:
    tb = trial_balance(books, year)
    counts = {"accounts": len(tb.accounts), "debit": tb.debit}
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
size = Path(out).stat().st_size / 2**20 if Path(out).exists() else None
print(json.dumps({"what": what, "seconds": seconds, "cpu_seconds": cpu, "hwm_before_mb": before,
                  "hwm_after_mb": hwm(), "traced_peak_mb": peak, "file_mb": size,
                  **counts}))
"""


def run(what: str, db: Path, out: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", CHILD, what, str(db), str(YEAR), str(out)],
                          capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args()
    db = large_db(args.size)
    out = RESULTS / "journals"
    out.mkdir(parents=True, exist_ok=True)
    rows = [run("auditfile", db, out / f"{YEAR}.xaf"),
            run("auditfile+trace", db, out / f"{YEAR}-traced.xaf"),
            run("beancount", db, out / f"{YEAR}.beancount"),
            run("trial_balance", db, out / "none")]
    for row in rows:
        print(json.dumps(row))
    seconds = float(rows[0]["seconds"])  # type: ignore[arg-type]
    cpu = float(rows[0]["cpu_seconds"])  # type: ignore[arg-type]
    print(f"audit file {YEAR}: {seconds:.1f} s ({cpu:.1f} s CPU; target < 30 s): "
          f"{'met' if seconds < 30 else 'NOT met'}")


if __name__ == "__main__":
    main()
