"""Treatment sessions: recording them, redeeming packages, and billing the rest.

A session is paid by at most one thing: a use of a package, or one invoice line (the
``invoice_line.session_id`` column is unique). A session paid by a package never appears
as a charge on an invoice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from ledger.base.codes import SessionStatus
from ledger.base.errors import InputError, NotFound, RuleViolation
from ledger.base.i18n import gettext_for
from ledger.base.views import InvoiceInfo, PackageInfo, SessionInfo, session_charge
from ledger.billing.drafts import new_draft, new_line
from ledger.billing.packages import check_redeemable, fitting_packages, load_package, package_info
from ledger.billing.session_fields import STATUSES, PackageChoice
from ledger.billing.status import invoice_info
from ledger.books import Books
from ledger.derived import sums
from ledger.practice.catalogue import load_treatment
from ledger.practice.clients import load_client
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


@dataclass(frozen=True)
class Recorded:
    """A session just recorded, with the package balance after it (when one paid)."""

    session: SessionInfo
    package: PackageInfo | None


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
        invoice_number=number, invoice_id=invoice_id,
    )


def session_info(session: Session, session_id: int) -> SessionInfo:
    row = session.execute(_query().where(TreatmentSession.id == session_id)).first()
    if row is None:
        raise NotFound("session: there is no session with id {session_id}", session_id=session_id)
    return _info(tuple(row))  # type: ignore[arg-type]


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
    with books.db.write() as session:
        client = load_client(session, client_id)
        if client.archived_at is not None:
            raise RuleViolation(
                "client: {name} is archived; restore the client first", name=client.name)
        treatment = load_treatment(session, treatment_id)
        therapist = session.get(Therapist, therapist_id) if therapist_id else session.scalars(
            select(Therapist).order_by(Therapist.id).limit(1)).first()
        if therapist is None:
            raise NotFound(
                "therapist: there is no therapist with id {therapist_id}",
                therapist_id=therapist_id)
        chosen: Package | None = None
        if status != SessionStatus.GIVEN:
            if isinstance(package, int):
                raise RuleViolation("package: only a session that was given uses a package")
        elif isinstance(package, int):
            chosen = load_package(session, package, lock=True)
            check_redeemable(session, chosen, client.id, treatment.id, when)
        elif package == "auto":
            fitting = fitting_packages(session, client.id, treatment.id, when)
            if len(fitting) > 1:
                ids = ", ".join(str(p.id) for p, _ in fitting)
                raise RuleViolation(
                    "package: {client} has several packages for {treatment} (ids {ids}); "
                    "choose one with --package ID or none",
                    client=client.name, treatment=treatment.name, ids=ids)
            if fitting:
                chosen = load_package(session, fitting[0][0].id, lock=True)
                check_redeemable(session, chosen, client.id, treatment.id, when)
        elif package != "none":
            raise InputError("package", "must be a package id, auto or none")
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
        sums.session_changed(session, row, 1)
        if notes:
            session.add(HealthNote(client_id=client.id, session_id=row.id, text=notes,
                                   created_at=books.clock.now()))
        balance = package_info(session, chosen, books.clock.today()) if chosen else None
        return Recorded(session_info(session, row.id), balance)


def delete_session(books: Books, session_id: int) -> None:
    """Undo a session recorded by mistake (not once it is on an invoice)."""
    with books.db.write() as session:
        info = session_info(session, session_id)
        if info.invoice_number is not None or info.invoice_id is not None:
            raise RuleViolation(
                "session: it is billed on invoice {number}",
                number=info.invoice_number or info.invoice_id
            )
        row = session.get(TreatmentSession, session_id)
        assert row is not None  # session_info found it
        sums.session_changed(session, row, -1)
        session.delete(row)


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
    """A draft invoice from the client's unbilled sessions (all, or the chosen ones)."""
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
