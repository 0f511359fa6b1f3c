"""Packages (prepaid series): selling, balances, redeeming and cancelling.

A series for one kind of treatment is a single-purpose voucher: VAT is due when it is sold,
so selling creates the package and issues its invoice in one transaction. The balance is
derived from the sessions that redeemed it; it never goes below zero.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from ledger.base.codes import CancelPolicy, PackageStatus
from ledger.base.dates import format_date
from ledger.base.errors import NotFound, RuleViolation
from ledger.base.i18n import gettext_for, ngettext_for
from ledger.base.money import allocate
from ledger.base.views import PackageInfo
from ledger.billing.credits import credit_lines
from ledger.billing.drafts import new_draft, new_line
from ledger.billing.issuing import freeze
from ledger.books import Books
from ledger.practice.catalogue import load_plan, load_treatment
from ledger.practice.clients import load_client
from ledger.practice.profile import practice_info
from ledger.store.models import Client, Invoice, InvoiceLine, Package, TreatmentSession


def used_count(session: Session, package_id: int) -> int:
    return int(
        session.scalar(
            select(func.count()).where(TreatmentSession.package_id == package_id)
        ) or 0
    )


def planned_count(session: Session, package_id: int) -> int:
    """Places held on the package by planned sessions (not used until given)."""
    return int(session.scalar(select(func.count()).where(
        TreatmentSession.reserved_package_id == package_id)) or 0)


def package_status(package: Package, used: int, today: date) -> str:
    if package.cancelled_on is not None:
        return "cancelled"
    if used >= package.sessions_total:
        return "used_up"
    if package.expires_on < today:
        return "expired"
    return "active"


def package_info(session: Session, package: Package, today: date, used: int | None = None
                 ) -> PackageInfo:
    used = used_count(session, package.id) if used is None else used
    planned = planned_count(session, package.id)
    client = session.get(Client, package.client_id)
    sale = session.get(Invoice, package.invoice_id) if package.invoice_id else None
    cancel = session.get(Invoice, package.cancel_invoice_id) if package.cancel_invoice_id else None
    return PackageInfo(
        id=package.id, client_id=package.client_id, client_name=client.name if client else "",
        plan_id=package.plan_id, treatment_id=package.treatment_id, name=package.name,
        sessions_total=package.sessions_total, sessions_used=used, price=package.price_cents,
        vat_rate=package.vat_rate, sold_on=package.sold_on, expires=package.expires_on,
        invoice_number=sale.number if sale else None, cancelled_on=package.cancelled_on,
        cancel_credit_number=cancel.number if cancel else None,
        status=package_status(package, used, today), sessions_planned=planned,
    )


def load_package(session: Session, package_id: int, *, lock: bool = False) -> Package:
    query = select(Package).where(Package.id == package_id)
    if lock:
        query = query.with_for_update()
    package = session.scalars(query).first()
    if package is None:
        raise NotFound("package: there is no package with id {package_id}", package_id=package_id)
    return package


def sale_description(name: str, sessions: int, expires: date, language: str) -> str:
    _ = gettext_for(language)
    n_ = ngettext_for(language)
    count = n_("{n} treatment", "{n} treatments", sessions).format(n=sessions)
    until = _("valid until {date}").format(date=format_date(expires, language))
    return f"{name} — {count}, {until}"


def sell_package(
    books: Books, client_id: int, plan_id: int, on: date | None = None
) -> PackageInfo:
    """Sell a series to a client and issue its invoice, in one transaction."""
    with books.db.write() as session:
        client = load_client(session, client_id)
        if client.archived_at is not None:
            raise RuleViolation("client: {name} is archived", name=client.name)
        plan = load_plan(session, plan_id)
        if not plan.active:
            raise RuleViolation("plan: {name} is no longer offered", name=plan.name)
        treatment = load_treatment(session, plan.treatment_id)
        sold_on = on or books.clock.today()
        package = Package(
            client_id=client.id, plan_id=plan.id, treatment_id=treatment.id, name=plan.name,
            sessions_total=plan.sessions, price_cents=plan.price_cents,
            vat_rate=treatment.vat_rate, sold_on=sold_on,
            expires_on=sold_on + timedelta(days=plan.valid_days),
        )
        session.add(package)
        session.flush()
        invoice = new_draft(session, books, client)
        new_line(
            invoice,
            description=sale_description(plan.name, plan.sessions, package.expires_on,
                                         invoice.language),
            quantity=1, unit_price=plan.price_cents, vat_rate=treatment.vat_rate,
            supply_date=sold_on, performance_code=treatment.performance_code,
            package_id=package.id,
        )
        session.flush()
        freeze(session, books, invoice, sold_on)
        package.invoice_id = invoice.id
        session.flush()
        return package_info(session, package, books.clock.today(), used=0)


def list_packages(
    books: Books, client_id: int | None = None, *, status: str | None = None
) -> list[PackageInfo]:
    """Packages in the order sold; with ``status="active"`` only those not cancelled and
    not expired are read (``ix_package_expires``), whatever the number sold over the years.
    """
    today = books.clock.today()
    used = (select(func.count()).where(TreatmentSession.package_id == Package.id)
            .correlate(Package).scalar_subquery())
    planned = (select(func.count()).where(TreatmentSession.reserved_package_id == Package.id)
               .correlate(Package).scalar_subquery())
    sale, cancel = aliased(Invoice), aliased(Invoice)
    query = (
        select(Package, used, Client.name, sale.number, cancel.number, planned)
        .join(Client, Client.id == Package.client_id)
        .outerjoin(sale, sale.id == Package.invoice_id)
        .outerjoin(cancel, cancel.id == Package.cancel_invoice_id)
        .order_by(Package.sold_on, Package.id)
    )
    if client_id is not None:
        query = query.where(Package.client_id == client_id)
    if status == PackageStatus.ACTIVE:
        query = query.where(Package.cancelled_on.is_(None), Package.expires_on >= today)
    with books.db.read() as session:
        infos = [
            PackageInfo(
                id=p.id, client_id=p.client_id, client_name=name, plan_id=p.plan_id,
                treatment_id=p.treatment_id, name=p.name, sessions_total=p.sessions_total,
                sessions_used=int(n), price=p.price_cents, vat_rate=p.vat_rate,
                sold_on=p.sold_on, expires=p.expires_on, invoice_number=number,
                cancelled_on=p.cancelled_on, cancel_credit_number=cancel_number,
                status=package_status(p, int(n), today), sessions_planned=int(held),
            )
            for p, n, name, number, cancel_number, held in session.execute(query)
        ]
    return [p for p in infos if status is None or p.status == status]


def get_package(books: Books, package_id: int) -> PackageInfo:
    with books.db.read() as session:
        return package_info(session, load_package(session, package_id), books.clock.today())


def fitting_packages(
    session: Session, client_id: int, treatment_id: int, on: date
) -> list[tuple[Package, int]]:
    """The client's packages that can pay for this treatment on this date."""
    candidates = session.scalars(
        select(Package)
        .where(
            Package.client_id == client_id,
            Package.treatment_id == treatment_id,
            Package.cancelled_on.is_(None),
            Package.sold_on <= on,
            Package.expires_on >= on,
        )
        .order_by(Package.expires_on, Package.id)
    ).all()
    result = []
    for package in candidates:
        used = used_count(session, package.id)
        if used + planned_count(session, package.id) < package.sessions_total:
            result.append((package, used))
    return result


