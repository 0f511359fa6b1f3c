"""Practice costs with their receipts, cost categories, and business kilometres.

A cost is entered as the receipt shows it: the amount including VAT and either the VAT on
it or the rate (then the VAT is computed from the gross amount, rounded half-up, the same
way as on invoices). The receipt file is copied into ``documents/receipts/YYYY/`` next to
the database, written atomically with mode 0600, and its SHA-256 is stored with the cost.
The copy is made before the cost is stored; if storing fails, the copy is removed again.

Kilometres keep the rate per km in force when the trip was logged (setting ``km_rate``,
€ 0,23 unless changed), so a later change of the rate does not revalue old trips.

The one kilometre rule (:func:`trip_amount`): each trip's allowance is its km times its
rate, rounded half-up to the cent, and every total of trips is the sum of those rounded
lines, never the rounded sum of unrounded amounts. So the lines listed in the workbook and
the CSV files always add up to the total in the summary, the annual report and
``report year``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.base import parse
from ledger.base.errors import N_, InputError, NotFound, RuleViolation
from ledger.base.forms import Field, parse_form
from ledger.base.money import format_money, round_cents, vat_from_gross
from ledger.books import Books
from ledger.practice.profile import get_setting, set_setting
from ledger.store.files import private_folder, write_atomic
from ledger.store.models.costs import COST_METHODS, Cost, CostCategory, KmTrip

KM_RATE_KEY = "km_rate"
KM_RATE_DEFAULT = 23  # cents per km (the untaxed allowance; a setting, "verify" yearly)
MAX_RECEIPT_BYTES = 50 * 1024 * 1024
METHODS = {
    "bank": "bank", "overboeking": "bank", "transfer": "bank", "pin": "pin",
    "card": "card", "kaart": "card", "creditcard": "card", "credit card": "card",
    "cash": "cash", "contant": "cash", "other": "other", "anders": "other",
}


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    key: str
    name: str
    active: bool


@dataclass(frozen=True)
class CostInfo:
    id: int
    date: date
    supplier: str
    description: str
    category_key: str
    category_name: str
    amount: int  # including VAT, cents
    vat: int
    vat_rate: Decimal | None
    method: str
    receipt_path: str | None  # relative to the data folder
    receipt_sha256: str | None

    @property
    def net(self) -> int:
        return self.amount - self.vat


@dataclass(frozen=True)
class TripInfo:
    id: int
    date: date
    km_tenths: int
    description: str
    rate: int  # cents per km

    @property
    def km(self) -> Decimal:
        return Decimal(self.km_tenths) / 10

    @property
    def amount(self) -> int:
        return trip_amount(self.km_tenths, self.rate)


def trip_amount(km_tenths: int, rate_cents: int) -> int:
    """The allowance of one trip in cents: tenths of a km times the rate per km, rounded
    half-up to the cent. A total of trips is the sum of these (see the module's note)."""
    return round_cents(Decimal(km_tenths * rate_cents) / 1000)


def parse_km(text: str, field: str = N_("km")) -> int:
    """A distance in km with at most one decimal (``12``, ``12,5``) -> tenths of a km."""
    text = text.strip()
    m = re.fullmatch(r"([0-9]{1,5})(?:[.,]([0-9]))?\s*(?:km)?", text, re.ASCII | re.I)
    if m is None:
        raise InputError(
            field, "{text!r} is not a distance in km (e.g. 12 or 12,5)", text=text[:20])
    tenths = int(m[1]) * 10 + int(m[2] or 0)
    if tenths <= 0:
        raise InputError(field, "must be more than 0")
    return tenths


COST_FIELDS: dict[str, Field] = {
    "date": Field(N_("date"), parse.parse_date, blank=None),
    "supplier": Field(N_("supplier"), lambda raw, label: parse.parse_name(raw, label), blank=None),
    "description": Field(N_("description"),
                         lambda raw, label: parse.parse_name(raw, label, max_length=500)),
    "category": Field(N_("category"), lambda raw, label: raw.strip(), blank=None),
    "amount": Field(N_("amount"), lambda raw, label: parse.parse_amount(
        raw, label, allow_negative=True, allow_zero=False), blank=None),
    "vat": Field(N_("VAT"), lambda raw, label: parse.parse_amount(raw, label, allow_negative=True),
                 blank=None),
    "vat_rate": Field(N_("VAT rate"), parse.parse_vat_rate, blank=None),
    "method": Field(N_("method"), lambda raw, label: parse.parse_choice(raw, label, METHODS),
                    blank="bank"),
    "receipt": Field(N_("receipt"), lambda raw, label: raw.strip(), blank=None),
}


# ---------------------------------------------------------------------------- categories
def _category_info(c: CostCategory) -> CategoryInfo:
    return CategoryInfo(c.id, c.key, c.name, c.active)


def list_categories(books: Books, *, include_inactive: bool = False) -> list[CategoryInfo]:
    query = select(CostCategory).order_by(CostCategory.position, CostCategory.id)
    if not include_inactive:
        query = query.where(CostCategory.active.is_(True))
    with books.db.read() as session:
        return [_category_info(c) for c in session.scalars(query)]


def find_category(session: Session, text: str) -> CostCategory:
    """A category by key (``rent``), Dutch name (``Huur behandelruimte``) or id."""
    key = " ".join(text.split()).casefold()
    for category in session.scalars(select(CostCategory).order_by(CostCategory.position)):
        if key in (category.key.casefold(), category.name.casefold(), str(category.id)):
            return category
    raise InputError(
        "category", "{text!r} is not a category (see `solebook cost categories`)",
        text=text[:40])


def save_category(books: Books, key: str, name: str, *, active: bool = True) -> CategoryInfo:
    """Rename a category, or add one with a new key (keys are short English words)."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", key, re.ASCII):
        raise InputError("key", "use lower-case letters, digits and _ (e.g. software)")
    name = parse.parse_name(name, N_("name"), max_length=100)
    with books.db.write() as session:
        category = session.scalars(select(CostCategory).where(CostCategory.key == key)).first()
        if category is None:
            last = session.scalar(select(func.max(CostCategory.position))) or 0
            category = CostCategory(key=key, name=name, position=last + 1, active=active)
            session.add(category)
        else:
            category.name, category.active = name, active
        session.flush()
        return _category_info(category)


# ---------------------------------------------------------------------------- receipts
def _safe_name(name: str) -> str:
    stem, suffix = os.path.splitext(name)
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_stem).strip("-")[:60] or "receipt"
    suffix = re.sub(r"[^A-Za-z0-9.]", "", suffix)[:10].lower()
    return stem + suffix


def store_receipt(books: Books, source: Path, on: date) -> tuple[str, str, bool]:
    """Copy a receipt into the documents folder; returns (path relative to the data
    folder, sha256, whether a new file was written). The same file stored twice for the
    same day is kept once."""
    try:
        if not source.is_file():
            raise InputError("receipt", "{source} is not a file", source=source)
        if source.stat().st_size > MAX_RECEIPT_BYTES:
            raise InputError("receipt", "{name} is larger than 50 MB", name=source.name)
        data = source.read_bytes()
    except OSError as exc:
        raise InputError(
            "receipt", "cannot read {source}: {strerror}",
            source=source, strerror=exc.strerror) from exc
    digest = hashlib.sha256(data).hexdigest()
    folder = books.db.documents_dir / "receipts" / f"{on.year:04d}"
    private_folder(folder)
    target = folder / f"{on.isoformat()}_{digest[:12]}_{_safe_name(source.name)}"
    fresh = not (target.is_file()
                 and hashlib.sha256(target.read_bytes()).hexdigest() == digest)
    if fresh:
        write_atomic(target, data, 0o600, field="receipt")
    return target.relative_to(books.db.data_dir).as_posix(), digest, fresh


def receipt_file(books: Books, relative: str) -> Path:
    return books.db.data_dir / relative


# ---------------------------------------------------------------------------- costs
def _cost_info(c: Cost) -> CostInfo:
    return CostInfo(
        id=c.id, date=c.date, supplier=c.supplier, description=c.description,
        category_key=c.category.key, category_name=c.category.name, amount=c.amount_cents,
        vat=c.vat_cents, vat_rate=c.vat_rate, method=c.method, receipt_path=c.receipt_path,
        receipt_sha256=c.receipt_sha256,
    )


def _vat(values: dict[str, Any]) -> tuple[int, Decimal | None]:
    amount: int = values["amount"]
    if "vat" in values and "vat_rate" in values:
        raise InputError("VAT", "give the VAT amount or the VAT rate, not both")
    if "vat_rate" in values:
        rate: Decimal = values["vat_rate"]
        return vat_from_gross(amount, rate), rate
    vat: int = values.get("vat", 0)
    if (amount > 0 and not 0 <= vat <= amount) or (amount < 0 and not amount <= vat <= 0):
        raise InputError("VAT", "must lie between 0 and the amount (and have its sign)")
    return vat, None


def add_cost(books: Books, raw: dict[str, str | None]) -> CostInfo:
    """Record a cost from typed text; ``receipt`` is a path to the file to attach."""
    values = parse_form(COST_FIELDS, {k: v for k, v in raw.items() if v is not None})
    for key in ("date", "supplier", "category", "amount"):
        if key not in values:
            raise InputError(COST_FIELDS[key].label, "is required")
    vat, rate = _vat(values)
    if values.get("method", "bank") not in COST_METHODS:
        raise InputError("method", "must be one of {items}", items=", ".join(COST_METHODS))
    with books.db.read() as session:  # check before copying anything
        find_category(session, values["category"])
    receipt: tuple[str, str, bool] | None = None
    if values.get("receipt"):
        receipt = store_receipt(books, Path(values["receipt"]).expanduser(), values["date"])
    try:
        with books.db.write() as session:
            category = find_category(session, values["category"])
            if not category.active:
                raise RuleViolation("category: {name} is no longer in use", name=category.name)
            cost = Cost(
                date=values["date"], supplier=values["supplier"],
                description=values.get("description", ""), category_id=category.id,
                amount_cents=values["amount"], vat_cents=vat, vat_rate=rate,
                method=values.get("method", "bank"),
                receipt_path=receipt[0] if receipt else None,
                receipt_sha256=receipt[1] if receipt else None,
                created_at=books.clock.now(),
            )
            session.add(cost)
            session.flush()
            return _cost_info(cost)
    except BaseException:
        if receipt is not None and receipt[2]:
            _forget_receipt(books, receipt[0])
        raise


def _forget_receipt(books: Books, relative: str) -> None:
    """Remove a receipt copy that no stored cost refers to (after a failed insert)."""
    with books.db.read() as session:
        used = session.scalar(select(func.count()).where(Cost.receipt_path == relative))
    if not used:
        with contextlib.suppress(OSError):
            receipt_file(books, relative).unlink()


def list_costs(books: Books, year: int | None = None) -> list[CostInfo]:
    query = select(Cost).order_by(Cost.date, Cost.id)
    if year is not None:
        query = query.where(Cost.date >= date(year, 1, 1), Cost.date <= date(year, 12, 31))
    with books.db.read() as session:
        return [_cost_info(c) for c in session.scalars(query)]


def get_cost(books: Books, cost_id: int) -> CostInfo:
    with books.db.read() as session:
        cost = session.get(Cost, cost_id)
        if cost is None:
            raise NotFound("cost: there is no cost with id {cost_id}", cost_id=cost_id)
        return _cost_info(cost)


# ---------------------------------------------------------------------------- kilometres
def km_rate(session: Session) -> int:
    """The rate per business km in cents (setting ``km_rate``, default 23)."""
    value = get_setting(session, KM_RATE_KEY, "")
    return int(value) if value.isdigit() else KM_RATE_DEFAULT


def get_km_rate(books: Books) -> int:
    with books.db.read() as session:
        return km_rate(session)


def set_km_rate(books: Books, cents: int) -> None:
    if not 0 <= cents <= 1000:
        raise InputError(
            "rate", "must lie between {low} and {high} per km",
            low=format_money(0), high=format_money(1000))
    set_setting(books, KM_RATE_KEY, str(cents))


def _trip_info(t: KmTrip) -> TripInfo:
    return TripInfo(t.id, t.date, t.km_tenths, t.description, t.rate_cents)


def add_trip(books: Books, on: date, km_tenths: int, description: str) -> TripInfo:
    description = parse.parse_name(description, N_("description"), max_length=300)
    if km_tenths <= 0:
        raise InputError("km", "must be more than 0")
    with books.db.write() as session:
        trip = KmTrip(date=on, km_tenths=km_tenths, description=description,
                      rate_cents=km_rate(session), created_at=books.clock.now())
        session.add(trip)
        session.flush()
        return _trip_info(trip)


def list_trips(books: Books, year: int | None = None) -> list[TripInfo]:
    query = select(KmTrip).order_by(KmTrip.date, KmTrip.id)
    if year is not None:
        query = query.where(KmTrip.date >= date(year, 1, 1), KmTrip.date <= date(year, 12, 31))
    with books.db.read() as session:
        return [_trip_info(t) for t in session.scalars(query)]
