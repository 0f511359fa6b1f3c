"""Make a large practice database for the benchmarks: a group practice's decade.

``python -m tests.perf.largedb PATH --sessions 1000000`` writes a migrated solebook
database with ten therapists, ten years of sessions (one tenth redeemed from five-session
series, the rest invoiced per client per month), payments for most invoices (~3% are never
paid), and the invoice numbering the program itself would have produced (gapless per year,
in date order). ``--check`` verifies the file afterwards (foreign keys, integrity, the
derived tables against the books); tests/test_largedb.py does the same on a small one.

How a million sessions take seconds rather than minutes (from 150-300 s before):
- random draws are made a list at a time (``Random.choices``), dates are strings made once
  per day, and the invoices are made column by column (``map``/``zip`` over lists, one
  sort of integer keys) rather than in a Python loop per line;
- rows go in as tuples, in primary-key order, through ``executemany`` on a raw connection
  with the journal, fsync, foreign-key and CHECK constraints off; indexes and triggers are
  dropped while loading and made again afterwards (``tests/perf/largedb_load.py``);
- the sessions, and the lines with the settlements, are loaded and indexed by forked
  processes in files of their own while this one makes and stores the invoices, and
  copied in by SQLite's transfer optimisation (records and index entries as they are);
- the derived tables of migrations 0006/0007 (``ledger.derived.sums``,
  ``ledger.derived.settlement``) are
  added up from the columns instead of by ``ledger.derived.sums.rebuild`` reading it all back.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date, datetime, timedelta
from itertools import accumulate, compress, pairwise, repeat
from operator import add, sub
from pathlib import Path

from ledger.base.money import split_gross
from ledger.base.text import search_key
from ledger.store.db import open_database
from tests.perf.largedb_load import (
    LINE_SQL,
    SETTLEMENT_SQL,
    Aside,
    Clock,
    Rows,
    Schema,
    loading,
    make_indexes,
    store_billing,
    verify,
    without_gc,
)

END = date(2026, 11, 24)
PRICES = [(1, 6500, 60), (2, 7500, 75), (3, 4000, 30)]  # treatment id, price, minutes
SERIES_PRICE, SERIES_SESSIONS, SERIES_PLAN, SERIES_TREATMENT = 30000, 5, 1, 1
PAY_DELAYS = (0, 3, 8, 13, 20)  # days from invoice to payment
PAID_SHARE = 0.97
NOW = datetime(2026, 11, 24, 9, 0).isoformat(sep=" ")
DERIVED = ("sum_turnover", "sum_invoices", "sum_payments", "sum_sessions", "settlement",
           "unbilled_session")
# The tables this generator fills; their indexes and triggers wait until they are full.
LOADED = ("client", "package", "treatment_session", "invoice", "invoice_line", "payment",
          *DERIVED)


class _Days:
    """Day numbers (0 = 1 January of the first year) with their ISO strings and months
    (0 = January of the first year), made once."""

    def __init__(self, years: int) -> None:
        self.start = date(END.year - years + 1, 1, 1)
        self.last = (END - self.start).days  # the day number of END
        dates = [self.start + timedelta(days=n) for n in range(self.last + 366)]
        self.iso = [d.isoformat() for d in dates]
        self.year = [d.year for d in dates]
        self.month = [(d.year - self.start.year) * 12 + d.month - 1 for d in dates]
        # A client's sessions of a month are invoiced on its last day (today for this month).
        self.invoice_day = [min(n + _days_left_in_month(d), self.last)
                            for n, d in enumerate(dates)]

    def year_month(self, month: int) -> tuple[int, int]:
        return self.start.year + month // 12, month % 12 + 1


def _days_left_in_month(day: date) -> int:
    first_of_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (first_of_next - day).days - 1


def generate(path: Path, sessions: int = 1_000_000, *, years: int = 10, therapists: int = 10,
             seed: int = 1, clients: int | None = None, check: bool = False
             ) -> dict[str, object]:
    """Write the database (a new file); returns what it holds and the seconds per phase."""
    if path.exists():
        raise SystemExit(f"{path} exists; give a new file")
    clock = Clock()
    open_database(str(path)).close()  # the schema at the migration head
    clock.lap("migrations")
    rng = random.Random(seed)
    days = _Days(years)
    clients = clients or max(50, sessions // 50)
    with without_gc(), loading(path) as conn, ExitStack() as cleanup:
        schema = Schema(conn, LOADED)
        conn.execute("BEGIN")
        schema.drop(conn)
        for table in DERIVED:
            conn.execute(f"DELETE FROM {table}")
        draws = _Draws(rng, days, sessions, therapists, clients)
        # The sessions and their indexes are made on the other core meanwhile.
        filled = [Aside(path, "sessions", ["treatment_session"], schema.of("treatment_session"),
                        _session_rows(draws, days))]
        cleanup.callback(filled[0].discard)
        _practice(conn, rng, therapists, clients)
        _packages(conn, draws, days)
        clock.lap("draws, clients, packages")
        billing = _bill(rng, days, draws, clients)
        clock.lap("invoices made")
        filled.append(Aside(path, "lines", ["invoice_line", "settlement"],
                            schema.of("invoice_line", "settlement"),
                            [(LINE_SQL, billing.lines), (SETTLEMENT_SQL, billing.settlements)]))
        cleanup.callback(filled[1].discard)
        store_billing(conn, billing, _session_sums(draws, days), NOW)
        clock.lap("invoices, payments stored")
        make_indexes(conn, (sql for _table, _name, sql in schema.indexes))
        conn.execute("ANALYZE")
        conn.execute("COMMIT")
        clock.lap("their indexes, analyze")
        for aside in filled:
            aside.merge(conn)
            clock.lap(f"{aside.file.suffix[1:]} merged")
        conn.execute("BEGIN")
        for _table, _name, sql in schema.triggers:
            conn.execute(sql)
        conn.execute("COMMIT")
    clock.lap("triggers, close")
    if check:
        problems = verify(path)
        if problems:
            raise SystemExit("the generated database is not sound:\n" + "\n".join(problems))
        clock.lap("check")
    return {"sessions": sessions, "clients": clients, **billing.counts,
            "packages": len(draws.packages), **clock.totals()}


def _practice(conn: sqlite3.Connection, rng: random.Random, therapists: int,
              clients: int) -> None:
    conn.execute("UPDATE practice SET name = 'Groepspraktijk Zool', address = 'Dorpsstraat 1',"
                 " postcode = '3512 AB', city = 'Utrecht', kvk = '12345678',"
                 " vat_id = 'NL000099998B57', iban = 'NL91ABNA0417164300' WHERE id = 1")
    conn.executemany(
        "INSERT INTO therapist (id, name, agb_code, association, membership_number,"
        " register_number, active) VALUES (?, ?, '90012345', 'VNRT', '', '', 1)",
        [(i, f"Therapeut {i}") for i in range(2, therapists + 1)])
    conn.executemany(
        "INSERT INTO treatment (id, name, duration_min, price_cents, vat_rate,"
        " performance_code, active) VALUES (?, ?, ?, ?, 2100, '24009', 1)",
        [(tid, name, minutes, price) for (tid, price, minutes), name in
         zip(PRICES, ["Voetreflexmassage", "Intake", "Kort consult"], strict=True)])
    conn.execute("INSERT INTO package_plan (id, name, treatment_id, sessions, price_cents,"
                 " valid_days, active) VALUES (?, 'Hardloopreeks', ?, ?, ?, 365, 1)",
                 (SERIES_PLAN, SERIES_TREATMENT, SERIES_SESSIONS, SERIES_PRICE))
    surnames = rng.choices(["de Vries", "Jansen", "Bakker", "Çelik"], k=clients)
    names = [f"Cliënt {cid:06d} {surname}" for cid, surname in enumerate(surnames, start=1)]
    conn.executemany(
        "INSERT INTO client (id, name, search_name, address, postcode, city, country, email,"
        " phone, created_at) VALUES (?, ?, ?, ?, '3512 AB', 'Utrecht', 'NL', '', '', ?)",
        [(cid, name, search_key(name), f"Straat {cid}", NOW)
         for cid, name in enumerate(names, start=1)])


def _packages(conn: sqlite3.Connection, draws: _Draws, days: _Days) -> None:
    conn.executemany(
        "INSERT INTO package (id, client_id, plan_id, treatment_id, name, sessions_total,"
        " price_cents, vat_rate, sold_on, expires_on) VALUES (?, ?, ?, ?, 'Hardloopreeks',"
        " ?, ?, 2100, ?, ?)",
        [(pid, client, SERIES_PLAN, SERIES_TREATMENT, SERIES_SESSIONS, SERIES_PRICE,
          days.iso[sold], days.iso[sold + 365]) for pid, client, sold in draws.packages])


class _Draws:
    """What chance decides, drawn a list at a time: the series sold (package id, client,
    day sold), their sessions (id, client, therapist, day, package id), and the single
    sessions as parallel lists (index i is session ``first`` + i): client, day, index
    into ``PRICES``."""

    def __init__(self, rng: random.Random, days: _Days, sessions: int, therapists: int,
                 clients: int) -> None:
        count = sessions // 50
        self.packages = list(zip(range(1, count + 1),
                                 rng.choices(range(1, clients + 1), k=count),
                                 rng.choices(range(days.last + 1 - 30), k=count), strict=True))
        self.series: list[tuple[int, int, int, int, int]] = []
        for pid, client, sold in self.packages:
            for day in range(sold + 7, sold + 7 * SERIES_SESSIONS + 1, 7):
                if day > days.last:
                    break
                sid = len(self.series) + 1
                self.series.append((sid, client, 1 + sid % therapists, day, pid))
        self.first = len(self.series) + 1
        n = sessions - len(self.series)
        self.client = rng.choices(range(1, clients + 1), k=n)
        self.day = rng.choices(range(days.last + 1), k=n)
        self.kind = rng.choices(range(len(PRICES)), k=n)
        self.sessions, self.therapists = sessions, therapists


# sum_turnover's product and reference per product index (``PRICES``, then the series)
_PRODUCTS = [("treatment", tid) for tid, _price, _minutes in PRICES] + [
    ("package_plan", SERIES_PLAN)]
_SESSION = ("INSERT INTO treatment_session (id, client_id, therapist_id, treatment_id, date,"
            " duration_min, price_cents, vat_rate, status, package_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 2100, 'given', ?, '" + NOW + "')")


def _session_rows(draws: _Draws, days: _Days) -> list[tuple[str, Rows]]:
    """The sessions as (statement, rows), the rows made lazily (in the process that
    inserts them)."""
    tids, prices, minutes = ([p[i] for p in PRICES] for i in range(3))
    kind = tids.index(SERIES_TREATMENT)
    iso = days.iso
    series = ((s, c, t, tids[kind], iso[d], minutes[kind], prices[kind], p)
              for s, c, t, d, p in draws.series)
    ids = range(draws.first, draws.sessions + 1)
    single = zip(ids, draws.client, (1 + s % draws.therapists for s in ids),
                 map(tids.__getitem__, draws.kind), map(iso.__getitem__, draws.day),
                 map(minutes.__getitem__, draws.kind), map(prices.__getitem__, draws.kind),
                 repeat(None))
    return [(_SESSION, series), (_SESSION, single)]


def _session_sums(draws: _Draws, days: _Days) -> list[tuple[object, ...]]:
    """``sum_sessions``: (year, month, status, sessions, minutes)."""
    per_kind: Counter[tuple[int, int]] = Counter(zip(map(days.month.__getitem__, draws.day),
                                                     draws.kind, strict=True))
    kind = [p[0] for p in PRICES].index(SERIES_TREATMENT)
    per_kind.update((days.month[day], kind) for *_, day, _pid in draws.series)
    months: dict[int, list[int]] = {}
    for (month, kind), count in per_kind.items():
        row = months.setdefault(month, [0, 0])
        row[0] += count
        row[1] += count * PRICES[kind][2]
    return [(*days.year_month(m), "given", *row) for m, row in sorted(months.items())]


class _Billing:
    """The invoices with their lines, payments and settlements as rows for
    ``executemany`` (zipped from columns, made as they are inserted), and the month sums
    of ``ledger.derived.sums`` (lists of rows)."""

    def __init__(self) -> None:
        self.invoices: Rows = ()
        self.lines: Rows = ()
        self.payments: Rows = ()
        self.settlements: Rows = ()
        self.sold_on: list[tuple[int, int]] = []  # (invoice id, package id)
        self.last_seq: dict[int, int] = {}  # per year
        self.counts: dict[str, int] = {}
        self.turnover: list[tuple[object, ...]] = []
        self.invoice_sums: list[tuple[object, ...]] = []
        self.payment_sums: list[tuple[object, ...]] = []


def _bill(rng: random.Random, days: _Days, draws: _Draws, clients: int) -> _Billing:
    """One invoice per client per month for the single sessions (dated the month's last
    day), one per series sold (dated the sale), numbered per year in date order; most paid
    by bank a few days later, the rest never. Made column by column (``map`` and ``zip``
    over lists: a Python loop over a million lines takes seconds)."""
    out = _Billing()
    iso, month_of, series = days.iso, days.month, len(PRICES)
    # Every billed item (the single sessions 0..n-1, then the series sold) gets an integer
    # key that sorts as (invoice day, client, series): items with the same key share an
    # invoice, in session order (the sort is stable).
    n, sold = len(draws.day), [day for _pid, _client, day in draws.packages]
    per_client = len(sold) + 1
    per_day = (clients + 1) * per_client
    keys = [days.invoice_day[d] * per_day + c * per_client
            for d, c in zip(draws.day, draws.client, strict=True)]
    keys += [d * per_day + c * per_client + pid for pid, c, d in draws.packages]
    order = sorted(range(len(keys)), key=keys.__getitem__)  # item of each line
    line_keys = list(map(keys.__getitem__, order))
    # Lines: an invoice starts where the key changes.
    starts = [0] + [i for i, (before, key) in enumerate(pairwise(line_keys), start=1)
                    if key != before]  # first line of each invoice
    count = len(order)
    new = [0] * count
    for i in starts:
        new[i] = 1
    invoice_of_line = list(accumulate(new))
    positions = map(sub, range(1, count + 1),
                    map(starts.__getitem__, map((-1).__add__, invoice_of_line)))
    product = list(map((draws.kind + [series] * len(sold)).__getitem__, order))
    gross_of = [p[1] for p in PRICES] + [SERIES_PRICE]  # per product
    net_of, vat_of = zip(*(split_gross(g, 21) for g in gross_of), strict=True)
    gross, net, vat = (list(map(of.__getitem__, product)) for of in (gross_of, net_of, vat_of))
    session_of = [*range(draws.first, draws.first + n), *repeat(None, len(sold))]
    package_of = [*repeat(None, n), *range(1, len(sold) + 1)]
    out.lines = zip(range(1, count + 1), invoice_of_line, positions,
                    map(iso.__getitem__, map((draws.day + sold).__getitem__, order)),
                    gross, net, vat, gross, map(session_of.__getitem__, order),
                    map(package_of.__getitem__, order), strict=True)
    sales = list(compress(range(count), map(n.__le__, order)))  # lines of series sold
    out.sold_on = [(invoice_of_line[i], order[i] - n + 1) for i in sales]
    out.turnover = [
        (*days.year_month(month), *_PRODUCTS[what], lines, lines * net_of[what],
         lines * vat_of[what], lines * gross_of[what])
        for month, lo, hi in _months(days, line_keys, per_day)
        for what, lines in sorted(Counter(product[lo:hi]).items())]
    # Invoices: totals from running sums over the lines, numbers per year in date order.
    ends = [*starts[1:], count]
    total = {}
    for name, column in (("net", net), ("vat", vat), ("gross", gross)):
        running = list(accumulate(column, initial=0))
        total[name] = list(map(sub, map(running.__getitem__, ends),
                               map(running.__getitem__, starts)))
    invoice_keys = list(map(line_keys.__getitem__, starts))
    day = [key // per_day for key in invoice_keys]
    client = [key % per_day // per_client for key in invoice_keys]
    year = list(map(days.year.__getitem__, day))
    invoices = len(starts)
    out.last_seq = dict(Counter(year))
    first_of_year = {y: bisect_left(year, y) for y in out.last_seq}
    seq = list(map(sub, range(1, invoices + 1), map(first_of_year.__getitem__, year)))
    series_of = list(map(str, year))
    number = list(map("{}-{:04d}".format, year, seq))
    dated, due = list(map(iso.__getitem__, day)), list(map(iso[14:].__getitem__, day))
    ids = range(1, invoices + 1)
    out.invoices = zip(ids, client, number, series_of, seq, dated, due, total["net"],
                       total["vat"], total["gross"], strict=True)
    out.invoice_sums = [
        (*days.year_month(month), "invoice", hi - lo,
         *(sum(total[name][lo:hi]) for name in ("net", "vat", "gross")))
        for month, lo, hi in _months(days, invoice_keys, per_day)]
    # Payments: most invoices paid in full by bank a few days later, none after today.
    delay = rng.choices(PAY_DELAYS, k=invoices)
    paid_on = list(map(add, day, delay))
    paid = [k for k, chance in enumerate(rng.random() for _ in ids)
            if chance < PAID_SHARE and paid_on[k] <= days.last]
    amount = list(map(total["gross"].__getitem__, paid))
    out.payments = zip(range(1, len(paid) + 1), map((1).__add__, paid),
                       map(iso.__getitem__, map(paid_on.__getitem__, paid)), amount,
                       strict=True)
    received: dict[int, list[int]] = {}
    for month, cents in zip(map(month_of.__getitem__, map(paid_on.__getitem__, paid)),
                            amount, strict=True):
        sums = received.setdefault(month, [0, 0])
        sums[0], sums[1] = sums[0] + 1, sums[1] + cents
    out.payment_sums = [(*days.year_month(m), "bank", *sums)
                        for m, sums in sorted(received.items())]
    # Settlements (``ledger.derived.settlement``): paid in full on the payment day, or open.
    settled = [False] * invoices
    for k in paid:
        settled[k] = True
    last = [iso[d] if s else None for d, s in zip(paid_on, settled, strict=True)]
    out.settlements = zip(
        ids, dated, [g if s else 0 for g, s in zip(total["gross"], settled, strict=True)],
        repeat(0), [0 if s else g for g, s in zip(total["gross"], settled, strict=True)],
        last, last, [d.bit_length() if s else None for d, s in zip(delay, settled, strict=True)],
        number, series_of, seq, due, client, repeat(""),  # no client snapshot: no name
        strict=False)  # repeat() has no end
    out.counts = {"invoices": invoices, "lines": count, "payments": len(paid)}
    return out


def _months(days: _Days, keys: list[int], per_day: int) -> Iterator[tuple[int, int, int]]:
    """(month, lo, hi) for the months of the sorted ``keys`` (day number * ``per_day`` +
    anything): ``keys[lo:hi]`` are the month's."""
    first_day = [bisect_left(days.month, m) for m in range(days.month[-1] + 1)]
    for month in range(days.month[days.last] + 1):
        lo = bisect_left(keys, first_day[month] * per_day)
        hi = bisect_left(keys, first_day[month + 1] * per_day)
        if hi > lo:
            yield month, lo, hi


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--clients", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", action="store_true",
                        help="verify foreign keys, integrity and the derived tables after")
    args = parser.parse_args()
    print(json.dumps(generate(args.path, args.sessions, years=args.years, seed=args.seed,
                              clients=args.clients, check=args.check), indent=2))


if __name__ == "__main__":
    main()
