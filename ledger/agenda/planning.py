"""Appointments: planning a session ahead, moving it, and marking what happened.

A planned session has a date, a start time (Europe/Amsterdam local time, as every time
the books keep) and a duration. It is billed and redeems a package only once it is marked
given; until then it may hold a place on a series (``reserved_package_id``). Missing it
(no-show) or cancelling it less than ``agenda_late_hours`` before the start costs the fee
of ``agenda_late_fee``; cancelling in time costs nothing and frees the time.

Every function here is one transaction; after it the therapist's calendar file is written
again (:func:`ledger.agenda.calendar.agenda_changed`); when that fails the change stands
and the result carries the problem as ``calendar_error``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.agenda.calendar import agenda_changed
from ledger.agenda.settings import AgendaSettings, settings_in
from ledger.agenda.times import aware_now, starts_at
from ledger.base.codes import OCCUPYING_STATUSES, SessionStatus
from ledger.base.dates import minute_of_day
from ledger.base.errors import InputError, RuleViolation, SolebookError
from ledger.base.views import PackageInfo, SessionInfo
from ledger.billing.packages import load_package, package_info
from ledger.billing.session_fields import PackageChoice
from ledger.billing.session_rules import (
    active_client,
    check_free,
    check_not_ahead,
    choose_package,
)
from ledger.billing.sessions import Recorded, recorded, session_info, sessions_where
from ledger.books import Books
from ledger.derived import sums
from ledger.practice.catalogue import load_treatment
from ledger.practice.clients import load_client
from ledger.practice.therapists import session_therapist
from ledger.store.models import Therapist, TreatmentSession


@dataclass(frozen=True)
class Cancelled:
    """A cancellation: late or in time, the hours before the start, the fee it costs."""

    session: SessionInfo
    late: bool
    hours_before: float
    fee: int
    calendar_error: SolebookError | None = None  # the calendar file not written after it


ResultT = TypeVar("ResultT", Recorded, Cancelled)


def _planned_row(session: Session, session_id: int) -> TreatmentSession:
    info = session_info(session, session_id)
    if info.status != SessionStatus.PLANNED:
        raise RuleViolation("session: {id} is not planned (it is {status})",
                            id=session_id, status=info.status)
    row = session.get(TreatmentSession, session_id)
    assert row is not None
    return row


def _check_ahead(books: Books, on: date) -> None:
    if on < books.clock.today():
        raise RuleViolation("date: an appointment cannot be planned before today; record a "
                            "session that happened with `session add`")


def _changed(books: Books, result: ResultT) -> ResultT:
    """``result`` with the problem, if any, of writing the calendar file after it."""
    problem = agenda_changed(books, result.session.therapist_id)
    return replace(result, calendar_error=problem) if problem is not None else result


def _settings(books: Books, session: Session) -> AgendaSettings:
    return settings_in(session, books.db.data_dir)


def plan_session(
    books: Books, client_id: int, treatment_id: int, on: date, at: time, *,
    duration_min: int | None = None, package: PackageChoice = "auto",
    price: int | None = None, therapist_id: int | None = None,
) -> Recorded:
    """Book an appointment. With ``package="auto"`` it holds a place on the client's one
    series for the treatment that has a free place; ``none`` holds none. Refused when it
    overlaps another appointment of the therapist or the series has no free place."""
    _check_ahead(books, on)
    with books.db.write() as session:
        client = active_client(session, client_id)
        treatment = load_treatment(session, treatment_id)
        therapist = session_therapist(session, therapist_id)
        minutes = duration_min or treatment.duration_min
        check_free(session, therapist.id, on, at, minutes)
        held = choose_package(session, client, treatment, on, SessionStatus.PLANNED, package)
        row = TreatmentSession(
            client_id=client.id, therapist_id=therapist.id, treatment_id=treatment.id,
            date=on, start_time=at, duration_min=minutes,
            price_cents=treatment.price_cents if price is None else price,
            vat_rate=treatment.vat_rate, status=SessionStatus.PLANNED, fee_cents=None,
            reserved_package_id=held.id if held else None, created_at=books.clock.now())
        session.add(row)
        session.flush()
        result = recorded(books, session, row, held)
    return _changed(books, result)


def move_session(books: Books, session_id: int, on: date, at: time) -> Recorded:
    """Move a planned appointment to another day or time (the same checks as booking)."""
    _check_ahead(books, on)
    with books.db.write() as session:
        row = _planned_row(session, session_id)
        check_free(session, row.therapist_id, on, at, row.duration_min, row.id)
        held, package = row.reserved_package_id, None
        if held is not None:  # the series must still be valid on the new day
            row.reserved_package_id = None
            session.flush()
            client = load_client(session, row.client_id)
            treatment = load_treatment(session, row.treatment_id)
            package = choose_package(session, client, treatment, on, SessionStatus.PLANNED, held)
            row.reserved_package_id = package.id if package else None
        sums.session_changed(session, row, -1)
        row.date, row.start_time = on, at
        session.flush()
        result = recorded(books, session, row, package)
    return _changed(books, result)


def mark_given(books: Books, session_id: int, package: PackageChoice | None = None) -> Recorded:
    """The appointment took place: it is given, and redeems the series it held a place on
    (or, without one, the client's one fitting series; ``package`` chooses otherwise)."""
    with books.db.write() as session:
        row = _planned_row(session, session_id)
        check_not_ahead(books, row.date, SessionStatus.GIVEN)
        choice: PackageChoice = package if package is not None else (
            row.reserved_package_id or "auto")
        sums.session_changed(session, row, -1)
        row.reserved_package_id = None
        session.flush()
        client = load_client(session, row.client_id)
        treatment = load_treatment(session, row.treatment_id)
        paid = choose_package(session, client, treatment, row.date, SessionStatus.GIVEN, choice)
        row.status, row.package_id = SessionStatus.GIVEN, paid.id if paid else None
        session.flush()
        result = recorded(books, session, row, paid)
    return _changed(books, result)


def _miss(books: Books, session_id: int, status: SessionStatus,
          late: bool | None = None) -> Cancelled:
    with books.db.write() as session:
        row = _planned_row(session, session_id)
        settings = _settings(books, session)
        hours = (starts_at(row.date, row.start_time or time(0)) - aware_now(books.clock)
                 ).total_seconds() / 3600
        if status == SessionStatus.NO_SHOW:
            check_not_ahead(books, row.date, SessionStatus.GIVEN)
            is_late = True
        else:
            is_late = hours < settings.late_hours if late is None else late
            status = SessionStatus.LATE_CANCEL if is_late else SessionStatus.CANCELLED
        fee = settings.late_fee.fee_for(row.price_cents) if is_late else 0
        sums.session_changed(session, row, -1)
        row.status, row.reserved_package_id = status, None
        row.fee_cents = fee if is_late else None
        session.flush()
        sums.session_changed(session, row, 1)
        result = Cancelled(session_info(session, row.id), is_late, hours, fee)
    return _changed(books, result)


def mark_no_show(books: Books, session_id: int) -> Cancelled:
    """The client did not come: a no-show, with the policy's fee."""
    return _miss(books, session_id, SessionStatus.NO_SHOW)


def cancel_session(books: Books, session_id: int, late: bool | None = None) -> Cancelled:
    """Cancel an appointment. Less than ``agenda_late_hours`` before its start it is a late
    cancellation with the policy's fee; earlier it is cancelled in time and costs nothing.
    ``late`` True or False decides instead of the clock (a cancellation by phone noted
    afterwards)."""
    return _miss(books, session_id, SessionStatus.LATE_CANCEL, late)


# ------------------------------------------------------------------------------ reading
def agenda(books: Books, start: date, end: date, *, therapist_id: int | None = None
           ) -> list[SessionInfo]:
    """The appointments and sessions with a start time from ``start`` to ``end``
    (inclusive), of one therapist (default: the one working), in the order of the day."""
    with books.db.read() as session:
        therapist = session_therapist(session, therapist_id)
        return sessions_where(session, TreatmentSession.therapist_id == therapist.id,
                              TreatmentSession.date >= start, TreatmentSession.date <= end,
                              TreatmentSession.start_time.is_not(None))


def to_mark(books: Books, *, therapist_id: int | None = None) -> list[SessionInfo]:
    """Planned appointments whose time has come: to be marked given, no-show or late."""
    now = books.clock.now()
    with books.db.read() as session:
        therapist = session_therapist(session, therapist_id)
        infos = sessions_where(session, TreatmentSession.therapist_id == therapist.id,
                               TreatmentSession.status == SessionStatus.PLANNED,
                               TreatmentSession.date <= now.date())
    return [s for s in infos
            if s.date < now.date() or (s.start_time or time(0)) <= now.time().replace(tzinfo=None)]


def free_times(books: Books, on: date, *, therapist_id: int | None = None
               ) -> list[tuple[time, time]]:
    """The free stretches of a working day (working hours minus the appointments);
    empty on a day off."""
    with books.db.read() as session:
        settings = _settings(books, session)
        therapist = session_therapist(session, therapist_id)
        busy = _busy(session, therapist.id, on)
    if on.isoweekday() not in settings.working_days:
        return []
    free, cursor = [], minute_of_day(settings.day_start)
    for begin, end in busy:
        if begin > cursor:
            free.append((cursor, min(begin, minute_of_day(settings.day_end))))
        cursor = max(cursor, end)
    if cursor < minute_of_day(settings.day_end):
        free.append((cursor, minute_of_day(settings.day_end)))
    return [(_t(a), _t(b)) for a, b in free if a < b]


def _t(minutes: int) -> time:
    return time(min(minutes // 60, 23), minutes % 60 if minutes < 24 * 60 else 59)


def _busy(session: Session, therapist_id: int, on: date) -> list[tuple[int, int]]:
    rows = session.execute(
        select(TreatmentSession.start_time, TreatmentSession.duration_min)
        .where(TreatmentSession.therapist_id == therapist_id, TreatmentSession.date == on,
               TreatmentSession.start_time.is_not(None),
               TreatmentSession.status.in_(OCCUPYING_STATUSES))
        .order_by(TreatmentSession.start_time))
    return [(minute_of_day(at), minute_of_day(at) + minutes) for at, minutes in rows
            if at is not None]


# ------------------------------------------------------------------------------ a series
@dataclass(frozen=True)
class PlannedSlot:
    """One appointment of a series plan: when it was wanted and when it fits."""

    wanted: date
    date: date
    start_time: time
    session_id: int | None = None  # once saved

    @property
    def moved(self) -> bool:
        return self.date != self.wanted


@dataclass(frozen=True)
class SeriesPlan:
    package: PackageInfo
    slots: list[PlannedSlot]
    saved: bool
    calendar_error: SolebookError | None = None  # the calendar file not written after it


def _wanted_days(free: int, *, every_days: int, start: date | None, race_date: date | None,
                 days_before: int | None) -> tuple[list[date], int]:
    if race_date is not None:
        last = race_date - timedelta(days=days_before or 0)
        return [last - timedelta(days=every_days * i) for i in range(free)][::-1], -1
    assert start is not None
    return [start + timedelta(days=every_days * i) for i in range(free)], 1


def _fit(session: Session, settings: AgendaSettings, therapist_id: int, wanted: date, at: time,
         minutes: int, direction: int, taken: list[tuple[date, int, int]], earliest: date,
         latest: date) -> tuple[date, time]:
    """The first free slot from ``wanted`` at ``at`` within working hours, searching later
    on the day and then on following (or, planning back from a race, earlier) days."""
    day = wanted
    for _ in range(62):
        if earliest <= day <= latest and day.isoweekday() in settings.working_days:
            busy = _busy(session, therapist_id, day) + [(b, e) for d, b, e in taken if d == day]
            opening, closing = minute_of_day(settings.day_start), minute_of_day(settings.day_end)
            # the time asked for first, then (later that day, or from the opening on
            # another day) the first start that is free
            begin = max(minute_of_day(at), opening)
            candidates = [begin] if day == wanted else [begin, opening]
            for begin in candidates:
                while begin + minutes <= closing:
                    clash = [e for b, e in busy if b < begin + minutes and begin < e]
                    if not clash:
                        return day, _t(begin)
                    begin = max(clash)
        day += timedelta(days=direction)
    raise RuleViolation("plan: no free time found near {date} within the series' validity",
                        date=wanted.isoformat())


def _series_slots(books: Books, session: Session, package_id: int, at: time, every_days: int,
                  start: date | None, race_date: date | None, days_before: int | None,
                  therapist_id: int | None, *, lock: bool = False
                  ) -> tuple[PackageInfo, list[PlannedSlot], Therapist]:
    package = load_package(session, package_id, lock=lock)
    info = package_info(session, package, books.clock.today())
    if package.cancelled_on is not None:
        raise RuleViolation("package: {name} (id {id}) was cancelled", name=package.name,
                            id=package.id)
    if info.sessions_free == 0:
        raise RuleViolation("package: {name} (id {id}) has no free place ({used} used and "
                            "{planned} planned of {total})", name=package.name,
                            id=package.id, used=info.sessions_used,
                            planned=info.sessions_planned, total=info.sessions_total)
    settings = _settings(books, session)
    therapist = session_therapist(session, therapist_id)
    treatment = load_treatment(session, package.treatment_id)
    earliest = max(books.clock.today(), package.sold_on)
    latest = package.expires_on
    if race_date is not None:
        latest = min(latest, race_date - timedelta(days=days_before or 0))
    wanted_days, direction = _wanted_days(info.sessions_free, every_days=every_days,
                                          start=start, race_date=race_date,
                                          days_before=days_before)
    slots: list[PlannedSlot] = []
    taken: list[tuple[date, int, int]] = []
    order = wanted_days if direction > 0 else wanted_days[::-1]
    for wanted in order:
        if not earliest <= wanted <= latest:
            raise RuleViolation(
                "plan: {date} falls outside the series' validity ({first} to {last})",
                date=wanted.isoformat(), first=earliest.isoformat(), last=latest.isoformat())
        day, when = _fit(session, settings, therapist.id, wanted, at, treatment.duration_min,
                         direction, taken, earliest, latest)
        taken.append((day, minute_of_day(when), minute_of_day(when) + treatment.duration_min))
        slots.append(PlannedSlot(wanted, day, when))
    slots.sort(key=lambda s: (s.date, s.start_time))
    return info, slots, therapist


def plan_series(
    books: Books, package_id: int, *, at: time, every_days: int | None = None,
    start: date | None = None, race_date: date | None = None, days_before: int | None = None,
    save: bool = False, therapist_id: int | None = None,
) -> SeriesPlan:
    """Plan the series' free places: every ``every_days`` days from ``start``, or backwards
    so that the last falls ``days_before`` days before ``race_date`` (every 7 days unless
    ``every_days`` says otherwise). A time that is taken
    or outside working hours moves to the next free slot (earlier days when planning back
    from a race). With ``save`` the appointments are booked, all or none; without, the plan
    is only shown."""
    if (start is None) == (race_date is None):
        raise InputError("plan", "give either a start date or a race date")
    if start is not None and every_days is None:
        raise InputError("every", "is required with a start date")
    if race_date is not None and days_before is None:
        raise InputError("days before", "is required with a race date")
    every_days = 7 if every_days is None else every_days
    if every_days < 1:
        raise InputError("every", "must be at least 1")
    if not save:
        with books.db.read() as session:
            info, slots, _ = _series_slots(books, session, package_id, at, every_days, start,
                                           race_date, days_before, therapist_id)
            return SeriesPlan(info, slots, saved=False)
    with books.db.write() as session:
        info, slots, therapist = _series_slots(books, session, package_id, at, every_days,
                                               start, race_date, days_before, therapist_id,
                                               lock=True)
        package = load_package(session, package_id)
        treatment = load_treatment(session, package.treatment_id)
        client = load_client(session, package.client_id)
        saved = []
        for slot in slots:
            check_free(session, therapist.id, slot.date, slot.start_time, treatment.duration_min)
            held = choose_package(session, client, treatment, slot.date, SessionStatus.PLANNED,
                                  package.id)
            assert held is not None
            row = TreatmentSession(
                client_id=client.id, therapist_id=therapist.id, treatment_id=treatment.id,
                date=slot.date, start_time=slot.start_time, duration_min=treatment.duration_min,
                price_cents=treatment.price_cents, vat_rate=treatment.vat_rate,
                status=SessionStatus.PLANNED, reserved_package_id=held.id,
                created_at=books.clock.now())
            session.add(row)
            session.flush()
            sums.session_changed(session, row, 1)
            saved.append(PlannedSlot(slot.wanted, slot.date, slot.start_time, row.id))
        result = SeriesPlan(package_info(session, package, books.clock.today()), saved, True)
    problem = agenda_changed(books, therapist.id)
    return replace(result, calendar_error=problem) if problem is not None else result
