"""Treatment sessions: recording them, redeeming packages, and billing the rest.

A session is paid by at most one thing: a use of a package, or one invoice line (the
``invoice_line.session_id`` column is unique). A session paid by a package never appears
as a charge on an invoice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import Enum
from typing import Final, Literal

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, aliased

from ledger.base.codes import SessionStatus
from ledger.base.errors import InputError, NotFound, RuleViolation, SolebookError
from ledger.base.i18n import gettext_for
from ledger.base.views import InvoiceInfo, PackageInfo, SessionInfo, session_charge
from ledger.billing.drafts import new_draft, new_line
from ledger.billing.packages import load_package, package_info
from ledger.billing.session_fields import STATUSES, PackageChoice
from ledger.billing.session_rules import (
    active_client,
    check_free,
    check_not_ahead,
    check_unbilled,
    choose_package,
)
from ledger.billing.status import invoice_info
from ledger.books import Books
from ledger.derived import sums
from ledger.practice.catalogue import load_treatment
from ledger.practice.clients import load_client
from ledger.practice.therapists import note_author, one_therapists, session_therapist
from ledger.store.models import (
    Client,
    HealthNote,
    Invoice,
    InvoiceLine,
    Package,
    Therapist,
    Treatment,
    TreatmentSession,
)
from ledger.store.models.agenda import AgendaEvent


class _Keep(Enum):
    KEEP = "keep"


KEEP: Final = _Keep.KEEP  # edit_session: leave this as it is
Keep = Literal[_Keep.KEEP]


@dataclass(frozen=True)
class Recorded:
    """A session just recorded, with the package balance after it (when one paid). For an
    appointment: ``calendar_error`` when the calendar file could not be written after it
    (the session is saved; show it as a warning)."""

    session: SessionInfo
    package: PackageInfo | None
    calendar_error: SolebookError | None = None


def _query() -> Select[TreatmentSession, Client, Treatment, str | None, int | None]:
    line = aliased(InvoiceLine)
    return (
        select(TreatmentSession, Client, Treatment, Invoice.number, Invoice.id)
        .join(Client, Client.id == TreatmentSession.client_id)
        .join(Treatment, Treatment.id == TreatmentSession.treatment_id)
        .outerjoin(line, line.session_id == TreatmentSession.id)
        .outerjoin(Invoice, Invoice.id == line.invoice_id)
    )


def _info(row: tuple[TreatmentSession, Client, Treatment, str | None, int | None]) -> SessionInfo:
    s, client, treatment, number, invoice_id = row
    return SessionInfo(
        id=s.id, client_id=s.client_id, client_name=client.name, treatment_id=s.treatment_id,
        treatment_name=treatment.name, performance_code=treatment.performance_code,
        therapist_id=s.therapist_id, date=s.date, start_time=s.start_time,
        duration_min=s.duration_min, price=s.price_cents, vat_rate=s.vat_rate,
        status=s.status, fee=s.fee_cents, package_id=s.package_id,
        invoice_number=number, invoice_id=invoice_id, reserved_package_id=s.reserved_package_id,
    )


def sessions_where(session: Session, *conditions: ColumnElement[bool]) -> list[SessionInfo]:
    """The sessions that meet ``conditions``, in the order of the day."""
    query = _query().where(*conditions).order_by(
        TreatmentSession.date, TreatmentSession.start_time, TreatmentSession.id)
    return [_info(tuple(row)) for row in session.execute(query)]  # type: ignore[arg-type]


def session_info(session: Session, session_id: int) -> SessionInfo:
    row = session.execute(_query().where(TreatmentSession.id == session_id)).first()
    if row is None:
        raise NotFound("session: there is no session with id {session_id}", session_id=session_id)
    return _info(tuple(row))  # type: ignore[arg-type]


def recorded(books: Books, session: Session, row: TreatmentSession,
             package: Package | None) -> Recorded:
    """A session just stored (flushed): its sums added, with the balance of ``package``."""
    sums.session_changed(session, row, 1)
    balance = package_info(session, package, books.clock.today()) if package else None
    return Recorded(session_info(session, row.id), balance)


def pick_therapist(session: Session, therapist_id: int | None) -> Therapist:
    """The therapist asked for, or by default the practice's first: whose calendar is the
    practice's own (``solebook.ics``, the one published). A session's therapist is chosen by
    ``ledger.practice.therapists.session_therapist`` (default: the one working)."""
    therapist = session.get(Therapist, therapist_id) if therapist_id else session.scalars(
        select(Therapist).order_by(Therapist.id).limit(1)).first()
    if therapist is None:
        raise NotFound(
            "therapist: there is no therapist with id {therapist_id}", therapist_id=therapist_id)
    return therapist


def get_session(books: Books, session_id: int) -> SessionInfo:
    with books.db.read() as session:
        return session_info(session, session_id)


def add_session(
    books: Books,
    client_id: int,
    treatment_id: int,
    on: date | None = None,
    *,
    start_time: time | None = None,
    package: PackageChoice = "auto",
    price: int | None = None,
    duration_min: int | None = None,
    status: str = "given",
    fee: int | None = None,
    notes: str = "",
    therapist_id: int | None = None,
) -> Recorded:
    """Record a session; with ``package="auto"`` the client's one fitting package pays."""
    if status not in STATUSES.values():
        raise InputError("status", "must be given, no_show or late_cancel")
    when = on or books.clock.today()
    check_not_ahead(books, when, status)
    with books.db.write() as session:
        client = active_client(session, client_id)
        treatment = load_treatment(session, treatment_id)
        therapist = session_therapist(session, therapist_id)
        chosen = choose_package(session, client, treatment, when, status, package)
        row = TreatmentSession(
            client_id=client.id, therapist_id=therapist.id, treatment_id=treatment.id,
            date=when, start_time=start_time,
            duration_min=duration_min or treatment.duration_min,
            price_cents=treatment.price_cents if price is None else price,
            vat_rate=treatment.vat_rate, status=status,
            fee_cents=fee if status != SessionStatus.GIVEN else None,
            package_id=chosen.id if chosen else None, created_at=books.clock.now(),
        )
        session.add(row)
        session.flush()
        if notes:
            session.add(HealthNote(client_id=client.id, session_id=row.id, text=notes,
                                   created_at=books.clock.now(),
                                   author_id=note_author(session).id))
        return recorded(books, session, row, chosen)


