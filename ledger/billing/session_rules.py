"""What a session may be, the rules that recording, changing and planning one share: the
package that pays for it, a client that can have new sessions, a free time for the
therapist, not given ahead of today, not changed once on an invoice."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.base.codes import OCCUPYING_STATUSES, SessionStatus
from ledger.base.dates import clock_text, format_date, minute_of_day
from ledger.base.errors import InputError, RuleViolation
from ledger.base.views import SessionInfo
from ledger.billing.packages import check_redeemable, fitting_packages, load_package
from ledger.billing.session_fields import PackageChoice
from ledger.books import Books
from ledger.practice.clients import load_client
from ledger.store.models import Client, Package, Therapist, Treatment, TreatmentSession


def choose_package(session: Session, client: Client, treatment: Treatment, when: date,
                   status: str, package: PackageChoice) -> Package | None:
    """The package that pays for a session (locked), or None: the one chosen (refused with
    the reason when it cannot pay), the client's one fitting package (``auto``) or none.
    For a planned session: the package it holds a place on, chosen the same way."""
    if status not in (SessionStatus.GIVEN, SessionStatus.PLANNED):
        if isinstance(package, int):
            raise RuleViolation("package: only a session that was given uses a package")
        return None
    if isinstance(package, int):
        chosen = load_package(session, package, lock=True)
        check_redeemable(session, chosen, client.id, treatment.id, when)
        return chosen
    if package == "none":
        return None
    if package != "auto":
        raise InputError("package", "must be a package id, auto or none")
    fitting = fitting_packages(session, client.id, treatment.id, when)
    if len(fitting) > 1:
        ids = ", ".join(str(p.id) for p, _ in fitting)
        raise RuleViolation(
            "package: {client} has several packages for {treatment} (ids {ids}); "
            "choose one with --package ID or none",
            client=client.name, treatment=treatment.name, ids=ids)
    if not fitting:
        return None
    chosen = load_package(session, fitting[0][0].id, lock=True)
    check_redeemable(session, chosen, client.id, treatment.id, when)
    return chosen


def active_client(session: Session, client_id: int) -> Client:
    """The client, refused when archived (no new sessions for an archived client)."""
    client = load_client(session, client_id)
    if client.archived_at is not None:
        raise RuleViolation(
            "client: {name} is archived; restore the client first", name=client.name)
    return client


def check_free(session: Session, therapist_id: int, on: date, start: time, duration_min: int,
               session_id: int | None = None) -> None:
    """Refuse an appointment that overlaps another of the same therapist (planned, given or
    missed without notice), naming the one it clashes with. The therapist's row is locked
    first (PostgreSQL), so that two bookings at once cannot both find the time free."""
    begin, end = minute_of_day(start), minute_of_day(start) + duration_min
    if end > 24 * 60:  # 23:30 for an hour is a typing error (13:30), not a night shift
        raise InputError("time", "{start} and {minutes} minutes ends after midnight; an "
                                 "appointment ends on the day it starts",
                         start=f"{start:%H:%M}", minutes=duration_min)
    session.execute(select(Therapist.id).where(Therapist.id == therapist_id).with_for_update())
    rows = session.execute(
        select(TreatmentSession.id, TreatmentSession.start_time, TreatmentSession.duration_min,
               Client.name)
        .join(Client, Client.id == TreatmentSession.client_id)
        .where(TreatmentSession.therapist_id == therapist_id, TreatmentSession.date == on,
               TreatmentSession.start_time.is_not(None),
               TreatmentSession.status.in_(OCCUPYING_STATUSES),
               TreatmentSession.id != (session_id or 0))
        .order_by(TreatmentSession.start_time))
    for other_id, other_start, other_minutes, name in rows:
        assert other_start is not None  # selected so
        other_begin = minute_of_day(other_start)
        if other_begin < end and begin < other_begin + other_minutes:
            until = other_begin + other_minutes
            raise RuleViolation(
                "time: {date} {start} overlaps session {id} ({client}, {other_start}-{other_end})",
                date=format_date(on), start=f"{start:%H:%M}", id=other_id, client=name,
                other_start=f"{other_start:%H:%M}",
                other_end=clock_text(until))


def check_not_ahead(books: Books, on: date, status: str) -> None:
    """A session dated after today cannot have been given yet (a later cancellation can be
    recorded ahead)."""
    if on > books.clock.today() and status == SessionStatus.GIVEN:
        raise RuleViolation(
            "date: a session after today cannot be given yet; record it on the day")


def check_unbilled(info: SessionInfo) -> None:
    """Refuse to change or delete a session that is on an invoice (a draft's too)."""
    if info.invoice_number is not None or info.invoice_id is not None:
        raise RuleViolation(
            "session: it is billed on invoice {number}",
            number=info.invoice_number or info.invoice_id
        )
