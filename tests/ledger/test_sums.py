"""The derived month sums and settlements (issue 7) stay equal to the books.

Every service that changes what they sum (recording and deleting sessions, issuing
invoices and credit notes, payments and refunds, cancelling a package) runs here, and
after each step the stored tables are compared with a fresh computation from the books.
The debtors on many days are compared with a plain reading of every invoice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, select

from ledger.billing.credits import credit_invoice
from ledger.billing.drafts import delete_draft
from ledger.billing.issuing import issue_invoice
from ledger.billing.packages import cancel_package
from ledger.billing.payments import register_payment
from ledger.billing.sessions import create_invoice, delete_session
from ledger.books import Books
from ledger.derived.settlement import OpenAmounts, open_amounts_at
from ledger.derived.sums import DERIVED, differences, rebuild
from ledger.store.models import Invoice, Payment
from ledger.yearend.figures import debtors_at, year_end
from ledger.yearend.reports import open_at
from tests.factories import make_client, make_plan, make_treatment, record_session, sell_package


def _consistent(books: Books) -> None:
    with books.db.read() as session:
        assert differences(session.connection()) == []


def _bill(books: Books, client_id: int, on: date) -> Any:
    return issue_invoice(books, create_invoice(books, client_id).id, on)


def _scenario(books: Books) -> list[Callable[[], Any]]:
    """A few years at the practice, one service call per step."""
    anna = make_client(books, "Anna de Vries")
    bob = make_client(books, "Bob Jansen")
    massage = make_treatment(books)
    intake = make_treatment(books, "Intake", price="40,00", vat="9")
    plan = make_plan(books, massage.id)
    state: dict[str, Any] = {}

    def session(client: Any, treatment: Any, on: date, **kw: Any) -> None:
        state["last_session"] = record_session(books, client.id, treatment.id, on,
                                               package="none", **kw).session.id

    def sell() -> None:
        state["package"] = sell_package(books, bob.id, plan.id, date(2025, 12, 20))

    def bill(client: Any, on: date, key: str) -> None:
        state[key] = _bill(books, client.id, on).number

    def draft_and_drop() -> None:
        delete_draft(books, create_invoice(books, anna.id).id)

    return [
        lambda: session(anna, massage, date(2019, 3, 1)),
        lambda: session(anna, intake, date(2019, 3, 2)),
        lambda: bill(anna, date(2019, 3, 4), "old"),  # stays open for years
        lambda: session(bob, massage, date(2025, 12, 29)),
        lambda: session(bob, intake, date(2025, 12, 30), status="no_show", fee=2000),
        lambda: session(bob, massage, date(2025, 12, 30), status="late_cancel", fee=0),
        lambda: bill(bob, date(2025, 12, 31), "december"),
        sell,
        lambda: record_session(books, bob.id, massage.id, date(2026, 1, 7), package="auto"),
        lambda: session(anna, massage, date(2026, 2, 3)),
        lambda: delete_session(books, state["last_session"]),
        lambda: session(anna, massage, date(2026, 2, 4)),
        draft_and_drop,
        lambda: bill(anna, date(2026, 2, 5), "february"),
        lambda: register_payment(books, state["december"], 3000, on=date(2026, 1, 5)),
        lambda: register_payment(books, state["december"], 5500, on=date(2026, 1, 20),
                                 method="pin"),
        lambda: register_payment(books, state["february"], 6500, on=date(2026, 2, 5)),
        lambda: register_payment(books, state["february"], -6500, on=date(2026, 3, 1)),
        lambda: credit_invoice(books, state["february"], on=date(2026, 3, 2)),
        lambda: credit_invoice(books, state["old"], [2], on=date(2024, 6, 1)),
        lambda: register_payment(books, state["package"].invoice_number, 30000,
                                 on=date(2026, 1, 2)),
        lambda: cancel_package(books, state["package"].id, date(2026, 4, 1)),
        lambda: register_payment(books, state["old"], 1000, on=date(2026, 11, 1)),
    ]


def _balances_by_hand(books: Books, day: date) -> list[int]:
    """Every issued invoice's open amount on ``day`` (negative: to pay back), by hand."""
    with books.db.read() as session:
        invoices = session.scalars(select(Invoice).where(Invoice.number.is_not(None))).all()
        payments = session.scalars(select(Payment)).all()
        return [i.total_cents + sum(c.total_cents for c in invoices
                                    if c.credit_of_id == i.id and c.date <= day)
                - sum(p.amount_cents for p in payments if p.invoice_id == i.id and p.date <= day)
                for i in invoices if i.kind == "invoice" and i.date <= day]


def _debtors_by_hand(books: Books, day: date) -> list[tuple[Any, ...]]:
    """The debtor list on ``day``, read the plainest way: every invoice, every payment."""
    with books.db.read() as session:
        invoices = session.scalars(select(Invoice).where(Invoice.number.is_not(None))).all()
        payments = session.scalars(select(Payment)).all()
        rows = []
        for invoice in sorted(invoices, key=lambda i: (i.date, i.series, i.seq)):
            if invoice.kind != "invoice" or invoice.date > day:
                continue
            credited = -sum(c.total_cents for c in invoices
                            if c.credit_of_id == invoice.id and c.date <= day)
            paid = sum(p.amount_cents for p in payments
                       if p.invoice_id == invoice.id and p.date <= day)
            if invoice.total_cents - credited - paid > 0:
                rows.append((invoice.id, invoice.number, invoice.date, invoice.due_date,
                             invoice.client_id,
                             json.loads(invoice.client_snapshot)["name"], invoice.total_cents,
                             credited, paid, invoice.total_cents - credited - paid))
        return rows