def delete_session(books: Books, session_id: int) -> None:
    """Undo a session recorded (or planned) by mistake (not once it is on an invoice)."""
    with books.db.write() as session:
        check_unbilled(session_info(session, session_id))
        row = session.get(TreatmentSession, session_id)
        assert row is not None  # session_info found it
        sums.session_changed(session, row, -1)
        session.delete(row)
        # its calendar event stays until it is unpublished, but its reminder is gone: a
        # new session that gets its id (SQLite reuses the highest) is reminded afresh
        event = session.get(AgendaEvent, session_id)
        if event is not None:
            event.reminded_start = None


def edit_session(
    books: Books,
    session_id: int,
    *,
    on: date | None = None,
    start_time: time | Keep | None = KEEP,
    treatment_id: int | None = None,
    price: int | None = None,
    duration_min: int | None = None,
    status: str | None = None,
    fee: int | None = None,
    package: PackageChoice | None = None,
    notes: str | None = None,
    therapist_id: int | None = None,
) -> Recorded:
    """Correct or move a session that is on no invoice yet; None (or ``KEEP``) leaves a
    value as it is. The same checks as recording: a package that paid keeps paying on the
    new date and treatment or the change is refused; a session that is no longer given
    gives its package use back; a new treatment brings its own price unless one is given.
    ``notes`` replaces the session's private note ("" removes it); ``therapist_id`` gives
    the session to another (active) therapist."""
    if status is not None and status not in STATUSES.values():
        raise InputError("status", "must be given, no_show or late_cancel")
    with books.db.write() as session:
        check_unbilled(session_info(session, session_id))
        row = session.get(TreatmentSession, session_id)
        assert row is not None  # session_info found it
        client = load_client(session, row.client_id)
        treatment = load_treatment(session, treatment_id or row.treatment_id)
        when, new_status = on or row.date, status or row.status
        check_not_ahead(books, when, new_status)
        if package is None:  # keep what paid (or the place a planned one held), if it still can
            package = row.package_id or row.reserved_package_id or "none"
        planned = new_status == SessionStatus.PLANNED
        sums.session_changed(session, row, -1)
        row.package_id = None  # its own use does not count against the package it moves with
        row.reserved_package_id = None
        session.flush()
        chosen = choose_package(session, client, treatment, when, new_status, package if
                                new_status in (SessionStatus.GIVEN, SessionStatus.PLANNED)
                                else "none")
        if treatment.id != row.treatment_id:
            row.treatment_id, row.vat_rate = treatment.id, treatment.vat_rate
            row.price_cents, row.duration_min = treatment.price_cents, treatment.duration_min
        row.date, row.status = when, new_status
        if not isinstance(start_time, _Keep):
            row.start_time = start_time
        if price is not None:
            row.price_cents = price
        if duration_min is not None:
            row.duration_min = duration_min
        row.fee_cents = None if new_status in (SessionStatus.GIVEN, SessionStatus.PLANNED) else (
            fee if fee is not None else row.fee_cents)
        if therapist_id is not None and therapist_id != row.therapist_id:
            row.therapist_id = session_therapist(session, therapist_id).id
        if planned:
            row.reserved_package_id = chosen.id if chosen else None
            chosen = None
            if row.start_time is not None:
                check_free(session, row.therapist_id, row.date, row.start_time,
                           row.duration_min, row.id)
        else:
            row.package_id = chosen.id if chosen else None
        session.flush()
        if notes is not None:
            _replace_note(session, books, row, notes)
        return recorded(books, session, row, chosen)


