"""Benchmark: reading and matching a large bank statement, and importing it again.

Run: ``.venv/bin/python -m tests.perf.bench_bank [--lines 5000]``. Not collected by pytest.

The books are the demo practice (a year of sessions, its invoices partly open). The
statement is a CAMT.053.001.08 file: one line in ten pays an open invoice by number, one in
ten pays by amount without a number, the rest are other credits and debits.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=5000)
    args = parser.parse_args()

    from ledger.bank.booking import import_statement
    from ledger.bank.formats import read_statement
    from ledger.base.dates import FixedClock
    from ledger.billing.status import list_invoices
    from ledger.books import Books
    from ledger.demo import load_demo
    from tests.bank_samples import Tx, camt_08

    folder = Path(tempfile.mkdtemp(prefix="bench-bank-"))
    books = Books.open(str(folder / "books.sqlite3"), clock=FixedClock(datetime(2026, 11, 24, 10)),
                       interface="bench")
    load_demo(books, clients=36)
    open_ = [i for i in list_invoices(books, include_drafts=False) if i.open > 0]
    txs = []
    start = date(2026, 1, 1)
    for n in range(args.lines):
        day = start + timedelta(days=n % 320)
        if n % 10 == 0 and open_:
            inv = open_[(n // 10) % len(open_)]
            txs.append(Tx(day, Decimal(inv.open) / 100, inv.client_name, "NL1",
                          f"factuur {inv.number}", f"E{n}"))
        elif n % 10 == 1 and open_:
            inv = open_[(n // 10) % len(open_)]
            txs.append(Tx(day, Decimal(inv.open) / 100, inv.client_name.upper(), "NL2",
                          "behandeling", f"E{n}"))
        else:
            amount = Decimal((n * 37) % 20000 + 100) / 100
            txs.append(Tx(day, -amount if n % 3 else amount, f"Partij {n}", "NL3",
                          f"omschrijving {n}", f"E{n}"))
    path = folder / "camt053.xml"
    path.write_bytes(camt_08(tuple(txs)))

    def timed(work: Any) -> tuple[Any, float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        return result, 1000 * (time.perf_counter() - wall), 1000 * (time.process_time() - cpu)

    statement, w0, c0 = timed(lambda: read_statement(path.read_bytes()))
    first, w1, c1 = timed(lambda: import_statement(books, path))
    again, w2, c2 = timed(lambda: import_statement(books, path))
    print(f"{len(statement.lines)} lines, {len(open_)} open invoices, "
          f"{path.stat().st_size / 2**20:.1f} MB CAMT.053 (wall ms / cpu ms)")
    print(f"read (parse + keys):          {w0:7.0f} / {c0:7.0f}")
    print(f"import (read, match, store):  {w1:7.0f} / {c1:7.0f}  "
          f"({first.count('proposed')} proposed, {first.count('unmatched')} unmatched, "
          f"{first.count('debit')} debit)")
    print(f"import again:                 {w2:7.0f} / {c2:7.0f}  "
          f"({again.count('duplicate')} duplicates, nothing added)")
    books.close()


if __name__ == "__main__":
    main()
