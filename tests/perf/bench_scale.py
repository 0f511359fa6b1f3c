"""The books at scale: the year report and the lists on generated group-practice databases.

Measured through the same service calls the screens and commands make (no terminal):

- year report: ``ledger.yearend.figures.year_end`` for 2025 (every figure of the year-end issue,
  including the per-invoice debtor list at 31 December), on 10k, 100k and 1M sessions;
  and the same year with the same volume but ten times the history (the target: time
  does not grow with history beyond the year itself).
- lists (the 1M database): what the invoices screen reads when it opens
  (``tui.screens.invoices.read_page``: first page, totals, years), its last page
  ("scrolled to the end"), the newest page of all sessions and a client's page, and a
  client search by name (``list_clients`` + ``count_clients``, as the client picker).
- the overview's data (``tui.screens.home.read_overview``) on 1M sessions.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from tests.perf.common import Row, large_db, median_time

YEAR = 2025
NOW = datetime(2026, 11, 24, 10, 0)  # the generator's last day


def _books(path: Any) -> Any:
    from ledger.base.dates import FixedClock
    from ledger.books import Books

    return Books.open(str(path), clock=FixedClock(NOW), interface="bench")


def figures_only(books: Any, year: int) -> Any:
    """Every figure of the year report, with what was open at 31 December as one sum
    instead of the per-invoice debtor list (the list is as long as the unpaid invoices
    are many, whatever their age)."""
    from datetime import date
    from unittest import mock

    from ledger.yearend import figures as yearend
    from ledger.yearend.reports import open_at

    with books.db.read() as session, mock.patch.object(yearend, "debtors_at",
                                                       lambda s, d: ()):
        figures = yearend.year_end_in(session, year)
        return figures, open_at(session, date(year, 12, 31))


def year_report(sizes: list[int], log: Any = print) -> list[Row]:
    from ledger.yearend.figures import year_end

    rows: list[Row] = []
    seconds: dict[int, float] = {}
    for size in sizes:
        books = _books(large_db(size, log=log))
        figures = year_end(books, YEAR)
        seconds[size] = median_time(partial(year_end, books, YEAR), runs=5)
        only = median_time(partial(figures_only, books, YEAR), runs=5)
        rows.append(Row("year report", f"figures without the debtor rows, {size:,} sessions",
                        round(only, 3), "s", "< 0.2 s" if size == max(sizes) else "",
                        only < 0.2 if size == max(sizes) else None,
                        "open at 31-12 as one sum"))
        books.close()
        target, met = ("< 0.2 s", seconds[size] < 0.2) if size == max(sizes) else ("", None)
        rows.append(Row("year report", f"year_end {YEAR}, {size:,} sessions (10 years)",
                        round(seconds[size], 3), "s", target, met,
                        f"{len(figures.debtors):,} debtors at 31-12, "
                        f"{figures.totals.invoices_issued:,} invoices in the year"))
    if 100_000 in seconds and 1_000_000 in seconds:
        ratio = seconds[1_000_000] / seconds[100_000]
        rows.append(Row("year report", "1M vs 100k sessions (the year is 10x larger too)",
                        round(ratio, 2), "x", "", None, "informative: same ten years"))
    rows += _history(log)
    return rows


def _history(log: Any) -> list[Row]:
    """The same year (2026: ~100k sessions of 20,000 clients) with one year of history and
    with ten years of it."""
    from ledger.yearend.figures import year_end

    times, only, debtors = {}, {}, {}
    for sessions, years, clients in ((100_000, 1, 20_000), (1_000_000, 10, None)):
        books = _books(large_db(sessions, years=years, clients=clients, log=log))
        debtors[years] = len(year_end(books, 2026).debtors)
        times[years] = median_time(partial(year_end, books, 2026), runs=5)
        only[years] = median_time(partial(figures_only, books, 2026), runs=5)
        books.close()
    ratio, ratio_only = times[10] / times[1], only[10] / only[1]
    return [
        Row("year report", "2026 with 1 year of history (100k sessions)", round(times[1], 3),
            "s", "", None, f"{debtors[1]:,} debtors"),
        Row("year report", "2026 with 10 years of history (1M sessions)", round(times[10], 3),
            "s", "", None, f"{debtors[10]:,} debtors (unpaid invoices of all ten years)"),
        Row("year report", "10 years vs 1 year of history, same year", round(ratio, 2), "x",
            "<= 1.5", ratio <= 1.5, "whole report, debtor list included"),
        Row("year report", "the same, figures without the debtor rows", round(ratio_only, 2),
            "x", "<= 1.5", ratio_only <= 1.5,
            f"{only[1]:.3f} s vs {only[10]:.3f} s"),
    ]


def lists(size: int, log: Any = print) -> list[Row]:
    from ledger.billing.lists import count_sessions
    from ledger.billing.sessions import list_sessions
    from ledger.practice.clients import count_clients, list_clients
    from tui.screens.home import read_overview
    from tui.screens.invoices import Filters, read_page
    from tui.widgets.client_picker import MAX_MATCHES

    books = _books(large_db(size, log=log))
    rows: list[Row] = []

    def add(figure: str, function: Any, note: str = "") -> None:
        seconds = median_time(function, runs=5)
        rows.append(Row("lists", f"{figure} ({size:,} sessions)", round(seconds, 3), "s",
                        "< 0.3 s", seconds < 0.3, note))

    this_year = Filters(NOW.year, None)
    every_year = Filters(None, None)
    first = read_page(books, every_year, 0, first=True)
    total = first.totals.count if first.totals else 0
    add("invoice list opens, this year", lambda: read_page(books, this_year, 0, first=True))
    add("invoice list opens, all years", lambda: read_page(books, every_year, 0, first=True),
        f"{total:,} invoices")
    add("invoice list, last page (scrolled to the end)",
        lambda: read_page(books, every_year, max(total - 100, 0), first=False))
    add("sessions, newest page of all", lambda: (list_sessions(books, limit=100,
                                                               newest_first=True),
                                                 count_sessions(books)))
    add("a client's page of sessions", lambda: (list_sessions(books, 4321, limit=100,
                                                              newest_first=True),
                                                count_sessions(books, 4321)))
    add("search clients by name ('jansen')",
        lambda: (list_clients(books, "jansen", limit=MAX_MATCHES),
                 count_clients(books, "jansen")))
    add("overview data (read_overview)", lambda: read_overview(books))
    books.close()
    return rows
