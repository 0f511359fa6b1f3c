"""Bulk loading for the generator (``tests/perf/largedb.py``): one raw connection without
journal or constraint checks, tables filled on the other core, the timing of the phases,
and the checks of the finished file.

A table loaded *aside* is filled, indexed and analysed by a forked process in a file of its
own, while this process goes on with the rest; :meth:`Aside.merge` then copies it into the
database with ``INSERT INTO t SELECT * FROM aside.t``. With the same definition and the
same indexes on both sides and the target empty, SQLite copies the records and the
already sorted index entries as they are (its transfer optimisation, the one ``VACUUM``
uses), several times faster than inserting the rows and building the indexes again. The
forked process gets its rows from this process's memory (no pickling).
"""

from __future__ import annotations

import gc
import multiprocessing
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ledger.store.db import open_database

Rows = Iterable[Sequence[Any]]
LOADING = ("foreign_keys = OFF", "journal_mode = OFF", "synchronous = OFF",
           "locking_mode = EXCLUSIVE", "temp_store = MEMORY", "cache_size = -100000",
           # CHECK constraints off: ``status IN (...)`` builds a lookup table for every row
           # inserted, a third of the time; ``PRAGMA integrity_check`` checks them after.
           "ignore_check_constraints = ON")


@contextmanager
def without_gc() -> Iterator[None]:
    """The cyclic garbage collector off: it would walk the lists of a million rows again
    and again while they are made (~10% of the time), and they hold no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def make_indexes(conn: sqlite3.Connection, statements: Iterable[str]) -> None:
    """CREATE INDEX statements, with SQLite's default page cache: its sorter works in
    pieces of the cache's size, and small pieces sort faster than one big one (~10%)."""
    size = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("PRAGMA cache_size = -2000")
    for sql in statements:
        conn.execute(sql)
    conn.execute(f"PRAGMA cache_size = {int(size)}")


