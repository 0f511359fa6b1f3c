"""The treatment catalogue and the package plans (series) offered for sale.

A price change only affects what is recorded afterwards: sessions and packages keep the
price they were recorded or sold at.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.base import identifiers, parse
from ledger.base.errors import N_, InputError, NotFound
from ledger.base.forms import Field, parse_form
from ledger.base.views import PlanInfo, TreatmentInfo
from ledger.books import Books
from ledger.store.models import PackagePlan, Treatment

DEFAULT_VAT = Decimal(21)

TREATMENT_FIELDS: dict[str, Field] = {
    "name": Field(N_("name"), lambda raw, label: parse.parse_name(raw, label), blank=None),
    "price": Field(N_("price"), parse.parse_amount, blank=None),
    "vat_rate": Field(N_("VAT rate"), parse.parse_vat_rate, blank=None),
    "duration_min": Field(
        N_("duration"), lambda raw, label: parse.parse_int(raw, label, minimum=1, maximum=600),
        blank=None,
    ),
    "performance_code": Field(N_("performance code"), identifiers.parse_performance_code),
}

PLAN_FIELDS: dict[str, Field] = {
    "name": Field(N_("name"), lambda raw, label: parse.parse_name(raw, label), blank=None),
    "treatment_id": Field(
        N_("treatment"), lambda raw, label: parse.parse_int(raw, label, minimum=1), blank=None
    ),
    "sessions": Field(
        N_("sessions"), lambda raw, label: parse.parse_int(raw, label, minimum=1, maximum=100),
        blank=None,
    ),
    "price": Field(N_("price"), parse.parse_amount, blank=None),
    "valid_days": Field(
        N_("valid days"), lambda raw, label: parse.parse_int(raw, label, minimum=1, maximum=3660),
        blank=None,
    ),
}


def treatment_info(t: Treatment) -> TreatmentInfo:
    return TreatmentInfo(
        id=t.id, name=t.name, duration_min=t.duration_min, price=t.price_cents,
        vat_rate=t.vat_rate, performance_code=t.performance_code, active=t.active,
    )


def plan_info(p: PackagePlan) -> PlanInfo:
    return PlanInfo(
        id=p.id, name=p.name, treatment_id=p.treatment_id, treatment_name=p.treatment.name,
        sessions=p.sessions, price=p.price_cents, valid_days=p.valid_days, active=p.active,
    )


def load_treatment(session: Session, treatment_id: int) -> Treatment:
    treatment = session.get(Treatment, treatment_id)
    if treatment is None:
        raise NotFound(
            "treatment: there is no treatment with id {treatment_id}", treatment_id=treatment_id)
    return treatment


def load_plan(session: Session, plan_id: int) -> PackagePlan:
    plan = session.get(PackagePlan, plan_id)
    if plan is None:
        raise NotFound("plan: there is no package plan with id {plan_id}", plan_id=plan_id)
    return plan


def add_treatment(books: Books, raw: dict[str, str | None]) -> TreatmentInfo:
    values = parse_form(TREATMENT_FIELDS, raw)
    for key in ("name", "price"):
        if key not in values:
            raise InputError(TREATMENT_FIELDS[key].label, "is required")
    with books.db.write() as session:
        treatment = Treatment(
            name=values["name"],
            price_cents=values["price"],
            vat_rate=values.get("vat_rate", DEFAULT_VAT),
            duration_min=values.get("duration_min", 60),
            performance_code=values.get("performance_code", ""),
            active=True,
        )
        session.add(treatment)
        session.flush()
        return treatment_info(treatment)


def update_treatment(
    books: Books, treatment_id: int, raw: dict[str, str | None], *, active: bool | None = None
) -> TreatmentInfo:
    values = parse_form(TREATMENT_FIELDS, raw)
    with books.db.write() as session:
        treatment = load_treatment(session, treatment_id)
        for key, value in values.items():
            setattr(treatment, "price_cents" if key == "price" else key, value)
        if active is not None:
            treatment.active = active
        return treatment_info(treatment)


def list_treatments(books: Books, *, include_inactive: bool = False) -> list[TreatmentInfo]:
    query = select(Treatment).order_by(Treatment.name, Treatment.id)
    if not include_inactive:
        query = query.where(Treatment.active.is_(True))
    with books.db.read() as session:
        return [treatment_info(t) for t in session.scalars(query)]


def get_treatment(books: Books, treatment_id: int) -> TreatmentInfo:
    with books.db.read() as session:
        return treatment_info(load_treatment(session, treatment_id))


def add_plan(books: Books, raw: dict[str, str | None]) -> PlanInfo:
    values = parse_form(PLAN_FIELDS, raw)
    for key in ("name", "treatment_id", "sessions", "price"):
        if key not in values:
            raise InputError(PLAN_FIELDS[key].label, "is required")
    with books.db.write() as session:
        load_treatment(session, values["treatment_id"])
        plan = PackagePlan(
            name=values["name"],
            treatment_id=values["treatment_id"],
            sessions=values["sessions"],
            price_cents=values["price"],
            valid_days=values.get("valid_days", 365),
            active=True,
        )
        session.add(plan)
        session.flush()
        session.refresh(plan)
        return plan_info(plan)


def list_plans(books: Books, *, include_inactive: bool = False) -> list[PlanInfo]:
    query = select(PackagePlan).order_by(PackagePlan.name, PackagePlan.id)
    if not include_inactive:
        query = query.where(PackagePlan.active.is_(True))
    with books.db.read() as session:
        return [plan_info(p) for p in session.scalars(query)]
