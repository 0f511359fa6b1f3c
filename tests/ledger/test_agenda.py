"""The agenda in the books: planning, moving, marking, cancelling, a series planned to a
race, and planned sessions never billed nor redeeming (issue 16).

The clock stands at Tuesday 24 November 2026, 10:00 (tests/factories.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from ledger.agenda.planning import (
    agenda,
    cancel_session,
    free_times,
    mark_given,
    mark_no_show,
    move_session,
    plan_series,
    plan_session,
    to_mark,
)
from ledger.agenda.settings import agenda_settings, update_agenda_settings
from ledger.base.codes import SessionStatus
from ledger.base.errors import InputError, RuleViolation
from ledger.billing.lists import unbilled_by_client
from ledger.billing.packages import cancel_package, get_package
from ledger.billing.sessions import add_session, create_invoice, edit_session, list_sessions
from ledger.derived.sums import differences
from ledger.yearend.figures import year_end
from tests.factories import TODAY, make_client, sell_package

WED = TODAY + timedelta(days=1)


def _derived_ok(books) -> None:  # type: ignore[no-untyped-def]
    with books.db.engine.connect() as conn:
        assert differences(conn) == []


def test_a_planned_session_holds_a_place_and_redeems_only_when_given(runner_practice):
    books, client, treatment = (runner_practice[k] for k in ("books", "client", "treatment"))
    package = sell_package(books, client.id, runner_practice["plan"].id)
    add_session(books, client.id, treatment.id, TODAY, start_time=time(9, 0))
    add_session(books, client.id, treatment.id, TODAY)
    first = plan_session(books, client.id, treatment.id, WED, time(10, 0))
    plan_session(books, client.id, treatment.id, WED + timedelta(days=7), time(10, 0))
    assert first.session.status == SessionStatus.PLANNED
    assert first.session.reserved_package_id == package.id
    assert first.session.package_id is None
    info = get_package(books, package.id)
    assert (info.sessions_used, info.sessions_planned, info.sessions_free) == (2, 2, 1)
    # planned sessions are never billed, nor counted as given or missed
    assert unbilled_by_client(books) == []
    assert [s.id for s in list_sessions(books, unbilled=True)] == []
    figures = year_end(books, 2026)
    assert (figures.sessions_given, figures.sessions_missed) == (2, 0)
    # the day comes: given, and it redeems the series it held a place on
    books.clock.set(datetime(2026, 11, 25, 11, 0))
    given = mark_given(books, first.session.id)
    assert given.session.status == SessionStatus.GIVEN
    assert given.session.package_id == package.id and given.package is not None
    info = get_package(books, package.id)
    assert (info.sessions_used, info.sessions_planned, info.sessions_free) == (3, 1, 1)
    _derived_ok(books)


def test_more_than_the_series_has_cannot_be_planned(runner_practice):
    books, client, treatment = (runner_practice[k] for k in ("books", "client", "treatment"))
    package = sell_package(books, client.id, runner_practice["plan"].id)
    for week in range(5):
        plan_session(books, client.id, treatment.id, WED + timedelta(days=7 * week),
                     time(10, 0), package=package.id)
    with pytest.raises(RuleViolation, match=r"has no free place \(0 used and 5 planned of 5\)"):
        plan_session(books, client.id, treatment.id, WED + timedelta(days=42), time(10, 0),
                     package=package.id)
    # auto finds no series with a free place: the session is planned to be invoiced
    extra = plan_session(books, client.id, treatment.id, WED + timedelta(days=42), time(10, 0))
    assert extra.session.reserved_package_id is None
    # a session given now cannot take a place that planned sessions hold
    with pytest.raises(RuleViolation, match="no free place"):
        add_session(books, client.id, treatment.id, TODAY, package=package.id)


def test_an_overlap_is_refused_naming_the_other(runner_practice):
    books, client, treatment = (runner_practice[k] for k in ("books", "client", "treatment"))
    other = make_client(books, "Bert Jansen")
    first = plan_session(books, client.id, treatment.id, WED, time(10, 0), package="none")
    with pytest.raises(RuleViolation) as refused:
        plan_session(books, other.id, treatment.id, WED, time(10, 30), package="none")
    assert refused.value.message == (
        f"time: 25 november 2026 10:30 overlaps session {first.session.id} "
        "(Anna de Vries, 10:00-11:00)")
    plan_session(books, other.id, treatment.id, WED, time(11, 0), package="none")  # touching
    # moving onto it is refused too; a cancelled one frees its time
    late = plan_session(books, other.id, treatment.id, WED, time(14, 0), package="none")
    with pytest.raises(RuleViolation, match="overlaps"):
        move_session(books, late.session.id, WED, time(9, 30))
    cancel_session(books, first.session.id)
    moved = move_session(books, late.session.id, WED, time(9, 30))
    assert moved.session.start_time == time(9, 30)
    assert [s.start_time for s in agenda(books, WED, WED) if s.status == "planned"] == [
        time(9, 30), time(11, 0)]


def test_late_cancellation_gets_the_policy_fee(runner_practice):
    books, client, treatment = (runner_practice[k] for k in ("books", "client", "treatment"))
    package = sell_package(books, client.id, runner_practice["plan"].id)
    soon = plan_session(books, client.id, treatment.id, WED, time(9, 0))  # in 23 hours
    later = plan_session(books, client.id, treatment.id, WED + timedelta(days=2), time(9, 0))
    late = cancel_session(books, soon.session.id)
    assert late.late and late.fee == 3250  # 50 % of € 65,00 by default
    assert late.session.status == SessionStatus.LATE_CANCEL
    assert late.session.reserved_package_id is None
    in_time = cancel_session(books, later.session.id)
    assert not in_time.late and in_time.session.status == SessionStatus.CANCELLED
    assert in_time.fee == 0
    assert get_package(books, package.id).sessions_free == 5
    # the fee is billed, the in time cancellation is not
    [row] = unbilled_by_client(books)
    assert row.amount == 3250
    invoice = create_invoice(books, client.id)
    assert [line.gross for line in invoice.lines] == [3250]
    # a fixed fee, and a window of 48 hours
    update_agenda_settings(books, {"agenda_late_fee": "25", "agenda_late_hours": "48"})
    third = plan_session(books, client.id, treatment.id, WED + timedelta(days=1), time(9, 0))
    assert cancel_session(books, third.session.id).fee == 2500
    _derived_ok(books)


def test_no_show_and_marking_only_what_is_planned(runner_practice):
    books, client, treatment = (runner_practice[k] for k in ("books", "client", "treatment"))
    planned = plan_session(books, client.id, treatment.id, WED, time(9, 0), package="none")
    with pytest.raises(RuleViolation, match="cannot be given yet"):
        mark_given(books, planned.session.id)
    books.clock.set(datetime(2026, 11, 25, 12, 0))
    assert [s.id for s in to_mark(books)] == [planned.session.id]
    missed = mark_no_show(books, planned.session.id)
    assert missed.session.status == SessionStatus.NO_SHOW and missed.fee == 3250
    with pytest.raises(RuleViolation, match="is not planned"):
        mark_given(books, planned.session.id)
    assert to_mark(books) == []


def test_planning_in_the_past_and_editing_a_planned_one(runner_practice):
    books, client, treatment = (runner_practice[k] for k in ("books", "client", "treatment"))
    with pytest.raises(RuleViolation, match="before today"):
        plan_session(books, client.id, treatment.id, TODAY - timedelta(days=1), time(9, 0))
    planned = plan_session(books, client.id, treatment.id, WED, time(9, 0))
    edited = edit_session(books, planned.session.id, price=7000)
    assert edited.session.status == SessionStatus.PLANNED and edited.session.price == 7000


def test_a_series_planned_towards_a_race(runner_practice):
    books, client, treatment = (runner_practice[k] for k in ("books", "client", "treatment"))
    package = sell_package(books, client.id, runner_practice["plan"].id)
    add_session(books, client.id, treatment.id, TODAY)  # one used: four to plan
    race = date(2027, 1, 17)  # a Sunday
    # a clash on the Friday of the third week moves that one to the next free time
    other = make_client(books, "Bert Jansen")
    plan_session(books, other.id, treatment.id, date(2026, 12, 25), time(16, 0), package="none")
    preview = plan_series(books, package.id, at=time(16, 0), race_date=race, days_before=9,
                          every_days=7)
    assert not preview.saved
    assert [(s.wanted, s.date, s.start_time) for s in preview.slots] == [
        (date(2026, 12, 18), date(2026, 12, 18), time(16, 0)),
        (date(2026, 12, 25), date(2026, 12, 24), time(16, 0)),  # a day earlier: before the race
        (date(2027, 1, 1), date(2027, 1, 1), time(16, 0)),
        (date(2027, 1, 8), date(2027, 1, 8), time(16, 0)),
    ]
    assert get_package(books, package.id).sessions_planned == 0  # a preview saves nothing
    saved = plan_series(books, package.id, at=time(16, 0), race_date=race, days_before=9,
                        save=True)  # every 7 days unless said otherwise
    assert saved.saved and all(s.session_id for s in saved.slots)
    info = get_package(books, package.id)
    assert (info.sessions_used, info.sessions_planned, info.sessions_free) == (1, 4, 0)
    with pytest.raises(RuleViolation, match="no free place"):
        plan_series(books, package.id, at=time(17, 0), start=WED, every_days=7)


def test_a_series_every_n_days_skips_to_working_hours(runner_practice):
    books, client = runner_practice["books"], runner_practice["client"]
    package = sell_package(books, client.id, runner_practice["plan"].id)
    update_agenda_settings(books, {"agenda_hours": "09:00-17:00", "agenda_days": "1-5"})
    plan = plan_series(books, package.id, at=time(16, 30), every_days=4, start=WED)
    # 16:30 + 60 min is past 17:00: each moves to the next working day's first hour (the
    # Sunday 29 November to Monday)
    assert [(s.date.isoformat(), f"{s.start_time:%H:%M}") for s in plan.slots] == [
        ("2026-11-26", "09:00"), ("2026-11-30", "09:00"), ("2026-12-04", "09:00"),
        ("2026-12-08", "09:00"), ("2026-12-14", "09:00")]
    assert [s.moved for s in plan.slots] == [True] * 5
    with pytest.raises(InputError, match="either a start date or a race date"):
        plan_series(books, package.id, at=time(9, 0))
    with pytest.raises(InputError, match="every: is required with a start date"):
        plan_series(books, package.id, at=time(9, 0), start=WED)
    with pytest.raises(InputError, match="days before: is required with a race date"):
        plan_series(books, package.id, at=time(9, 0), race_date=date(2027, 1, 17))


def test_free_times_and_cancelling_a_series_frees_its_places(runner_practice):
    books, client, treatment = (runner_practice[k] for k in ("books", "client", "treatment"))
    package = sell_package(books, client.id, runner_practice["plan"].id)
    plan_session(books, client.id, treatment.id, WED, time(10, 0))
    assert free_times(books, WED) == [(time(9, 0), time(10, 0)), (time(11, 0), time(17, 0))]
    assert free_times(books, date(2026, 11, 28)) == []  # a Saturday
    cancel_package(books, package.id)
    assert get_package(books, package.id).sessions_planned == 0
    [row] = agenda(books, WED, WED)
    assert row.status == SessionStatus.PLANNED and row.reserved_package_id is None


def test_settings_are_parsed_and_refused_by_field(practice):
    settings = update_agenda_settings(practice, {"agenda_late_fee": "75 %",
                                                 "agenda_show": "voornaam",
                                                 "agenda_hours": "8:30-18"})
    assert settings.late_fee.text() == "75%" and settings.show == "first_name"
    assert (settings.day_start, settings.day_end) == (time(8, 30), time(18, 0))
    assert agenda_settings(practice).public()["hours"] == "08:30-18:00"
    with pytest.raises(InputError, match="working hours: must end after it starts"):
        update_agenda_settings(practice, {"agenda_hours": "17:00-09:00"})
    with pytest.raises(InputError, match="late cancellation fee: must be between"):
        update_agenda_settings(practice, {"agenda_late_fee": "150%"})
    with pytest.raises(InputError, match="CalDAV address: must not hold a password"):
        update_agenda_settings(practice, {"caldav_url": "https://u:geheim@cloud.example.nl/c/"})
    assert "geheim" not in str(agenda_settings(practice).public())


def test_an_appointment_ahead_is_no_record_for_the_retention_periods(runner_practice):
    from ledger.privacy.erasure import last_financial_date

    books, client, treatment = (runner_practice[k] for k in ("books", "client", "treatment"))
    add_session(books, client.id, treatment.id, TODAY, package="none")
    plan_session(books, client.id, treatment.id, WED + timedelta(days=30), time(9, 0))
    with books.db.read() as session:
        assert last_financial_date(session, client.id) == TODAY


def test_an_appointment_that_would_end_after_midnight_is_refused(runner_practice):
    books, client, treatment = (runner_practice[k] for k in ("books", "client", "treatment"))
    with pytest.raises(InputError) as refused:
        plan_session(books, client.id, treatment.id, WED, time(23, 30), package="none")
    assert refused.value.message == ("time: 23:30 and 60 minutes ends after midnight; an "
                                     "appointment ends on the day it starts")
    plan_session(books, client.id, treatment.id, WED, time(23, 0), package="none")  # to 24:00
