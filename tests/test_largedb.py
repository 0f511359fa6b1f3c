"""The generator of the benchmark databases (tests/perf/largedb.py) makes sound books.

It writes rows with raw SQL, constraints and triggers off, and adds up the derived tables
itself, so everything the program would guarantee is checked here on a small practice:
the schema of a migrated database, SQLite's own checks, the invoice numbering, each
session billed once, the derived tables equal to a rebuild from the books, and the year
end working on it.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from ledger.base.dates import FixedClock
from ledger.books import Books
from ledger.derived.sums import DERIVED, rebuild
from ledger.store.db import open_database
from ledger.store.migrate import head_revision
from ledger.yearend.figures import year_end
from tests.ledger.test_sums import _consistent
from tests.perf.largedb import END, generate

SESSIONS = 3000


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    path = tmp_path_factory.mktemp("largedb") / "practice.sqlite3"
    return path, generate(path, SESSIONS)


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_the_file_is_a_migrated_database_with_every_index_and_trigger(
        generated: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    path, figures = generated
    assert not list(path.parent.glob(path.name + ".*"))  # no side files left
    open_database(str(tmp_path / "fresh.sqlite3")).close()
    schema = ("SELECT type, name, tbl_name, sql FROM sqlite_master"
              " WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name")
    assert _rows(path, schema) == _rows(tmp_path / "fresh.sqlite3", schema)
    assert _rows(path, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    assert _rows(path, "PRAGMA journal_mode") == [("wal",)]
    assert _rows(path, "PRAGMA foreign_key_check") == []
    assert _rows(path, "PRAGMA integrity_check") == [("ok",)]  # CHECK constraints too
    statistics = {table for (table,) in _rows(path, "SELECT DISTINCT tbl FROM sqlite_stat1")}
    assert {"treatment_session", "invoice", "invoice_line", "payment", "settlement"} \
        <= statistics
    # the immutability triggers are back: an issued invoice and its lines stay as they are
    conn = sqlite3.connect(path)
    try:
        for sql in ("UPDATE invoice SET total_cents = 0 WHERE id = 1",
                    "DELETE FROM invoice_line WHERE invoice_id = 1"):
            with pytest.raises(sqlite3.IntegrityError, match="issued invoices cannot be"):
                conn.execute(sql)
    finally:
        conn.close()
    counted = _rows(path, "SELECT (SELECT count(*) FROM treatment_session),"
                          " (SELECT count(*) FROM invoice), (SELECT count(*) FROM invoice_line),"
                          " (SELECT count(*) FROM payment), (SELECT count(*) FROM package)")
    assert counted == [(SESSIONS, figures["invoices"], figures["lines"], figures["payments"],
                        figures["packages"])]


def test_invoices_are_numbered_per_year_without_gaps_in_date_order(
        generated: tuple[Path, dict[str, Any]]) -> None:
    path, _ = generated
    invoices = _rows(path, "SELECT series, seq, number, date, client_id FROM invoice"
                           " ORDER BY series, seq")
    by_year: dict[str, list[tuple[Any, ...]]] = {}
    for row in invoices:
        by_year.setdefault(row[0], []).append(row)
    assert sorted(by_year) == [str(y) for y in range(END.year - 9, END.year + 1)]
    for year, rows in by_year.items():
        assert [r[1] for r in rows] == list(range(1, len(rows) + 1)), year
        assert all(r[2] == f"{year}-{r[1]:04d}" and r[3].startswith(year) for r in rows)
        assert [r[3] for r in rows] == sorted(r[3] for r in rows)  # numbered in date order
    assert len({r[2] for r in invoices}) == len(invoices)
    assert _rows(path, "SELECT series, last_seq FROM invoice_sequence ORDER BY series") == \
        [(year, len(rows)) for year, rows in sorted(by_year.items())]
    # the totals are the sums of the lines
    assert _rows(path, "SELECT count(*) FROM invoice i WHERE total_cents != (SELECT"
                       " sum(gross_cents) FROM invoice_line WHERE invoice_id = i.id) OR"
                       " net_cents + vat_cents != total_cents") == [(0,)]


def test_each_session_is_billed_once_or_redeemed_from_a_series(
        generated: tuple[Path, dict[str, Any]]) -> None:
    path, figures = generated
    billed = Counter(s for (s,) in _rows(path, "SELECT session_id FROM invoice_line"
                                               " WHERE session_id IS NOT NULL"))
    assert set(billed.values()) == {1}
    single = {s for (s,) in _rows(path, "SELECT id FROM treatment_session"
                                        " WHERE package_id IS NULL")}
    assert set(billed) == single
    # single sessions: one invoice per client and month, dated the month's last day
    # (today for this month); the sessions of a series are on the invoice of the sale
    months = _rows(path, "SELECT i.client_id, substr(s.date, 1, 7), count(DISTINCT i.id),"
                         " max(i.date) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id"
                         " JOIN treatment_session s ON s.id = l.session_id GROUP BY 1, 2")
    assert {count for _client, _month, count, _day in months} == {1}
    for _client, month, _count, day in months:
        following = date(int(month[:4]) + int(month[5:]) // 12, int(month[5:]) % 12 + 1, 1)
        assert date.fromisoformat(day) == min(date.fromordinal(following.toordinal() - 1), END)
    sales = _rows(path, "SELECT count(*) FROM package p JOIN invoice_line l"
                        " ON l.invoice_id = p.invoice_id AND l.package_id = p.id"
                        " JOIN invoice i ON i.id = p.invoice_id AND i.date = p.sold_on")
    assert sales == [(figures["packages"],)]
    # the mix of the benchmark: a tenth from series, ten therapists, most invoices paid
    redeemed = SESSIONS - len(single)
    assert 0.08 * SESSIONS <= redeemed <= 0.1 * SESSIONS
    assert _rows(path, "SELECT count(DISTINCT therapist_id) FROM treatment_session") == [(10,)]
    unpaid = 1 - figures["payments"] / figures["invoices"]
    assert 0.01 < unpaid < 0.08


def test_the_derived_tables_are_what_a_rebuild_makes(
        generated: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    path, _ = generated
    books = Books.open(str(path), clock=FixedClock(datetime(2026, 11, 24, 10)),
                       interface="test")
    try:
        _consistent(books)  # ledger.derived.sums.differences: stored == computed from the books
    finally:
        books.close()
    # and stored exactly as ledger.derived.sums.rebuild stores them (types, dates, NULLs)
    copy = tmp_path / "rebuilt.sqlite3"
    shutil.copyfile(path, copy)
    database = open_database(str(copy))
    try:
        with database.engine.begin() as conn:
            counts = rebuild(conn)
    finally:
        database.close()
    assert counts["settlement"] > 1000 and counts["sum_turnover"] > 100
    for table in DERIVED:
        every = ", ".join(str(i) for i in range(1, len(table.columns) + 1))
        sql = f"SELECT * FROM {table.name} ORDER BY {every}"
        assert _rows(path, sql) == _rows(copy, sql), table.name


def test_the_books_open_and_the_year_end_adds_up(
        generated: tuple[Path, dict[str, Any]]) -> None:
    path, _ = generated
    books = Books.open(str(path), clock=FixedClock(datetime(2026, 11, 24, 10)),
                       interface="test")
    try:
        figures = year_end(books, 2025)
    finally:
        books.close()
    (sessions, minutes), = _rows(path, "SELECT count(*), sum(duration_min) FROM"
                                       " treatment_session WHERE date LIKE '2025-%'")
    assert (figures.sessions_given, figures.treatment_minutes) == (sessions, minutes)
    (issued, gross), = _rows(path, "SELECT count(*), sum(total_cents) FROM invoice"
                                   " WHERE date LIKE '2025-%'")
    assert (figures.totals.invoices_issued, figures.totals.turnover_gross) == (issued, gross)
    (received,), = _rows(path, "SELECT sum(amount_cents) FROM payment WHERE date LIKE '2025-%'")
    assert figures.totals.payments_received == received
    (owed,), = _rows(path, "SELECT sum(total_cents) FROM invoice i WHERE date <= '2025-12-31'"
                           " AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.invoice_id = i.id"
                           " AND p.date <= '2025-12-31')")
    assert owed > 0 and figures.debtors_total == owed