def packages_for_session(books: Books, client_id: int, treatment_id: int, on: date
                         ) -> list[PackageInfo]:
    """The client's packages that can pay for this treatment on this day (:func:`fitting_packages`),
    in the order they were sold."""
    with books.db.read() as session:
        today = books.clock.today()
        fitting = sorted(fitting_packages(session, client_id, treatment_id, on),
                         key=lambda pair: pair[0].id)
        return [package_info(session, package, today, used) for package, used in fitting]


def check_redeemable(session: Session, package: Package, client_id: int, treatment_id: int,
                     on: date) -> int:
    """Refuse, with the reason, a redemption (or a place held by a planned session) that the
    package cannot pay; else uses so far. Places held by other planned sessions count as
    taken (the session asking must not hold one itself while it asks)."""
    used = used_count(session, package.id)
    name = {"name": package.name, "id": package.id}  # "package: NAME (id N)" in each message
    if package.client_id != client_id:
        raise RuleViolation("package: {name} (id {id}) belongs to another client", **name)
    if package.cancelled_on is not None:
        raise RuleViolation("package: {name} (id {id}) was cancelled on {date}",
                            **name, date=format_date(package.cancelled_on))
    if package.treatment_id != treatment_id:
        raise RuleViolation("package: {name} (id {id}) is for another treatment", **name)
    if on < package.sold_on:
        raise RuleViolation("package: {name} (id {id}) was sold after {date}",
                            **name, date=format_date(on))
    if on > package.expires_on:
        raise RuleViolation("package: {name} (id {id}) expired on {date}",
                            **name, date=format_date(package.expires_on))
    if used >= package.sessions_total:
        raise RuleViolation("package: {name} (id {id}) is used up "
                            "({used} of {total} sessions used)",
                            **name, used=used, total=package.sessions_total)
    planned = planned_count(session, package.id)
    if used + planned >= package.sessions_total:
        raise RuleViolation("package: {name} (id {id}) has no free place ({used} used and "
                            "{planned} planned of {total})",
                            **name, used=used, planned=planned, total=package.sessions_total)
    return used


