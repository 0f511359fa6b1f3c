"""The overview's figures read straight from the derived tables, without SQLAlchemy.

The interface paints its overview at once, but opening the books imports SQLAlchemy and
the models (most of a second on a laptop). The figures at the top of the overview (today's
line with the practice's name, the year so far, what is not yet invoiced, what is overdue
and open) are a handful of sums over the tables that the services keep up to date
(``sum_invoices``, ``sum_payments``, ``settlement``, ``unbilled_session``; see
``ledger.store.models.derived``), so they are read here with the database's own driver
(sqlite3; psycopg for PostgreSQL) while the books open behind them. They are the same
numbers as the books' own functions give (``tests/ledger/test_quickfigures.py`` compares
them on the demo practice and on random books, on SQLite and PostgreSQL):

- turnover and payments of the year: ``ledger.billing.lists.year_so_far``;
- open to receive / to pay back: ``invoice_totals(include_drafts=False, kind="invoice")``;
- overdue: ``invoice_totals(status="overdue")`` (the status rule of
  ``ledger.billing.status.summary_query``: issued, not credited in full, something open,
  due before today);
- not yet invoiced: ``unbilled_by_client`` over all clients.

All the SQL is in this module. Only a database at the newest schema is read (the check of
``ledger.store.fastread.current_sqlite_file``); for anything else :func:`read_figures`
gives None and the overview waits for the books, which migrate and say what they always say.
Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from ledger.base.codes import SessionStatus

#: The stored interface language (``tui.app.LANGUAGE_SETTING``).
LANGUAGE_SETTING = "tui.language"


@dataclass(frozen=True)
class OverviewFigures:
    """What the top of the overview shows (amounts in cents)."""

    today: date
    practice_name: str
    vat_regime: str
    language: str  # the interface language stored in the settings, else the practice's
    year: int
    turnover_net: int
    turnover_gross: int
    payments_received: int
    unbilled_sessions: int
    unbilled_amount: int
    overdue_count: int
    overdue_to_receive: int
    open_to_receive: int
    open_to_refund: int
    has_clients: bool


class Cursor(Protocol):
    def execute(self, sql: str, parameters: Any = ...) -> Any: ...
    def fetchone(self) -> Any: ...


# One statement per figure, with "?" for parameters (psycopg's "%s" is put in for it).
PRACTICE = "SELECT name, vat_regime, language FROM practice WHERE id = 1"
SETTING = "SELECT value FROM setting WHERE key = ?"
HAS_CLIENTS = "SELECT EXISTS (SELECT 1 FROM client)"
TURNOVER = ("SELECT COALESCE(SUM(net_cents), 0), COALESCE(SUM(total_cents), 0) "
            "FROM sum_invoices WHERE year = ? AND count <> 0")
RECEIVED = "SELECT COALESCE(SUM(amount_cents), 0) FROM sum_payments WHERE year = ? AND count <> 0"
# What is open adds up as ledger.derived.settlement.open_sums does: positive to receive,
# negative (credited after payment) to pay back, never netted.
OPEN = ("SELECT COALESCE(SUM(CASE WHEN open_cents > 0 THEN open_cents ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN open_cents < 0 THEN -open_cents ELSE 0 END), 0) "
        "FROM settlement WHERE open_cents <> 0")
# Overdue: something open, due before today, not credited in full (total > 0 and
# credited >= total is "credited"); settlement rows are the issued invoices. An invoice
# with something open has no span (it is not settled): "span IS NULL" reads the covering
# index of the open invoices (ix_settlement_debtors) instead of every settlement.
OVERDUE = ("SELECT COUNT(*), COALESCE(SUM(open_cents), 0) FROM settlement "
           "WHERE span IS NULL AND open_cents > 0 AND due_date < ? AND NOT "
           "(open_cents + credited_cents + paid_cents > 0 "
           "AND credited_cents >= open_cents + credited_cents + paid_cents)")
# A session still to invoice is worth its price when given, else its fee (an outer join:
# SQLite then keeps the small marker table outermost instead of reading every session).
UNBILLED = ("SELECT COUNT(s.id), COALESCE(SUM(CASE WHEN s.status = ? THEN s.price_cents "
            "ELSE COALESCE(s.fee_cents, 0) END), 0) "
            "FROM unbilled_session u LEFT JOIN treatment_session s ON s.id = u.session_id")


def figures(cursor: Cursor, today: date, *, placeholder: str = "?",
            day: Any = None) -> OverviewFigures:
    """The figures of ``today`` through an open DB-API ``cursor`` (in one read transaction
    for one consistent picture). ``placeholder``: the driver's ("%s" for psycopg); ``day``:
    today as the driver compares it with a stored date (SQLite stores ISO text)."""
    def one(sql: str, *parameters: Any) -> Any:
        cursor.execute(sql.replace("?", placeholder), parameters)
        return cursor.fetchone()

    name, regime, practice_language = one(PRACTICE) or ("", "standard", "nl")
    stored = one(SETTING, LANGUAGE_SETTING)
    language = stored[0] if stored and stored[0] in ("nl", "en") else practice_language
    net, gross = one(TURNOVER, today.year)
    (received,) = one(RECEIVED, today.year)
    to_receive, to_refund = one(OPEN)
    overdue_count, overdue = one(OVERDUE, today if day is None else day)
    sessions, amount = one(UNBILLED, str(SessionStatus.GIVEN))
    (has_clients,) = one(HAS_CLIENTS)
    return OverviewFigures(
        today=today, practice_name=name or "", vat_regime=regime, language=language or "nl",
        year=today.year, turnover_net=int(net), turnover_gross=int(gross),
        payments_received=int(received), unbilled_sessions=int(sessions),
        unbilled_amount=int(amount), overdue_count=int(overdue_count),
        overdue_to_receive=int(overdue), open_to_receive=int(to_receive),
        open_to_refund=int(to_refund), has_clients=bool(has_clients))


def read_figures(db: str | None, today: date) -> OverviewFigures | None:
    """The figures from the database ``db`` names (as ``--db``: a path or URL, None for
    ``$SOLEBOOK_DB`` or the default), or None when they cannot be read this quick way (not
    at the newest schema, missing, not SQLite or PostgreSQL, any error: the books will
    open it and say why)."""
    try:
        from ledger.store.fastread import current_sqlite_file, reading

        path = current_sqlite_file(db)
        if path is None:
            return _from_postgresql(db, today)
        with reading(path) as conn:
            return figures(conn.cursor(), today, day=today.isoformat())
    except Exception:  # whatever it is, the books will open the database and report it
        return None


def _from_postgresql(db: str | None, today: date) -> OverviewFigures | None:
    """The figures from a PostgreSQL database at the newest schema (psycopg, read only)."""
    import os

    from ledger.store.db import ENV_VAR
    from ledger.store.migrate import head_revision

    url = db or os.environ.get(ENV_VAR) or ""
    scheme, _, rest = url.partition("://")
    if scheme not in ("postgresql+psycopg", "postgresql") or not rest:
        return None
    import psycopg

    with psycopg.connect(f"postgresql://{rest}", autocommit=False) as conn:
        conn.read_only = True
        cursor = conn.cursor()
        cursor.execute("SELECT version_num FROM alembic_version")
        if cursor.fetchone() != (head_revision(),):
            return None
        return figures(cursor, today, placeholder="%s")
