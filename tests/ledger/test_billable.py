"""Which sessions are still to be billed, and for how much: one rule for the list of
unbilled sessions, the draft invoice, the client page and the monthly sums."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ledger.base.codes import SessionStatus
from ledger.base.views import session_charge
from ledger.billing.lists import unbilled_by_client
from ledger.billing.sessions import create_invoice, list_sessions
from tests.factories import record_session

GIVEN, NO_SHOW, LATE = SessionStatus.GIVEN, SessionStatus.NO_SHOW, SessionStatus.LATE_CANCEL


@pytest.mark.parametrize(("status", "price", "fee", "charge"), [
    (GIVEN, 6500, None, 6500), (GIVEN, 0, None, 0), (GIVEN, 6500, 3000, 6500),
    (NO_SHOW, 6500, 3250, 3250), (NO_SHOW, 6500, None, 0), (LATE, 6500, 0, 0),
    (LATE, 6500, 1500, 1500),
])
def test_what_a_session_costs(status: str, price: int, fee: int | None, charge: int) -> None:
    assert session_charge(status, price, fee) == charge


@pytest.mark.parametrize(("kw", "billable", "amount"), [
    ({}, True, 6500),
    ({"price": 0}, True, 0),  # a free session given is still put on the invoice
    ({"status": "no_show", "fee": 3250}, True, 3250),
    ({"status": "late_cancel", "fee": 1500}, True, 1500),
    ({"status": "no_show"}, False, 0),  # missed without a fee: nothing to bill
    ({"status": "late_cancel", "fee": 0}, False, 0),
    ({"package": "sold"}, False, 0),  # a package pays it
])
def test_which_sessions_are_billable(runner_practice: dict[str, Any], kw: dict[str, Any],
                                     billable: bool, amount: int) -> None:
    books, client = runner_practice["books"], runner_practice["client"]
    treatment, plan = runner_practice["treatment"], runner_practice["plan"]
    if kw.get("package") == "sold":
        from tests.factories import sell_package

        kw = {"package": sell_package(books, client.id, plan.id).id}
    recorded = record_session(books, client.id, treatment.id, date(2026, 11, 30), **kw)
    assert recorded.session.billable_amount == amount
    unbilled = list_sessions(books, client.id, unbilled=True)
    assert [s.id for s in unbilled] == ([recorded.session.id] if billable else [])
    assert bool(unbilled_by_client(books)) is billable
    if billable:
        draft = create_invoice(books, client.id)
        assert [(line.session_id, line.gross) for line in draft.lines] == [
            (recorded.session.id, amount)]
        assert list_sessions(books, client.id, unbilled=True) == []  # billed at most once