@contextmanager
def loading(path: Path, *, wal: bool = True) -> Iterator[sqlite3.Connection]:
    """A raw connection for bulk loading, in autocommit mode (the caller opens and ends
    its transactions); with ``wal`` the file is in WAL mode afterwards, as the program
    keeps it."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in LOADING:
            conn.execute(f"PRAGMA {pragma}")
        yield conn
        if wal:
            conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


class Aside:
    """Tables filled in a forked process (see the module's docstring)."""

    def __init__(self, path: Path, name: str, tables: Sequence[str], schema: Sequence[str],
                 inserts: Sequence[tuple[str, Rows]]) -> None:
        """Start filling a new file next to ``path`` with ``tables``: ``schema`` are their
        CREATE TABLE statements, then their CREATE INDEX statements (as in the database),
        ``inserts`` the statements with their rows."""
        self.file = path.with_name(f"{path.name}.{name}")
        self.file.unlink(missing_ok=True)
        self.tables = list(tables)
        self.process = multiprocessing.get_context("fork").Process(
            target=_fill, args=(self.file, schema, inserts), daemon=True)
        self.process.start()

    def merge(self, conn: sqlite3.Connection) -> None:
        """Wait for the file and copy its tables (with their index entries and statistics)
        into the database of ``conn``: tables empty there, their indexes already made, no
        triggers yet, the database analysed (``sqlite_stat1`` exists), no transaction
        open."""
        self.process.join()
        try:
            if self.process.exitcode != 0:
                raise SystemExit(f"filling {self.file.name} failed (exit {self.process.exitcode})")
            conn.execute("ATTACH DATABASE ? AS aside", (str(self.file),))
            conn.execute("BEGIN")
            for table in self.tables:
                conn.execute(f"INSERT INTO main.{table} SELECT * FROM aside.{table}")
                conn.execute("DELETE FROM main.sqlite_stat1 WHERE tbl = ?", (table,))
                conn.execute("INSERT INTO main.sqlite_stat1 SELECT * FROM aside.sqlite_stat1"
                             " WHERE tbl = ?", (table,))
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE aside")
        finally:
            self.discard()

    def discard(self) -> None:
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.file.unlink(missing_ok=True)


def _fill(file: Path, schema: Sequence[str], inserts: Sequence[tuple[str, Rows]]) -> None:
    with loading(file, wal=False) as conn:
        conn.execute("BEGIN")
        tables = [sql for sql in schema if sql.startswith("CREATE TABLE")]
        for sql in tables:
            conn.execute(sql)
        for sql, rows in inserts:
            conn.executemany(sql, rows)
        make_indexes(conn, (sql for sql in schema if sql not in tables))
        conn.execute("ANALYZE")
        conn.execute("COMMIT")


class Clock:
    """Seconds per phase, wall and CPU (this process), for the figures it prints: on a
    busy machine the CPU seconds say more about the work than the wall time."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.cpu_started = self.cpu_last = time.process_time()
        self.phases: dict[str, tuple[float, float]] = {}

    def lap(self, phase: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.phases[phase] = (round(now - self.last, 2), round(cpu - self.cpu_last, 2))
        self.last, self.cpu_last = now, cpu

    def totals(self) -> dict[str, object]:
        return {"seconds": round(time.perf_counter() - self.started, 2),
                "cpu_seconds": round(time.process_time() - self.cpu_started, 2),
                "phases (wall, cpu)": self.phases}


class Schema:
    """The definitions of ``tables``, their indexes and triggers, as the migrations made
    them: the indexes and triggers are dropped while loading and made again afterwards."""

    def __init__(self, conn: sqlite3.Connection, tables: Sequence[str]) -> None:
        marks = ", ".join("?" * len(tables))
        rows = conn.execute(f"SELECT type, name, tbl_name, sql FROM sqlite_master WHERE"
                            f" sql IS NOT NULL AND tbl_name IN ({marks})", tables).fetchall()
        self.tables = {table: sql for kind, _name, table, sql in rows if kind == "table"}
        self.indexes = [(table, name, sql) for kind, name, table, sql in rows
                        if kind == "index"]
        self.triggers = [(table, name, sql) for kind, name, table, sql in rows
                         if kind == "trigger"]

    def drop(self, conn: sqlite3.Connection) -> None:
        for kind, entries in (("INDEX", self.indexes), ("TRIGGER", self.triggers)):
            for _table, name, _sql in entries:
                conn.execute(f"DROP {kind} {name}")

    def of(self, *tables: str) -> list[str]:
        """CREATE TABLE, then CREATE INDEX statements of ``tables``."""
        return [self.tables[t] for t in tables] + [
            sql for table, _name, sql in self.indexes if table in tables]


def verify(path: Path) -> list[str]:
    """What is wrong with a generated file (empty: nothing): foreign keys, SQLite's
    integrity check (CHECK constraints included), and the derived tables compared with
    the books (``ledger.derived.sums.differences``)."""
    from ledger.derived.sums import differences

    conn = sqlite3.connect(path)
    try:
        problems = [f"foreign key: {row}" for row in
                    conn.execute("PRAGMA foreign_key_check").fetchmany(5)]
        problems += [f"integrity: {row[0]}" for row in conn.execute("PRAGMA integrity_check")
                     if row[0] != "ok"]
    finally:
        conn.close()
    database = open_database(str(path))
    try:
        with database.engine.connect() as connection:
            problems += differences(connection)[:5]
    finally:
        database.close()
    return problems


SETTLEMENT_SQL = ("INSERT INTO settlement (invoice_id, invoice_date, paid_cents, credited_cents,"
                  " open_cents, last_event, settled_on, span, number, series, seq, due_date,"
                  " client_id, client_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
LINE_SQL = ("INSERT INTO invoice_line (id, invoice_id, position, supply_date, description,"
            " quantity, unit_price_cents, vat_rate, net_cents, vat_cents, gross_cents,"
            " performance_code, session_id, package_id) VALUES (?, ?, ?, ?, 'Voetreflexmassage',"
            " 1, ?, 2100, ?, ?, ?, '24009', ?, ?)")


def store_billing(conn: sqlite3.Connection, billing: Any, session_sums: list[tuple[object, ...]],
                  now: str) -> None:
    """Invoices, payments and the month sums (``ledger.derived.sums``: every line is for a
    treatment given or a series sold, every invoice an invoice, every payment by bank, no
    session unbilled); ``package.invoice_id`` points at the sale's invoice."""
    conn.executemany(
        "INSERT INTO invoice (id, kind, client_id, number, series, seq, date, due_date,"
        " language, vat_regime, regime_text, practice_snapshot, client_snapshot, net_cents,"
        " vat_cents, total_cents, created_at, issued_at) VALUES (?, 'invoice', ?, ?, ?, ?,"
        " ?, ?, 'nl', 'standard', '', '{}', '{}', ?, ?, ?, '" + now + "', '" + now + "')",
        billing.invoices)
    conn.executemany("UPDATE package SET invoice_id = ? WHERE id = ?", billing.sold_on)
    conn.executemany(
        "INSERT INTO payment (id, invoice_id, date, amount_cents, method, reference,"
        " created_at) VALUES (?, ?, ?, ?, 'bank', '', '" + now + "')", billing.payments)
    conn.executemany("INSERT INTO invoice_sequence (series, last_seq) VALUES (?, ?)",
                     [(str(y), last) for y, last in sorted(billing.last_seq.items())])
    conn.executemany("INSERT INTO sum_sessions (year, month, status, count, minutes)"
                     " VALUES (?, ?, ?, ?, ?)", session_sums)
    conn.executemany("INSERT INTO sum_invoices (year, month, kind, count, net_cents,"
                     " vat_cents, total_cents) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     billing.invoice_sums)
    conn.executemany("INSERT INTO sum_payments (year, month, method, count, amount_cents)"
                     " VALUES (?, ?, ?, ?, ?)", billing.payment_sums)
    conn.executemany("INSERT INTO sum_turnover (year, month, vat_regime, vat_rate, product,"
                     " ref_id, quantity, net_cents, vat_cents, gross_cents)"
                     " VALUES (?, ?, 'standard', 2100, ?, ?, ?, ?, ?, ?)", billing.turnover)
