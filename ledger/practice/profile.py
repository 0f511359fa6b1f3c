"""The practice profile: who issues the invoices, under which VAT regime, how numbered."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import fields as dataclass_fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.base import identifiers, parse
from ledger.base.errors import N_, InputError, StorageError
from ledger.base.forms import Field, parse_form
from ledger.base.views import PracticeInfo
from ledger.books import Books
from ledger.store.models import InvoiceSequence, Practice, Setting, Therapist

EXEMPT_TEXT = "Vrijgesteld van btw op grond van art. 11 lid 1 sub g Wet OB"
KOR_TEXT = "Vrijgesteld van btw op grond van de kleineondernemersregeling (KOR)"
REGIMES = {"standard": "standard", "exempt": "exempt", "kor": "kor", "vrijgesteld": "exempt"}
CANCEL_POLICIES = {"pro_rata": "pro_rata", "pro-rata": "pro_rata", "single_price": "single_price",
                   "none": "none"}
DEFAULT_PATTERN = "{year}-{seq:04d}"


def parse_number_pattern(text: str, field: str = N_("number pattern")) -> str:
    """An invoice number pattern such as ``{year}-{seq:04d}`` or ``F{year}{seq:05d}``."""
    pattern = text.strip()
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as exc:
        raise InputError(
            field, "{pattern!r} is not a valid pattern ({exc})", pattern=pattern, exc=exc) from exc
    if "seq" not in names:
        raise InputError(field, "must contain {seq}, e.g. {year}-{seq:04d}")
    if names - {"seq", "year"}:
        raise InputError(field, "may only use {year} and {seq}")
    try:
        sample = pattern.format(year=2026, seq=1)
    except (ValueError, KeyError, IndexError) as exc:
        raise InputError(
            field, "{pattern!r} is not a valid pattern ({exc})", pattern=pattern, exc=exc) from exc
    if not sample or len(sample) > 40:
        raise InputError(field, "gives numbers that are empty or longer than 40 characters")
    return pattern


def format_number(pattern: str, year: int, seq: int) -> str:
    return pattern.format(year=year, seq=seq)


def series_for(pattern: str, year: int) -> str:
    """Numbers restart each year when the pattern holds the year; otherwise one series."""
    return str(year) if "{year" in pattern else "all"


def next_number(pattern: str, year: int, last_by_series: Mapping[str, int]) -> str:
    """The number the next invoice of ``year`` gets under ``pattern``, given the last number
    used in each series (:func:`last_numbers`): what the settings show as an example."""
    return format_number(pattern, year, last_by_series.get(series_for(pattern, year), 0) + 1)


def last_numbers(books: Books) -> dict[str, int]:
    """The last sequence number used in each series (``2026``, or ``all``)."""
    with books.db.read() as session:
        return {row.series: row.last_seq for row in session.scalars(select(InvoiceSequence))}


def _text(max_length: int) -> Any:
    return lambda raw, label: parse.parse_name(raw, label, max_length=max_length)


PRACTICE_FIELDS: dict[str, Field] = {
    "name": Field(N_("name"), _text(200)),
    "address": Field(N_("address"), _text(200)),
    "postcode": Field(N_("postcode"), identifiers.parse_postcode),
    "city": Field(N_("city"), _text(100)),
    "email": Field(N_("e-mail"), identifiers.parse_email),
    "phone": Field(N_("phone"), identifiers.parse_phone),
    "kvk": Field(N_("KvK number"), identifiers.parse_kvk),
    "vat_id": Field(N_("VAT id"), identifiers.parse_vat_id),
    "iban": Field(N_("IBAN"), identifiers.parse_iban),
    "account_holder": Field(N_("account holder"), _text(200)),
    "agb_practice": Field(N_("practice AGB code"), identifiers.parse_agb),
    "agb_therapist": Field(N_("therapist AGB code"), identifiers.parse_agb),
    "therapist_name": Field(N_("therapist name"), _text(200)),
    "association": Field(N_("association"), _text(100)),
    "membership_number": Field(N_("membership number"), _text(40)),
    "register_number": Field(N_("register number"), _text(60)),
    "vat_regime": Field(
        N_("VAT regime"), lambda raw, label: parse.parse_choice(raw, label, REGIMES), blank=None
    ),
    "exempt_text": Field(N_("exemption text"), _text(300), blank=EXEMPT_TEXT),
    "kor_text": Field(N_("KOR text"), _text(300), blank=KOR_TEXT),
    "payment_term": Field(
        N_("payment term"),
        lambda raw, label: parse.parse_int(raw, label, minimum=0, maximum=365),
        blank=None,
    ),
    "number_pattern": Field(N_("number pattern"), parse_number_pattern, blank=DEFAULT_PATTERN),
    "language": Field(N_("language"), parse.parse_language, blank=None),
    "cancel_policy": Field(
        N_("cancel policy"),
        lambda raw, label: parse.parse_choice(raw, label, CANCEL_POLICIES),
        blank=None,
    ),
}

THERAPIST_COLUMNS = {
    "agb_therapist": "agb_code",
    "therapist_name": "name",
    "association": "association",
    "membership_number": "membership_number",
    "register_number": "register_number",
}
PRACTICE_COLUMNS = {"payment_term": "payment_term_days"}


def practice_rows(session: Session) -> tuple[Practice, Therapist]:
    """The practice row and its (first) therapist; the first migration creates both."""
    practice = session.get(Practice, 1)
    therapist = session.scalars(select(Therapist).order_by(Therapist.id).limit(1)).first()
    if practice is None or therapist is None:
        raise StorageError("database: the practice profile is missing")
    return practice, therapist


def _info(practice: Practice, therapist: Therapist) -> PracticeInfo:
    return PracticeInfo(
        name=practice.name, address=practice.address, postcode=practice.postcode,
        city=practice.city, country=practice.country, email=practice.email,
        phone=practice.phone, kvk=practice.kvk, vat_id=practice.vat_id, iban=practice.iban,
        account_holder=practice.account_holder, agb_practice=practice.agb_practice,
        agb_therapist=therapist.agb_code, therapist_name=therapist.name,
        association=therapist.association, membership_number=therapist.membership_number,
        register_number=therapist.register_number, vat_regime=practice.vat_regime,
        exempt_text=practice.exempt_text or EXEMPT_TEXT, kor_text=practice.kor_text or KOR_TEXT,
        payment_term=practice.payment_term_days, number_pattern=practice.number_pattern,
        language=practice.language, cancel_policy=practice.cancel_policy,
    )


def practice_info(session: Session) -> PracticeInfo:
    """The profile as it is now, inside an open transaction."""
    return _info(*practice_rows(session))


def get_practice(books: Books) -> PracticeInfo:
    with books.db.read() as session:
        return practice_info(session)


def update_practice(books: Books, raw: dict[str, str | None]) -> PracticeInfo:
    """Change any subset of the profile from typed text; all or nothing."""
    values = parse_form(PRACTICE_FIELDS, raw)
    with books.db.write() as session:
        practice, therapist = practice_rows(session)
        for key, value in values.items():
            if key in THERAPIST_COLUMNS:
                setattr(therapist, THERAPIST_COLUMNS[key], value)
            else:
                setattr(practice, PRACTICE_COLUMNS.get(key, key), value)
        practice.updated_at = books.clock.now()
        session.flush()
        return _info(practice, therapist)


def get_setting(session: Session, key: str, default: str = "") -> str:
    row = session.get(Setting, key)
    return row.value if row is not None else default


def set_setting(books: Books, key: str, value: str) -> None:
    with books.db.write() as session:
        put_settings(session, {key: value})


def put_settings(session: Session, values: Mapping[str, str]) -> None:
    """Store settings (key: text) inside an open transaction, adding the ones not set yet."""
    for key, value in values.items():
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
    session.flush()


def snapshot(info: PracticeInfo) -> dict[str, Any]:
    """What an issued invoice keeps of the practice, as it was at that moment."""
    return {f.name: getattr(info, f.name) for f in dataclass_fields(info)}
