"""The books behave the same on SQLite and PostgreSQL (this module runs on both).

A short week at the practice through every service, then the database's own guards:
issued invoices and the audit log refuse raw UPDATE/DELETE on both backends.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ledger.billing.credits import credit_invoice
from ledger.billing.packages import cancel_package, list_packages
from ledger.billing.payments import register_payment
from ledger.billing.sessions import create_invoice
from ledger.billing.status import get_invoice, list_invoices
from ledger.books import Books
from ledger.practice.clients import list_clients
from ledger.yearend.reports import year_totals
from tests.factories import (
    TODAY,
    make_client,
    make_plan,
    make_treatment,
    record_session,
    sell_package,
)


def test_a_week_at_the_practice(runner_practice: dict[str, Any]) -> None:
    books: Books = runner_practice["books"]
    anna, massage, plan = (runner_practice[k] for k in ("client", "treatment", "plan"))
    piet = make_client(books, "Piet Ümit-Jansen & Zn", city="Zwolle")
    reduced = make_treatment(books, "Kort consult", price="45,50", vat="9", code="24010")

    package = sell_package(books, anna.id, plan.id)
    for day in range(3):
        recorded = record_session(books, anna.id, massage.id, TODAY + timedelta(days=day))
        assert recorded.package is not None
    record_session(books, piet.id, massage.id, TODAY)
    record_session(books, piet.id, reduced.id, TODAY)
    record_session(books, piet.id, massage.id, TODAY, status="no_show", fee=2500)
    draft = create_invoice(books, piet.id)
    assert draft.number is None and draft.total == 6500 + 4550 + 2500

    from ledger.billing.issuing import issue_invoice

    issued = issue_invoice(books, draft.id)
    assert issued.number == "2026-0002"  # 2026-0001 is the package sale
    assert {row.rate for row in issued.vat_rows} == {Decimal(21), Decimal(9)}
    assert issued.vat == 1128 + 376 + 434  # per line, from gross
    paid = register_payment(books, issued.number, 5000)
    assert paid.status == "partly_paid" and paid.open == issued.total - 5000
    credit = credit_invoice(books, issued.number, [2])
    assert credit.number == "2026-0003" and credit.total == -4550
    assert get_invoice(books, issued.number).credited == 4550

    cancelled = cancel_package(books, package.id)
    assert cancelled.status == "cancelled" and cancelled.cancel_credit_number == "2026-0004"
    assert [p.sessions_used for p in list_packages(books)] == [3]
    assert [i.number for i in list_invoices(books)] == [
        "2026-0001", "2026-0002", "2026-0003", "2026-0004"]
    assert [c.name for c in list_clients(books, "jansen")] == ["Piet Ümit-Jansen & Zn"]
    totals = year_totals(books, 2026)
    assert totals.invoices_issued == 2 and totals.credit_notes_issued == 2
    assert totals.turnover_gross == 30000 + issued.total - 4550 - 12000
    assert totals.by_quarter[3].gross == totals.turnover_gross


@pytest.mark.parametrize("statement", [
    "UPDATE invoice SET total_cents = 1 WHERE number IS NOT NULL",
    "DELETE FROM invoice WHERE number IS NOT NULL",
    "UPDATE invoice_line SET description = 'x'",
    "DELETE FROM invoice_line",
    "INSERT INTO invoice_line (invoice_id, position, description, quantity, unit_price_cents,"
    " vat_rate, net_cents, vat_cents, gross_cents, performance_code)"
    " SELECT id, 9, 'x', 1, 1, 0, 1, 0, 1, '' FROM invoice WHERE number IS NOT NULL",
    "UPDATE audit_log SET after = NULL",
    "DELETE FROM audit_log",
])
def test_raw_sql_cannot_change_issued_invoices_or_the_audit_log(
    runner_practice: dict[str, Any], statement: str
) -> None:
    books: Books = runner_practice["books"]
    sell_package(books, runner_practice["client"].id, runner_practice["plan"].id)
    with books.db.engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM audit_log")).scalar()
        assert before
    with pytest.raises(DBAPIError, match=r"cannot be changed|cannot be deleted"), \
            books.db.engine.begin() as conn:
        conn.execute(text(statement))
    with books.db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == before
        assert conn.execute(text(
            "SELECT total_cents FROM invoice WHERE number = '2026-0001'")).scalar() == 30000


def test_drafts_can_still_be_deleted(runner_practice: dict[str, Any]) -> None:
    books: Books = runner_practice["books"]
    client, treatment = runner_practice["client"], runner_practice["treatment"]
    record_session(books, client.id, treatment.id, package="none")
    draft = create_invoice(books, client.id)
    from ledger.billing.drafts import delete_draft

    delete_draft(books, draft.id)
    assert list_invoices(books) == []


def test_rates_and_dates_round_trip(practice: Books) -> None:
    treatment = make_treatment(practice, "Halve behandeling", price="32,50", vat="5,5")
    plan = make_plan(practice, treatment.id, sessions=3, price="90")
    client = make_client(practice, "Sara", birth_date="29-02-1984")
    info = sell_package(practice, client.id, plan.id, on=date(2026, 2, 28))
    assert info.vat_rate == Decimal("5.5") and info.expires == date(2027, 2, 28)
    invoice = get_invoice(practice, info.invoice_number)
    assert invoice.lines[0].vat_rate == Decimal("5.5")
    assert invoice.vat == 469  # 9000 * 5.5 / 105.5