def test_every_change_keeps_the_sums_equal_to_the_books(practice: Books) -> None:
    for step in _scenario(practice):
        step()
        _consistent(practice)
    figures = year_end(practice, 2025)
    assert figures.sessions_given == 1 and figures.sessions_missed == 2
    assert {p.kind for p in figures.products} == {"treatment", "fee", "package_plan"}
    assert figures.totals.invoices_issued == 2  # the December invoice and the package


def test_debtors_on_any_day_match_a_plain_reading(practice: Books) -> None:
    for step in _scenario(practice):
        step()
    days = [date(2019, 3, 3), date(2019, 3, 4), date(2020, 12, 31), date(2024, 6, 1),
            date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 4), date(2026, 1, 5),
            date(2026, 1, 19), date(2026, 1, 20), date(2026, 2, 5), date(2026, 3, 1),
            date(2026, 12, 31), date(2030, 1, 1)]
    days += [date(2025, 12, 1) + timedelta(days=n) for n in range(0, 120, 3)]
    seen = set()
    for day in days:
        by_hand = _debtors_by_hand(practice, day)
        expected = sum(row[-1] for row in by_hand)
        balances = _balances_by_hand(practice, day)
        with practice.db.read() as session:
            assert open_at(session, day) == expected, day
            assert open_amounts_at(session, day) == OpenAmounts(
                sum(b for b in balances if b > 0), -sum(b for b in balances if b < 0)), day
            debtors = debtors_at(session, day)
        # the same invoices, in the same order, with every column the list shows
        assert [tuple(d) for d in debtors] == by_hand, day
        assert all(type(d.date) is date and d.client_name for d in debtors)
        seen.add(expected)
    assert len(seen) > 4  # the days do tell the invoices apart


def test_rebuild_restores_what_was_lost(practice: Books) -> None:
    for step in _scenario(practice)[:12]:
        step()
    with practice.db.write() as session:
        for table in DERIVED:
            session.connection().execute(delete(table))
        assert differences(session.connection())  # the check notices
        rebuild(session.connection())
        assert differences(session.connection()) == []


def test_upgrading_an_old_database_fills_the_sums(tmp_path: Any, clock: Any) -> None:
    from alembic import command

    from ledger.store.migrate import alembic_config, upgrade

    books = Books.open(str(tmp_path / "old.sqlite3"), clock=clock, interface="test")
    from ledger.practice.profile import update_practice
    from tests.factories import PRACTICE

    update_practice(books, dict(PRACTICE))
    for step in _scenario(books)[:16]:
        step()
    config = alembic_config()
    with books.db.engine.execution_options(solebook_write=True).begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0005")
    upgrade(books.db)
    _consistent(books)
    with books.db.read() as session:
        assert session.execute(select(DERIVED[0])).first() is not None
    books.close()


def _generic_totals(books: Books, **filters: Any) -> tuple[int, int, int]:
    from sqlalchemy import func

    from ledger.billing.status import filtered_invoices

    inner = filtered_invoices(**filters).subquery()
    with books.db.read() as session:
        row = session.execute(select(func.count(), func.coalesce(func.sum(inner.c.total_cents), 0),
                                     func.coalesce(func.sum(inner.c.open), 0)),
                              {"today": books.clock.today()}).one()
        opens = [int(o) for o in session.scalars(select(inner.c.open),
                                                  {"today": books.clock.today()})]
    assert int(row[2]) == sum(opens)
    return (int(row[0]), int(row[1]), sum(o for o in opens if o > 0),
            -sum(o for o in opens if o < 0))


def test_list_totals_and_pages_read_from_the_sums_agree_with_the_books(
        practice: Books, monkeypatch: Any) -> None:
    from ledger.billing import status as invoice_status
    from ledger.billing.lists import invoice_totals
    from ledger.billing.status import list_invoices

    for step in _scenario(practice):
        step()
    client = make_client(practice, "Cees Draft")
    record_session(practice, client.id, 1, date(2026, 11, 20), package="none")
    create_invoice(practice, client.id)  # a draft, listed apart from the issued ones
    for filters in ({}, {"year": 2026}, {"year": 2019}, {"kind": "invoice"},
                    {"kind": "credit"}, {"include_drafts": False, "kind": "invoice"}):
        totals = invoice_totals(practice, **filters)
        assert (totals.count, totals.total, totals.to_receive, totals.to_refund) \
            == _generic_totals(practice, **filters)

    monkeypatch.setattr(invoice_status, "_FAR", 2)  # also read far pages from the other end
    every = list_invoices(practice)
    key = [(i.number is None, i.date or date.min, i.number or "", i.id) for i in every]
    assert key == sorted(key) and len(every) >= 8
    for newest_first in (False, True):
        expected = [i.id for i in (every[::-1] if newest_first else every)]
        for size in (1, 3, 4):
            pages = [list_invoices(practice, limit=size, offset=start, newest_first=newest_first)
                     for start in range(0, len(every) + size, size)]
            assert [i.id for page in pages for i in page] == expected, (newest_first, size)
    overdue = list_invoices(practice, status="overdue")
    assert overdue and all(i.status == "overdue" and i.open > 0 for i in overdue)
