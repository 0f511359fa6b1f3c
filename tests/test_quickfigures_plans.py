"""The overview's quick figures (``ledger.store.quickfigures``) read indexes, never the
history: on a generated group practice (ANALYZE'd like the benchmark databases) every
statement's plan searches an index or reads a small table."""

from __future__ import annotations

import sqlite3

from ledger.books import Books
from ledger.store import quickfigures as q
from tests.test_perf_guards import group_practice

__all__ = ["group_practice"]  # the fixture, shared with the other plan guards


def test_every_figure_is_read_from_an_index(group_practice: Books) -> None:
    arguments = {"TURNOVER": (2026,), "RECEIVED": (2026,), "OVERDUE": ("2026-11-24",),
                 "UNBILLED": ("given",), "SETTING": ("tui.language",)}
    expected = {
        "PRACTICE": "SEARCH practice USING INTEGER PRIMARY KEY",
        "SETTING": "SEARCH setting USING INDEX",
        "HAS_CLIENTS": "USING COVERING INDEX",
        "TURNOVER": "SEARCH sum_invoices USING INDEX",
        "RECEIVED": "SEARCH sum_payments USING INDEX",
        # what is open: the partial index of the open settlements (not every invoice)
        "OPEN": "USING COVERING INDEX ix_settlement_open",
        "OVERDUE": "SEARCH settlement USING COVERING INDEX ix_settlement_debtors (span=?)",
        # the few markers, each session found by its key (not every session ever given)
        "UNBILLED": "SEARCH s USING INTEGER PRIMARY KEY",
    }
    assert group_practice.db.path is not None
    conn = sqlite3.connect(group_practice.db.path)
    try:
        for name, wanted in expected.items():
            sql = getattr(q, name)
            plan = "\n".join(row[3] for row in conn.execute(
                "EXPLAIN QUERY PLAN " + sql, arguments.get(name, ())))
            assert wanted in plan, (name, plan)
            for table in ("settlement", "treatment_session", "s", "invoice", "payment"):
                assert f"SCAN {table}\n" not in plan + "\n", (name, plan)
    finally:
        conn.close()
