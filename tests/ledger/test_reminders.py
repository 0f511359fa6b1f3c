"""Overdue invoices and reminders: when each letter may go out, and what it states.

Anna de Vries had a treatment on 1 October 2026 (invoice 2026-0001, € 65, due 15 October);
Bram Bakker bought the runners' series on 2 October (2026-0002, € 300, due 16 October) and
paid € 100 of it. Today is 24 November 2026.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from ledger.base.dates import FixedClock
from ledger.base.errors import InputError, NotFound, RuleViolation
from ledger.billing.credits import credit_invoice
from ledger.billing.issuing import issue_invoice
from ledger.billing.payments import register_payment
from ledger.billing.reminders import overdue_invoices, plan_reminder, record_reminder
from ledger.billing.sessions import create_invoice
from tests.factories import make_client, record_session, sell_package


@pytest.fixture
def late(runner_practice: dict[str, Any]) -> dict[str, Any]:
    books = runner_practice["books"]
    anna, treatment = runner_practice["client"], runner_practice["treatment"]
    record_session(books, anna.id, treatment.id, date(2026, 10, 1), package="none")
    issue_invoice(books, create_invoice(books, anna.id, None).id, date(2026, 10, 1))
    bram = make_client(books, "Bram Bakker")
    sell_package(books, bram.id, runner_practice["plan"].id, date(2026, 10, 2))
    register_payment(books, "2026-0002", 100_00, on=date(2026, 10, 20))
    return runner_practice


def test_overdue_list_and_the_steps(late: dict[str, Any], clock: FixedClock) -> None:
    books = late["books"]
    rows = overdue_invoices(books)
    assert [(o.invoice.number, o.days_overdue, o.invoice.open, o.next_step) for o in rows] == [
        ("2026-0001", 40, 65_00, "first"), ("2026-0002", 39, 200_00, "first")]
    assert [o.costs_if_unpaid for o in rows] == [40_00, 40_00]

    first = record_reminder(books, plan_reminder(books, "2026-0001", "first"))
    assert (first.kind, first.principal, first.costs, first.pay_by, first.channel) == (
        "first", 65_00, 0, date(2026, 12, 1), "letter")
    assert overdue_invoices(books)[0].next_step == "wait"

    clock.advance(timedelta(days=8))  # 2 December: the reminder's term has passed
    assert overdue_invoices(books)[0].next_step == "fourteen_day"
    letter = plan_reminder(books, "2026-0001", "fourteen_day")
    assert (letter.principal, letter.costs, letter.pay_by, letter.days_overdue) == (
        65_00, 40_00, date(2026, 12, 18), 48)  # posted: 2 days to arrive, then 14 days
    assert [p.kind for p in letter.previous] == ["first"]
    record_reminder(books, letter, path="documents/2026/reminders/x.pdf", sha256="0" * 64)
    assert overdue_invoices(books)[0].next_step == "wait"
    clock.set(clock.now() + timedelta(days=17))
    row = overdue_invoices(books)[0]
    assert row.next_step == "collection_costs"
    assert [r.document_path for r in row.reminders] == [None, "documents/2026/reminders/x.pdf"]


def test_letter_states_costs_on_what_is_still_open(late: dict[str, Any]) -> None:
    plan = plan_reminder(late["books"], "2026-0002", "fourteen_day", channel="email")
    assert plan.principal == 200_00 and plan.costs == 40_00  # 15% of 200 is below the minimum
    assert plan.pay_by == date(2026, 12, 8)  # an e-mail arrives the same day
    assert plan.client["name"] == "Bram Bakker" and plan.language == "nl"


@pytest.mark.parametrize(("ref", "kind", "error", "message"), [
    ("2026-0001", "third", InputError, "kind: 'third' is not one of: first, fourteen_day"),
    ("2026-0009", "first", NotFound, "invoice: there is no invoice '2026-0009'"),
])
def test_bad_requests(late: dict[str, Any], ref: str, kind: str, error: type[Exception],
                      message: str) -> None:
    with pytest.raises(error) as caught:
        plan_reminder(late["books"], ref, kind)
    assert str(caught.value) == message


def test_no_reminder_for_what_is_not_owed(late: dict[str, Any]) -> None:
    books = late["books"]
    anna, treatment = late["client"], late["treatment"]
    record_session(books, anna.id, treatment.id, date(2026, 11, 20), package="none")
    recent = issue_invoice(books, create_invoice(books, anna.id, None).id, date(2026, 11, 20))
    with pytest.raises(RuleViolation, match="is not overdue yet"):
        plan_reminder(books, recent.number or "", "first")
    register_payment(books, "2026-0001", 65_00)
    with pytest.raises(RuleViolation, match=r"nothing is open on 2026-0001 \(paid\)"):
        plan_reminder(books, "2026-0001", "fourteen_day")
    credit = credit_invoice(books, "2026-0002")
    with pytest.raises(RuleViolation, match="is a credit note"):
        plan_reminder(books, credit.number or "", "first")
    assert [o.invoice.number for o in overdue_invoices(books)] == []
