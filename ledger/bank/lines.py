"""What every statement format is read into: a :class:`StatementLine` per booking, with a
signed amount in cents (money in is positive), and the small readers of amounts and dates
that the formats share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from ledger.base.errors import N_, InputError, Phrase
from ledger.base.money import cents

FIELD = N_("file")
MAX_AMOUNT_CENTS = 1_000_000_000  # € 10.000.000: more is never a payment to this practice
_AMOUNT = re.compile(r"[+-]?[0-9]{1,15}(?:\.[0-9]{1,4})?")
_CENTS = re.compile(r"([+-]?)([0-9]{1,15})(?:\.([0-9]{1,2}))?")  # whole cents: no rounding


class StatementLine(NamedTuple):  # a tuple: made 100,000 times for a large statement
    bank: str  # camt053, ing, rabobank, abnamro
    account: str  # the practice's own account
    booking_date: date
    value_date: date | None
    amount: int  # cents; money received is positive
    currency: str
    counterparty_name: str
    counterparty_iban: str
    description: str
    bank_ref: str  # the bank's reference for the payment (end-to-end id, sequence number)
    key_basis: str  # what identifies the line within the account
    import_key: str = ""
    identity: str = ""  # the same payment in any format (see formats.identity_basis)


@dataclass(frozen=True)
class Statement:
    format: str
    lines: tuple[StatementLine, ...]


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


def amount_cents(text: str, where: Phrase) -> int:
    """``65,00`` / ``+65,00`` / ``-1.234,56`` / ``65.00`` -> cents."""
    raw = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    if raw.endswith("-") and _AMOUNT.fullmatch(raw[:-1]):  # 23,10- (a debit mark after it)
        raw = "-" + raw[:-1]
    plain = _CENTS.fullmatch(raw)
    if plain:  # the usual case, exact in integers (what cents(Decimal(raw)) gives)
        sign, whole, fraction = plain.groups()
        value = int(whole) * 100 + int((fraction or "").ljust(2, "0"))
        if sign == "-":
            value = -value
        if value > MAX_AMOUNT_CENTS or value < -MAX_AMOUNT_CENTS:
            raise InputError(FIELD, "{where}: {text} is more than € 10.000.000, which is not "
                                    "a payment solebook books", where=where,
                             text=text.strip()[:30])
        return value
    try:
        if not _AMOUNT.fullmatch(raw):
            raise ValueError(raw)
        value = cents(Decimal(raw))
    except (InvalidOperation, ValueError, ArithmeticError):
        raise InputError(
            FIELD, "{where}: {text!r} is not an amount",
            where=where, text=text.strip()[:30]) from None
    if abs(value) > MAX_AMOUNT_CENTS:
        raise InputError(FIELD, "{where}: {text} is more than € 10.000.000, which is not a "
                                "payment solebook books", where=where, text=text.strip()[:30])
    return value


_ISO_DAYS: dict[str, date] = {}


def statement_date(text: str, where: Phrase) -> date:
    raw = text.strip()
    if len(raw) >= 10 and raw[4] == "-" and raw[7] == "-":  # ISO, the usual case: fast
        day = _ISO_DAYS.get(raw[:10])
        if day is not None:
            return day
        try:
            day = date.fromisoformat(raw[:10])
        except ValueError:
            pass
        else:
            if len(_ISO_DAYS) < 4096:  # one object per day for a whole statement, bounded
                _ISO_DAYS[raw[:10]] = day
            return day
    for candidate in (raw, raw[:10]):
        for pattern in ("%Y%m%d", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
            try:
                return datetime.strptime(candidate, pattern).date()
            except ValueError:
                continue
    raise InputError(FIELD, "{where}: {raw!r} is not a date", where=where, raw=raw[:30])


def describe(line: StatementLine) -> dict[str, Any]:
    """A line as plain data (for JSON and tests)."""
    return {"date": line.booking_date.isoformat(), "amount": line.amount,
            "name": line.counterparty_name, "iban": line.counterparty_iban,
            "description": line.description, "reference": line.bank_ref,
            "account": line.account}
