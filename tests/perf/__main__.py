"""All benchmarks of issue 7 in one run: ``.venv/bin/python -m tests.perf`` (or ``make perf``).

Prints one table (figure, value, target, met) and writes the rows as JSON to
``tests/perf/results/perf-<date>T<time>.json`` (git ignores that folder). The large
databases are generated on first use and kept in ``tests/perf/results/db`` (1M sessions:
about 20 s, ~670 MB). Options:

  --only documents,scale,start,bank   run some of the parts
  --bank-lines N                 entries of the bank statements (default 50,000)
  --size N                       the largest database (default 1,000,000 sessions)
  --count N / --batch N          invoices for the warm figure (200) and the batch (1000)

WeasyPrint and InvoiceGenerator are measured when installed
(``.venv/bin/pip install -e '.[perf]'``) and skipped with a line otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from tests.perf.common import RESULTS, Row, load

PARTS = ("documents", "scale", "start", "bank", "agenda")


def _versions() -> dict[str, str]:
    import sqlite3

    found = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    for name in ("reportlab", "rl_accel", "textual", "SQLAlchemy", "zxing-cpp", "weasyprint",
                 "InvoiceGenerator"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "-"
    return found


def table(rows: list[Row]) -> str:
    lines = [f"{'figure':64} {'value':>12} {'unit':11} {'target':24} met"]
    section = ""
    for row in rows:
        if row.section != section:
            section = row.section
            lines.append(f"-- {section}")
        value = "-" if row.value is None else f"{row.value:,.3f}".rstrip("0").rstrip(".")
        met = {True: "yes", False: "NO", None: ""}[row.met]
        lines.append(f"{row.figure[:64]:64} {value:>12} {row.unit[:11]:11} "
                     f"{row.target[:24]:24} {met}")
        if row.note:
            lines.append(f"{'':66}{row.note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.perf",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PARTS))
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bank-lines", type=int, default=50_000)
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    started = time.perf_counter()
    load_before = load()
    rows: list[Row] = []
    if "documents" in parts:
        log("documents: invoice PDFs, peers, batch, memory ...")
        from tests.perf import bench_documents

        rows += bench_documents.run(args.count, args.batch, log)
    if "scale" in parts:
        log("scale: year report and lists ...")
        from tests.perf import bench_scale

        sizes = [s for s in (10_000, 100_000, 1_000_000) if s <= args.size]
        rows += bench_scale.year_report(sizes, log)
        rows += bench_scale.lists(args.size, log)
    if "agenda" in parts:
        log("agenda: the week view at scale, a year's calendar file ...")
        from tests.perf import bench_agenda

        rows += bench_agenda.run(args.size, log)
    if "start" in parts:
        log("start: cold command, interface on a pseudo-terminal ...")
        from tests.perf import bench_start

        rows += bench_start.run(args.size, args.runs, log)
    if "bank" in parts:
        log("bank: a large CAMT.053 and MT940 imported with matching, and again ...")
        from tests.perf import bench_bank

        rows += bench_bank.run(args.bank_lines, log)
    report: dict[str, Any] = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "load_before": load_before, "load_after": load(),
        "versions": _versions(),
        "seconds": round(time.perf_counter() - started, 1),
        "rows": [row.as_dict() for row in rows],
    }
    print(table(rows))
    print(f"\nmachine: {report['machine']}; load {report['load_before']} before, "
          f"{report['load_after']} after; "
          + ", ".join(f"{k} {v}" for k, v in report["versions"].items()))
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"perf-{datetime.now().strftime('%Y-%m-%dT%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    log(f"written: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
