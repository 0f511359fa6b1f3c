"""Changing or removing a cost or a trip, and the trip form's fields.

A cost is changed with the same checks as when it was recorded (``add_cost``): the fields
of ``COST_FIELDS``, the VAT between 0 and the amount, a category in use. A new receipt is
copied in before the change is stored; the copy it replaces, like the copy of a removed
cost, is deleted once no stored cost refers to it any more.

A changed trip keeps the rate per km it was logged with (the rate in force then), so
correcting a date or a distance never revalues it at today's rate; its allowance is always
:func:`ledger.costs.entries.trip_amount`.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from ledger.base import parse
from ledger.base.errors import N_, InputError, NotFound, RuleViolation
from ledger.base.forms import Field, parse_form
from ledger.books import Books
from ledger.costs.entries import (
    COST_FIELDS,
    CostInfo,
    TripInfo,
    _cost_info,
    _forget_receipt,
    _trip_info,
    _vat,
    add_trip,
    find_category,
    parse_km,
    store_receipt,
)
from ledger.store.models.costs import COST_METHODS, Cost, KmTrip

TRIP_FIELDS: dict[str, Field] = {
    "date": Field(N_("date"), parse.parse_date, blank=None),
    "km": Field(N_("km"), parse_km, blank=None),
    "description": Field(N_("description"),
                         lambda raw, label: parse.parse_name(raw, label, max_length=300),
                         blank=None),
}


def update_cost(books: Books, cost_id: int, raw: dict[str, str | None]) -> CostInfo:
    """Change a cost from typed text (every field as on the form; an empty ``receipt``
    keeps the receipt it has)."""
    values = parse_form(COST_FIELDS, {k: v for k, v in raw.items() if v is not None})
    for key in ("date", "supplier", "category", "amount"):
        if key not in values:
            raise InputError(COST_FIELDS[key].label, "is required")
    vat, rate = _vat(values)
    if values.get("method", "bank") not in COST_METHODS:
        raise InputError("method", "must be one of {items}", items=", ".join(COST_METHODS))
    with books.db.read() as session:  # check before copying anything
        _cost(session, cost_id)
        find_category(session, values["category"])
    receipt: tuple[str, str, bool] | None = None
    if values.get("receipt"):
        receipt = store_receipt(books, Path(values["receipt"]).expanduser(), values["date"])
    old_receipt: str | None = None
    try:
        with books.db.write() as session:
            cost = _cost(session, cost_id)
            category = find_category(session, values["category"])
            if category.id != cost.category_id and not category.active:
                raise RuleViolation("category: {name} is no longer in use", name=category.name)
            cost.date, cost.supplier = values["date"], values["supplier"]
            cost.description = values.get("description", "")
            cost.category_id = category.id
            cost.amount_cents, cost.vat_cents, cost.vat_rate = values["amount"], vat, rate
            cost.method = values.get("method", "bank")
            if receipt is not None and receipt[0] != cost.receipt_path:
                old_receipt = cost.receipt_path
                cost.receipt_path, cost.receipt_sha256 = receipt[0], receipt[1]
            session.flush()
            session.refresh(cost)
            info = _cost_info(cost)
    except BaseException:
        if receipt is not None and receipt[2]:
            _forget_receipt(books, receipt[0])
        raise
    if old_receipt:
        _forget_receipt(books, old_receipt)
    return info


def delete_cost(books: Books, cost_id: int) -> CostInfo:
    """Remove a cost (one recorded by mistake); its receipt copy goes with it."""
    with books.db.write() as session:
        cost = _cost(session, cost_id)
        info = _cost_info(cost)
        session.delete(cost)
    if info.receipt_path:
        _forget_receipt(books, info.receipt_path)
    return info


def _cost(session: Session, cost_id: int) -> Cost:
    cost = session.get(Cost, cost_id)
    if cost is None:
        raise NotFound("cost: there is no cost with id {cost_id}", cost_id=cost_id)
    return cost


def save_trip(books: Books, raw: dict[str, str | None], trip_id: int | None = None
              ) -> TripInfo:
    """Log a trip from typed text, or change trip ``trip_id`` (which keeps its rate)."""
    values = parse_form(TRIP_FIELDS, {k: v for k, v in raw.items() if v is not None})
    for key in TRIP_FIELDS:
        if key not in values:
            raise InputError(TRIP_FIELDS[key].label, "is required")
    if trip_id is None:
        return add_trip(books, values["date"], values["km"], values["description"])
    with books.db.write() as session:
        trip = _trip(session, trip_id)
        trip.date, trip.km_tenths = values["date"], values["km"]
        trip.description = values["description"]
        session.flush()
        return _trip_info(trip)


def delete_trip(books: Books, trip_id: int) -> TripInfo:
    with books.db.write() as session:
        trip = _trip(session, trip_id)
        info = _trip_info(trip)
        session.delete(trip)
        return info


def _trip(session: Session, trip_id: int) -> KmTrip:
    trip = session.get(KmTrip, trip_id)
    if trip is None:
        raise NotFound("km: there is no trip with id {trip_id}", trip_id=trip_id)
    return trip
