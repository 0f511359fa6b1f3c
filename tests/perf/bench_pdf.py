"""Benchmark: how long one invoice PDF takes, and a batch of 1,000 (serial and all cores).

Run: ``.venv/bin/python -m tests.perf.bench_pdf [--count 1000]``. Prints ms per invoice and
writes JSON to ``tests/perf/results/bench_pdf-<date>.json``. Not collected by pytest.

The invoices are real ones from a temporary practice (one to six lines, packages, no-show
fees, credit notes, Dutch and English); the batch repeats them under new numbers, since
rendering cost depends on the content, not on how many exist.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def sample_invoices(folder: Path) -> list[Any]:
    from ledger.base.dates import FixedClock
    from ledger.billing.credits import credit_invoice
    from ledger.billing.issuing import issue_invoice
    from ledger.billing.sessions import create_invoice
    from ledger.billing.status import get_invoice
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

    books = Books.open(str(folder / "bench.sqlite3"), clock=FixedClock(datetime(2026, 11, 24, 10)))
    update_practice(books, dict(PRACTICE))
    treatment = make_treatment(books)
    plan = make_plan(books, treatment.id)
    numbers = []
    names = ["Anna de Vries", "Łukasz Wiśniewski", "Özgür Çelik", "Nguyễn Thị Minh",
             "Jansen & <Zonen>"]
    for i, name in enumerate(names):
        client = make_client(books, name, language="en" if i % 2 else "nl")
        numbers.append(sell_package(books, client.id, plan.id).invoice_number)
        for day in range(1 + i):
            record_session(books, client.id, treatment.id, date(2026, 10, 1) + timedelta(day),
                           package="none", status="no_show" if day == 3 else "given",
                           fee=2500 if day == 3 else None)
        numbers.append(issue_invoice(books, create_invoice(books, client.id).id).number)
    numbers.append(credit_invoice(books, numbers[1]).number)
    infos = [get_invoice(books, n) for n in numbers]
    books.close()
    return infos


def batch(infos: list[Any], count: int) -> list[Any]:
    return [dataclasses.replace(infos[i % len(infos)], number=f"2026-{i + 1:04d}", id=i + 1)
            for i in range(count)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="invoices in the batch")
    args = parser.parse_args(argv)

    from invoices.batch import Job, default_workers, render_jobs
    from invoices.fonts import load_count
    from invoices.invoice_pdf import render_invoice

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        infos = sample_invoices(folder)

        start = time.perf_counter()
        render_invoice(infos[0])  # cold: registers the fonts, imports ReportLab's parts
        cold_ms = (time.perf_counter() - start) * 1000
        singles = []
        for _ in range(20):
            start = time.perf_counter()
            render_invoice(infos[1])
            singles.append((time.perf_counter() - start) * 1000)

        many = batch(infos, args.count)
        start = time.perf_counter()
        sizes = [len(render_invoice(info)) for info in many]
        serial_ms = (time.perf_counter() - start) * 1000

        workers = default_workers()
        start = time.perf_counter()
        results = render_jobs([Job(info) for info in many], workers=workers)
        pool_ms = (time.perf_counter() - start) * 1000
        assert not [r for r in results if r.error], [r.error for r in results if r.error][:3]

        out = folder / "out"
        out.mkdir()
        jobs = [Job(info, None, str(out / f"{info.number}.pdf")) for info in many]
        start = time.perf_counter()
        results = render_jobs(jobs, workers=workers)
        write_ms = (time.perf_counter() - start) * 1000
        assert not [r for r in results if r.error], [r.error for r in results if r.error][:3]
        assert len(list(out.iterdir())) == args.count
        assert load_count() == 1, "fonts must be loaded once per process"

    report = {
        "benchmark": "bench_pdf",
        "when": datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "workers": workers,
        "first_invoice_ms": round(cold_ms, 1),
        "one_invoice_ms_median": round(statistics.median(singles), 2),
        "batch_count": args.count,
        "batch_serial_ms_per_invoice": round(serial_ms / args.count, 2),
        "batch_pool_ms_per_invoice": round(pool_ms / args.count, 2),
        "batch_pool_seconds": round(pool_ms / 1000, 2),
        "batch_pool_written_ms_per_invoice": round(write_ms / args.count, 2),
        "batch_pool_written_seconds": round(write_ms / 1000, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "mean_pdf_kb": round(statistics.mean(sizes) / 1024, 1),
        "font_loads_in_this_process": load_count(),
    }
    print(f"first invoice (fonts, imports): {report['first_invoice_ms']} ms")
    print(f"one invoice (median of 20):     {report['one_invoice_ms_median']} ms")
    print(f"batch of {args.count}, one process:  {report['batch_serial_ms_per_invoice']} "
          "ms per invoice")
    print(f"batch of {args.count}, {workers} workers:    {report['batch_pool_ms_per_invoice']} "
          f"ms per invoice ({report['batch_pool_seconds']} s in all)")
    print(f"  the same, each PDF written atomically (fsync): "
          f"{report['batch_pool_written_ms_per_invoice']} ms per invoice "
          f"({report['batch_pool_written_seconds']} s in all)")
    print(f"load average while measuring: {report['load_average_1min']} "
          f"on {report['cpus']} CPUs")
    print(f"mean PDF size: {report['mean_pdf_kb']} KB")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"bench_pdf-{date.today().isoformat()}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written: {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
