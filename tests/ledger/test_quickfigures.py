"""The overview's quick figures (``ledger.store.quickfigures``, read without SQLAlchemy)
are the books' own figures: on the demo practice, and after every step of a few years at a
practice (sessions, invoices, payments and refunds, credit notes, a package sold and
cancelled), on many days (overdue depends on today), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from ledger.base.dates import FixedClock
from ledger.billing.lists import invoice_totals, unbilled_by_client, year_so_far
from ledger.books import Books
from ledger.demo import is_empty, load_demo
from ledger.practice.profile import get_practice, set_setting
from ledger.store.quickfigures import OverviewFigures, read_figures
from tests.ledger.test_sums import _scenario


def books_figures(books: Books) -> OverviewFigures:
    """The same figures, from the functions the rest of the program uses."""
    today = books.clock.today()
    practice = get_practice(books)
    year = year_so_far(books, today.year)
    unbilled = unbilled_by_client(books)
    opened = invoice_totals(books, include_drafts=False, kind="invoice")
    overdue = invoice_totals(books, status="overdue")
    with books.db.read() as session:
        from ledger.practice.profile import get_setting

        stored = get_setting(session, "tui.language", "")
    return OverviewFigures(
        today=today, practice_name=practice.name, vat_regime=practice.vat_regime,
        language=stored if stored in ("nl", "en") else practice.language, year=today.year,
        turnover_net=year.turnover_net, turnover_gross=year.turnover_gross,
        payments_received=year.payments_received,
        unbilled_sessions=sum(u.sessions for u in unbilled),
        unbilled_amount=sum(u.amount for u in unbilled), overdue_count=overdue.count,
        overdue_to_receive=overdue.to_receive, open_to_receive=opened.to_receive,
        open_to_refund=opened.to_refund, has_clients=not is_empty(books))


def quick(books: Books, db_url: str) -> OverviewFigures | None:
    return read_figures(db_url, books.clock.today())


@pytest.mark.slow  # loading the demo year takes seconds
def test_the_demo_practice(books: Books, db_url: str, clock: FixedClock) -> None:
    assert quick(books, db_url) == books_figures(books)  # empty books
    load_demo(books, clients=4)
    set_setting(books, "tui.language", "en")
    overdue = []
    for day in (clock.today(), date(clock.today().year, 12, 31), date(2030, 6, 1)):
        clock.set(datetime.combine(day, datetime.min.time()))
        figures = quick(books, db_url)
        assert figures is not None and figures.has_clients and figures.language == "en"
        assert figures == books_figures(books)
        overdue.append(figures.overdue_count)
    assert max(overdue) > 0


@pytest.mark.slow  # 22 steps, each compared on three days
def test_every_change_on_many_days(practice: Books, db_url: str, clock: FixedClock) -> None:
    days = [date(2019, 4, 10), date(2026, 1, 31), date(2026, 11, 24)]
    seen = set()
    for step in _scenario(practice):
        step()
        for day in days:
            clock.set(datetime.combine(day, datetime.min.time()))
            figures = quick(practice, db_url)
            assert figures == books_figures(practice)
            seen.add((figures.overdue_count > 0, figures.open_to_refund > 0,
                      figures.unbilled_amount > 0))
    assert len(seen) >= 4  # overdue, refunds due and unbilled sessions came and went


def test_only_a_database_at_the_newest_schema(tmp_path: Path, clock: FixedClock) -> None:
    today = clock.today()
    assert read_figures(str(tmp_path / "missing.sqlite3"), today) is None
    (tmp_path / "foreign.sqlite3").write_bytes(b"not a database at all, not at all")
    assert read_figures(str(tmp_path / "foreign.sqlite3"), today) is None
    assert read_figures("mysql://somewhere/books", today) is None
