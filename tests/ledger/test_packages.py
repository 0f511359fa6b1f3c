"""Packages: sold with their invoice, redeemed one use per session, never below zero."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from ledger.base.errors import RuleViolation
from ledger.billing.packages import cancel_package, cancellation_refund, get_package, list_packages
from ledger.billing.sessions import create_invoice, delete_session, list_sessions
from ledger.billing.status import get_invoice
from ledger.practice.profile import update_practice
from ledger.store.models import TreatmentSession
from tests.factories import TODAY, make_client, make_plan, make_treatment, record_session
from tests.factories import sell_package as sell


def _count_sessions(books: Any) -> int:
    with books.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(TreatmentSession)) or 0)


def test_sale_issues_the_series_invoice(runner_practice: dict[str, Any]) -> None:
    books, client, plan = runner_practice["books"], runner_practice["client"], \
        runner_practice["plan"]
    package = sell(books, client.id, plan.id)
    invoice = get_invoice(books, package.invoice_number)
    assert (invoice.total, invoice.vat, invoice.net) == (30000, 5207, 24793)
    assert len(invoice.lines) == 1 and invoice.lines[0].package_id == package.id
    assert invoice.lines[0].description.startswith(
        "Hardloopreeks — vooruitbetaling voor 5 behandelingen Voetreflexmassage")
    assert (package.sessions_left, package.expires, package.status) == (
        5, TODAY + timedelta(days=365), "active")


def test_auto_redeems_the_one_fitting_package(runner_practice: dict[str, Any]) -> None:
    books, client = runner_practice["books"], runner_practice["client"]
    treatment, plan = runner_practice["treatment"], runner_practice["plan"]
    package = sell(books, client.id, plan.id)
    balances = []
    for day in range(1, 6):
        recorded = record_session(books, client.id, treatment.id, TODAY + timedelta(days=day))
        assert recorded.session.package_id == package.id
        assert recorded.session.billable_amount == 0
        balances.append(recorded.package.sessions_left)
    assert balances == [4, 3, 2, 1, 0]
    assert get_package(books, package.id).status == "used_up"
    before = _count_sessions(books)
    with pytest.raises(RuleViolation, match=r"used up \(5 of 5 sessions used\)"):
        record_session(books, client.id, treatment.id, TODAY + timedelta(days=7),
                       package=package.id)
    assert _count_sessions(books) == before
    sixth = record_session(books, client.id, treatment.id, TODAY + timedelta(days=7))
    assert sixth.session.package_id is None and sixth.session.billable_amount == 6500
    # a session paid by the package never appears on an invoice
    draft = create_invoice(books, client.id)
    assert [line.session_id for line in draft.lines] == [sixth.session.id]


def test_choice_is_explicit_when_several_fit(runner_practice: dict[str, Any]) -> None:
    books, client = runner_practice["books"], runner_practice["client"]
    treatment, plan = runner_practice["treatment"], runner_practice["plan"]
    first = sell(books, client.id, plan.id)
    second = sell(books, client.id, plan.id)
    with pytest.raises(RuleViolation, match=f"ids {first.id}, {second.id}"):
        record_session(books, client.id, treatment.id)
    chosen = record_session(books, client.id, treatment.id, package=second.id)
    assert chosen.package.id == second.id and chosen.package.sessions_used == 1


@pytest.mark.parametrize(
    ("when", "message"),
    [(timedelta(days=366), "expired on"), (timedelta(days=-1), "was sold after")],
)
def test_redeeming_outside_the_validity_is_refused(runner_practice: dict[str, Any],
                                                   when: timedelta, message: str) -> None:
    books, client = runner_practice["books"], runner_practice["client"]
    package = sell(books, client.id, runner_practice["plan"].id)
    with pytest.raises(RuleViolation, match=message):
        record_session(books, client.id, runner_practice["treatment"].id, TODAY + when,
                       package=package.id)
    # auto does not pick an expired package: the session is billed instead
    later = record_session(books, client.id, runner_practice["treatment"].id, TODAY + when)
    assert later.session.package_id is None


def test_other_clients_package_and_other_treatment_are_refused(
    runner_practice: dict[str, Any],
) -> None:
    books, client = runner_practice["books"], runner_practice["client"]
    package = sell(books, client.id, runner_practice["plan"].id)
    other = make_client(books, "Bram Jansen")
    with pytest.raises(RuleViolation, match="belongs to another client"):
        record_session(books, other.id, runner_practice["treatment"].id, package=package.id)
    consult = make_treatment(books, "Kort consult", price="40")
    with pytest.raises(RuleViolation, match="another treatment"):
        record_session(books, client.id, consult.id, package=package.id)
    with pytest.raises(RuleViolation, match="only a session that was given"):
        record_session(books, client.id, runner_practice["treatment"].id, status="no_show",
                       package=package.id)


def test_undo_a_session_gives_the_use_back(runner_practice: dict[str, Any]) -> None:
    books, client = runner_practice["books"], runner_practice["client"]
    package = sell(books, client.id, runner_practice["plan"].id)
    recorded = record_session(books, client.id, runner_practice["treatment"].id)
    assert get_package(books, package.id).sessions_left == 4
    delete_session(books, recorded.session.id)
    assert get_package(books, package.id).sessions_left == 5


@pytest.mark.parametrize(
    ("policy", "used", "refund"),
    [("pro_rata", 2, 18000), ("pro_rata", 0, 30000), ("single_price", 2, 17000),
     ("none", 2, 0), ("pro_rata", 5, 0)],
)
def test_cancel_credits_the_unused_part(runner_practice: dict[str, Any], policy: str,
                                        used: int, refund: int) -> None:
    books, client = runner_practice["books"], runner_practice["client"]
    update_practice(books, {"cancel_policy": policy})
    package = sell(books, client.id, runner_practice["plan"].id)
    for day in range(used):
        record_session(books, client.id, runner_practice["treatment"].id,
                       TODAY + timedelta(days=day + 1))
    assert cancellation_refund(books, package.id) == refund
    cancelled = cancel_package(books, package.id)
    assert cancelled.status == "cancelled" and cancelled.sessions_left == 0
    if refund:
        credit = get_invoice(books, cancelled.cancel_credit_number)
        assert credit.kind == "credit" and credit.total == -refund
        assert credit.credit_of_number == package.invoice_number
        assert get_invoice(books, package.invoice_number).open == 30000 - refund
    else:
        assert cancelled.cancel_credit_number is None
    with pytest.raises(RuleViolation, match="cancelled"):
        record_session(books, client.id, runner_practice["treatment"].id, package=package.id)
    with pytest.raises(RuleViolation, match="already cancelled"):
        cancel_package(books, package.id)


def test_pro_rata_cents_add_up(practice: Any) -> None:
    client = make_client(practice)
    treatment = make_treatment(practice)
    plan = make_plan(practice, treatment.id, "Drieluik", sessions=3, price="100")
    package = sell(practice, client.id, plan.id)
    record_session(practice, client.id, treatment.id, TODAY + timedelta(days=1))
    assert cancellation_refund(practice, package.id) == 6666  # 33,34 was used


def test_no_show_fee_is_billed_with_its_reason(runner_practice: dict[str, Any]) -> None:
    books, client = runner_practice["books"], runner_practice["client"]
    treatment = runner_practice["treatment"]
    record_session(books, client.id, treatment.id, status="no_show", fee=3250)
    record_session(books, client.id, treatment.id, status="late_cancel")  # no fee: not billed
    assert len(list_sessions(books, client.id, unbilled=True)) == 1
    draft = create_invoice(books, client.id)
    [line] = draft.lines
    assert line.gross == 3250 and line.performance_code == ""
    assert line.description.startswith("Voetreflexmassage (")  # the reason, in Dutch
    assert list_packages(books, client.id) == []


def test_which_packages_fit_a_session(runner_practice: dict[str, Any]) -> None:
    """One rule for the form's list and for redeeming: the client's own, uncancelled
    package for this treatment, sold on or before the day, not expired, not used up."""
    from ledger.billing.packages import packages_for_session

    books, client = runner_practice["books"], runner_practice["client"]
    treatment, plan = runner_practice["treatment"], runner_practice["plan"]
    package = sell(books, client.id, plan.id)
    other_client = make_client(books, "Bram Bos")
    other_treatment = make_treatment(books, "Ontspanningsmassage")
    cases = [
        (client.id, treatment.id, TODAY, [package.id]),
        (client.id, treatment.id, package.expires, [package.id]),
        (client.id, treatment.id, TODAY - timedelta(days=1), []),  # before the sale
        (client.id, treatment.id, package.expires + timedelta(days=1), []),  # expired
        (client.id, other_treatment.id, TODAY, []),
        (other_client.id, treatment.id, TODAY, []),
    ]
    for client_id, treatment_id, on, expected in cases:
        found = [p.id for p in packages_for_session(books, client_id, treatment_id, on)]
        assert found == expected, (client_id, treatment_id, on)
    for day in range(1, 6):
        record_session(books, client.id, treatment.id, TODAY + timedelta(days=day))
    assert packages_for_session(books, client.id, treatment.id, TODAY) == []  # used up
    second = sell(books, client.id, plan.id)
    cancel_package(books, second.id)
    assert packages_for_session(books, client.id, treatment.id, TODAY) == []  # cancelled
