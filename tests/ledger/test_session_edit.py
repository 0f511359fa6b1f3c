"""Correcting or moving a session that is on no invoice yet, and the day rule: a session
after today cannot be given yet."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest

from ledger.base.errors import RuleViolation
from ledger.billing.packages import get_package
from ledger.billing.sessions import (
    add_session,
    create_invoice,
    delete_session,
    edit_session,
    list_sessions,
    session_note,
)
from tests.factories import TODAY, make_treatment, record_session
from tests.factories import sell_package as sell
from tests.ledger.test_sums import _consistent


def test_a_session_after_today_cannot_be_given(runner_practice: dict[str, Any]) -> None:
    books, client = runner_practice["books"], runner_practice["client"]
    treatment = runner_practice["treatment"]
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(RuleViolation, match="after today cannot be given yet") as refused:
        add_session(books, client.id, treatment.id, tomorrow)
    assert "na vandaag" in refused.value.text("nl")
    assert list_sessions(books, client.id) == []
    # a late cancellation can be recorded ahead, and today's session can be given
    late = add_session(books, client.id, treatment.id, tomorrow, status="late_cancel",
                       fee=3250)
    assert late.session.date == tomorrow
    given = add_session(books, client.id, treatment.id, TODAY)
    with pytest.raises(RuleViolation, match="after today cannot be given yet"):
        edit_session(books, given.session.id, on=tomorrow)
    with pytest.raises(RuleViolation, match="after today cannot be given yet"):
        edit_session(books, late.session.id, status="given")
    assert [s.date for s in list_sessions(books, client.id)] == [TODAY, tomorrow]


def test_correct_price_time_status_and_note(runner_practice: dict[str, Any]) -> None:
    books, client = runner_practice["books"], runner_practice["client"]
    treatment = runner_practice["treatment"]
    s = record_session(books, client.id, treatment.id, TODAY, package="none",
                       notes="hiel gevoelig").session
    changed = edit_session(books, s.id, price=5500, start_time=time(9, 30),
                           on=TODAY - timedelta(days=2), notes="hiel minder gevoelig")
    assert (changed.session.price, changed.session.start_time, changed.session.date) == (
        5500, time(9, 30), TODAY - timedelta(days=2))
    assert session_note(books, s.id) == "hiel minder gevoelig"
    missed = edit_session(books, s.id, status="no_show", fee=3250, notes="").session
    assert (missed.status, missed.fee, missed.billable_amount) == ("no_show", 3250, 3250)
    assert session_note(books, s.id) == ""
    _consistent(books)  # the month's counts followed the session


def test_new_treatment_brings_its_price(runner_practice: dict[str, Any]) -> None:
    books, client = runner_practice["books"], runner_practice["client"]
    treatment = runner_practice["treatment"]
    intake = make_treatment(books, "Intake", "80,00")
    s = record_session(books, client.id, treatment.id, TODAY, package="none").session
    moved = edit_session(books, s.id, treatment_id=intake.id).session
    assert (moved.treatment_name, moved.price) == ("Intake", 8000)


def test_the_package_moves_with_the_session_or_the_move_is_refused(
        runner_practice: dict[str, Any]) -> None:
    books, client = runner_practice["books"], runner_practice["client"]
    treatment, plan = runner_practice["treatment"], runner_practice["plan"]
    package = sell(books, client.id, plan.id, TODAY - timedelta(days=10))
    s = record_session(books, client.id, treatment.id, TODAY).session
    assert s.package_id == package.id
    moved = edit_session(books, s.id, on=TODAY - timedelta(days=3))
    assert moved.session.package_id == package.id and moved.package.sessions_used == 1
    with pytest.raises(RuleViolation, match="was sold after"):
        edit_session(books, s.id, on=TODAY - timedelta(days=20))
    assert list_sessions(books, client.id)[0].date == TODAY - timedelta(days=3)
    # missed: the use goes back to the package; given again with "auto": it pays again
    edit_session(books, s.id, status="no_show")
    assert get_package(books, package.id).sessions_used == 0
    again = edit_session(books, s.id, status="given", package="auto")
    assert again.session.package_id == package.id
    # invoice it instead
    freed = edit_session(books, s.id, package="none").session
    assert freed.package_id is None and freed.billable_amount == 6500
    _consistent(books)


def test_a_billed_session_cannot_be_changed_or_deleted(runner_practice: dict[str, Any]) -> None:
    books, client = runner_practice["books"], runner_practice["client"]
    treatment = runner_practice["treatment"]
    s = record_session(books, client.id, treatment.id, TODAY, package="none").session
    draft = create_invoice(books, client.id)
    with pytest.raises(RuleViolation, match="billed on invoice"):
        edit_session(books, s.id, price=1000)
    with pytest.raises(RuleViolation, match="billed on invoice"):
        delete_session(books, s.id)
    assert list_sessions(books, client.id)[0].price == 6500
    assert draft.lines[0].session_id == s.id
