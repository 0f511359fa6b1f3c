"""Start-up of the terminal interface on the demo practice, measured on a real terminal.

``python -m tests.perf.bench_startup [--db DEMO.sqlite3] [--runs 5]`` starts ``solebook``
on a pseudo-terminal of 120x35, reads what it draws, and times from process start to

- ``first paint``: the first screen, the overview, is on the terminal (its navigation
  line "1 Overzicht"; the books are still being opened behind it),
- ``overview data``: its figures are in ("Vandaag is het ..."), read in a worker,

then quits with ctrl+q. Without ``--db`` the demo practice is made first (``solebook
demo``, about ten seconds). Prints milliseconds and writes JSON to tests/perf/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

MARKS = {"first paint": b"1 Overzicht", "overview data": b"Vandaag"}
RESULTS = Path(__file__).parent / "results"
SOLEBOOK = Path(sys.executable).with_name("solebook")


def one_run(db: Path, timeout: float = 20.0) -> dict[str, float]:
    """One start on a pseudo-terminal (the same measurement as ``python -m tests.perf``)."""
    from tests.perf.common import run_on_pty

    env = {**os.environ, "SOLEBOOK_DB": str(db)}
    seen = run_on_pty([str(SOLEBOOK), "--lang", "nl"], MARKS, env, timeout=timeout)
    missing = set(MARKS) - set(seen)
    if missing:
        raise SystemExit(f"not seen within {timeout} s: {', '.join(sorted(missing))}")
    return {name: seen[name] for name in MARKS}


def make_demo(folder: Path) -> Path:
    db = folder / "demo.sqlite3"
    subprocess.run([str(SOLEBOOK), "--db", str(db), "demo"], check=True,
                   stdout=subprocess.DEVNULL)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a demo database (default: make one)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or make_demo(Path(tmp))
        one_run(db)  # warm the file cache and the byte-code
        runs = [one_run(db) for _ in range(args.runs)]
    figures = {name: round(statistics.median(r[name] for r in runs), 1) for name in MARKS}
    for name, ms in figures.items():
        print(f"{name:14} {ms:8.1f} ms (median of {args.runs})")
    print("load average while measuring: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "startup.json"
    out.write_text(json.dumps({
        "benchmark": "tui start-up, 120x35 pseudo-terminal, demo practice",
        "median_ms": figures, "runs_ms": runs, "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "python": platform.python_version(), "machine": platform.machine(),
    }, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