def refund_for(session: Session, package: Package, policy: str) -> int:
    """What cancelling gives back, in cents, under the practice's policy."""
    used_sessions = session.scalars(
        select(TreatmentSession.price_cents)
        .where(TreatmentSession.package_id == package.id)
    ).all()
    used = len(used_sessions)
    if policy == CancelPolicy.NONE or used >= package.sessions_total:
        return 0
    if policy == CancelPolicy.SINGLE_PRICE:
        return max(package.price_cents - sum(used_sessions), 0)
    shares = allocate(package.price_cents, package.sessions_total)
    return sum(shares[used:])


def cancellation_refund(books: Books, package_id: int) -> int:
    """The refund cancelling would give now (to show before confirming)."""
    with books.db.read() as session:
        package = load_package(session, package_id)
        return refund_for(session, package, practice_info(session).cancel_policy)


def cancel_package(books: Books, package_id: int, on: date | None = None) -> PackageInfo:
    """Cancel: no more redemptions; the unused part is credited by a credit note."""
    with books.db.write() as session:
        package = load_package(session, package_id, lock=True)
        if package.cancelled_on is not None:
            raise RuleViolation(
                "package: {name} (id {id}) is already cancelled", name=package.name, id=package.id)
        when = on or books.clock.today()
        refund = refund_for(session, package, practice_info(session).cancel_policy)
        if refund > 0 and package.invoice_id is not None:
            original = session.get(Invoice, package.invoice_id)
            assert original is not None
            sale_line = session.scalars(
                select(InvoiceLine).where(
                    InvoiceLine.invoice_id == original.id, InvoiceLine.package_id == package.id
                )
            ).one()
            left = package.sessions_total - used_count(session, package.id)
            n_ = ngettext_for(original.language)
            text = n_("Cancelled: {name}, {n} unused treatment",
                      "Cancelled: {name}, {n} unused treatments", left
                      ).format(name=package.name, n=left)
            credit = credit_lines(session, books, original, {sale_line.id: refund}, on=when,
                                  description=text)
            package.cancel_invoice_id = credit.id
        package.cancelled_on = when
        for planned in session.scalars(select(TreatmentSession).where(
                TreatmentSession.reserved_package_id == package.id)):
            planned.reserved_package_id = None  # the appointment stays, to be invoiced
        session.flush()
        return package_info(session, package, books.clock.today())
