"""The agenda at scale (issue 16): ``python -m tests.perf --only agenda`` or
``python -m tests.perf.bench_agenda [--size N]``.

- the week view's data (``ledger.agenda.planning.agenda``, one therapist, Monday to Sunday)
  on the generated group-practice database of 1,000,000 sessions, every session given a
  start time, with this week's appointments planned through ``plan_session``: target
  under 50 ms (index ``ix_session_therapist_day``);
- booking one appointment there (``plan_session``: overlap check, place on a series,
  the calendar file written);
- writing a year's iCalendar file of a one-person practice (about 1,400 appointments,
  ``write_calendar``): target under 1 s, first (every event new) and again (no change);
- publishing one change touches one event: counted by tests/agenda/test_caldav.py against
  a real Radicale server (writes before and after a move).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from tests.perf.common import Row, large_db, median_time

NOW = datetime(2026, 11, 24, 10, 0)  # the generator's last day (a Tuesday)


def _books(path: Path) -> Any:
    from ledger.base.dates import FixedClock
    from ledger.books import Books

    return Books.open(str(path), clock=FixedClock(NOW), interface="bench")


def week_view(size: int, log: Any = print) -> list[Row]:
    from ledger.agenda.planning import agenda, plan_session

    source = large_db(size, log=log)
    with tempfile.TemporaryDirectory(dir=source.parent) as folder:
        path = Path(folder) / source.name
        shutil.copyfile(source, path)
        conn = sqlite3.connect(path)
        conn.execute("UPDATE treatment_session SET start_time = "
                     "printf('%02d:00:00.000000', 9 + id % 8)")
        conn.commit()
        conn.close()
        books = _books(path)
        monday = NOW.date() - timedelta(days=NOW.weekday())
        book_times = []
        for offset in range(1, 5):  # this week's remaining days, a few appointments each
            for hour in (9, 11, 14, 16):
                day = NOW.date() + timedelta(days=offset)
                try:
                    start = datetime.now()
                    plan_session(books, 1 + offset, 1, day, time(hour, 30), package="none",
                                 therapist_id=1)
                    book_times.append((datetime.now() - start).total_seconds())
                except Exception:  # a generated session at that hour: an overlap, skip
                    continue
        rows = agenda(books, monday, monday + timedelta(days=6), therapist_id=1)
        seconds = median_time(lambda: agenda(books, monday, monday + timedelta(days=6),
                                             therapist_id=1), runs=7)
        books.close()
    out = [Row("agenda", f"week view data, one therapist ({size:,} sessions)",
               round(seconds * 1000, 1), "ms", "< 50 ms", seconds < 0.05,
               f"{len(rows)} sessions in the week")]
    if book_times:
        book_times.sort()
        out.append(Row("agenda", f"booking one appointment ({size:,} sessions)",
                       round(book_times[len(book_times) // 2] * 1000, 1), "ms", "", None,
                       "overlap check, calendar file written; median of "
                       f"{len(book_times)}"))
    return out


def year_file(log: Any = print) -> list[Row]:
    """A solo practice's year: about 1,400 appointments, written as the calendar file."""
    from ledger.agenda.calendar import calendar_file, write_calendar
    from ledger.practice.catalogue import add_treatment
    from ledger.practice.clients import add_client
    from ledger.practice.profile import update_practice
    from ledger.store.models import TreatmentSession

    with tempfile.TemporaryDirectory() as folder:
        books = _books(Path(folder) / "solo.sqlite3")
        update_practice(books, {"name": "Praktijk Zool"})
        clients = [add_client(books, {"name": f"Cliënt {i} de Vries"}).id for i in range(150)]
        treatment = add_treatment(books, {"name": "Voetreflexmassage", "price": "65",
                                          "vat_rate": "21"}).id
        start = NOW.date() - timedelta(days=31)
        with books.db.write() as session:
            n = 0
            for day in range(365 + 31):
                on = start + timedelta(days=day)
                if on.isoweekday() > 5:
                    continue
                for hour in (9, 11, 13, 14, 16, 17):
                    n += 1
                    session.add(TreatmentSession(
                        client_id=clients[n % len(clients)], therapist_id=1,
                        treatment_id=treatment, date=on, start_time=time(hour, 0),
                        duration_min=60, price_cents=6500, vat_rate=21,
                        status="planned" if on > NOW.date() else "given",
                        created_at=NOW))
        first_start = datetime.now()
        path = write_calendar(books)
        first = (datetime.now() - first_start).total_seconds()
        again = median_time(lambda: write_calendar(books), runs=5)
        build = median_time(lambda: calendar_file(books), runs=5)
        size = path.stat().st_size
        books.close()
    log(f"  year file: {n} appointments, {size:,} bytes")
    return [
        Row("agenda", f"a year's iCalendar file, first write ({n:,} appointments)",
            round(first, 3), "s", "< 1 s", first < 1.0, "every event new (SEQUENCE rows made)"),
        Row("agenda", f"a year's iCalendar file, written again ({n:,} appointments)",
            round(again, 3), "s", "< 1 s", again < 1.0,
            f"same bytes; of which building it {build:.3f} s; {size:,} bytes"),
    ]


def run(size: int, log: Any = print) -> list[Row]:
    return week_view(size, log) + year_file(log)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.bench_agenda")
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args()
    for row in run(args.size, lambda text: print(text, file=sys.stderr)):
        print(f"{row.figure}: {row.value} {row.unit} (target {row.target or '-'}, "
              f"met {row.met}) {row.note}")


if __name__ == "__main__":
    main()