def _replace_note(session: Session, books: Books, row: TreatmentSession, text: str) -> None:
    note = session.scalars(select(HealthNote).where(HealthNote.session_id == row.id)
                           .order_by(HealthNote.id).limit(1)).first()
    if note is not None and text:
        note.text = text
    elif note is not None:
        session.delete(note)
    elif text:
        session.add(HealthNote(client_id=row.client_id, session_id=row.id, text=text,
                               created_at=books.clock.now(),
                               author_id=note_author(session).id))


def session_note(books: Books, session_id: int) -> str:
    """The private note typed with a session ("" when none): for its form only."""
    with books.db.read() as session:
        note = session.scalars(select(HealthNote.text).where(HealthNote.session_id == session_id)
                               .order_by(HealthNote.id).limit(1)).first()
        return note or ""


def list_sessions(
    books: Books,
    client_id: int | None = None,
    *,
    unbilled: bool = False,
    start: date | None = None,
    end: date | None = None,
    limit: int | None = None,
    offset: int = 0,
    newest_first: bool = False,
) -> list[SessionInfo]:
    query = _query()
    if client_id is not None:
        query = query.where(TreatmentSession.client_id == client_id)
    if unbilled:
        query = query.where(sums.billable())
    if start is not None:
        query = query.where(TreatmentSession.date >= start)
    if end is not None:
        query = query.where(TreatmentSession.date <= end)
    order = (TreatmentSession.date, TreatmentSession.start_time, TreatmentSession.id)
    query = query.order_by(*(c.desc() for c in order) if newest_first else order)
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with books.db.read() as session:
        return [_info(tuple(row)) for row in session.execute(query)]  # type: ignore[arg-type]


def session_description(treatment: str, status: str, language: str) -> str:
    _ = gettext_for(language)
    if status == SessionStatus.NO_SHOW:
        return _("{treatment} (missed appointment)").format(treatment=treatment)
    if status == SessionStatus.LATE_CANCEL:
        return _("{treatment} (cancelled too late)").format(treatment=treatment)
    return treatment


def create_invoice(
    books: Books, client_id: int, session_ids: list[int] | None = None
) -> InvoiceInfo:
    """A draft invoice from the client's unbilled sessions (all, or the chosen ones); an
    invoice is for one therapist's treatments (:func:`one_therapists`)."""
    with books.db.write() as session:
        client = load_client(session, client_id)
        query = (
            select(TreatmentSession, Treatment)
            .join(Treatment, Treatment.id == TreatmentSession.treatment_id)
            .where(TreatmentSession.client_id == client.id, sums.billable())
            .order_by(TreatmentSession.date, TreatmentSession.start_time, TreatmentSession.id)
        )
        if session_ids is not None:
            query = query.where(TreatmentSession.id.in_(session_ids))
        rows = session.execute(query).all()
        if session_ids is not None:
            missing = set(session_ids) - {s.id for s, _ in rows}
            if missing:
                raise RuleViolation(
                    "session: {items} cannot be billed (unknown, another client's, already "
                    "billed or paid by a package)", items=', '.join(map(str, sorted(missing)))
                )
        if not rows:
            raise RuleViolation("invoice: {name} has no unbilled sessions", name=client.name)
        rows = one_therapists(session, rows, chosen=session_ids is not None)
        invoice = new_draft(session, books, client)
        for s, treatment in rows:
            amount = session_charge(s.status, s.price_cents, s.fee_cents)
            new_line(
                invoice,
                description=session_description(treatment.name, s.status, invoice.language),
                quantity=1, unit_price=amount, vat_rate=s.vat_rate, supply_date=s.date,
                performance_code=(treatment.performance_code
                                  if s.status == SessionStatus.GIVEN else ""),
                session_id=s.id,
            )
        session.flush()
        return invoice_info(session, books, invoice.id)


def package_sessions(books: Books, package_id: int) -> list[SessionInfo]:
    """The sessions a package paid for, oldest first (the order its shares are counted in)."""
    query = _query().where(TreatmentSession.package_id == package_id).order_by(
        TreatmentSession.date, TreatmentSession.start_time, TreatmentSession.id
    )
    with books.db.read() as session:
        load_package(session, package_id)
        return [_info(tuple(row)) for row in session.execute(query)]  # type: ignore[arg-type]
