"""Parsers for what a Dutch person types: amounts, dates and times, numbers, text.

Each parser takes the raw text and the name of the field (as the caller labels it) and
returns a typed value, or raises :class:`~ledger.base.errors.InputError` with a one-line
message in English. Nothing else escapes for any ``str``; a non-``str`` argument is a
programming error and raises :class:`TypeError`. Surrounding whitespace is ignored.
Identifiers (IBAN, KvK, btw-id, postcode, AGB, e-mail, phone) are in
:mod:`ledger.base.identifiers`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time, timedelta
from decimal import Decimal

from ledger.base.errors import N_, InputError
from ledger.base.money import format_money

__all__ = [
    "MAX_AMOUNT",
    "check_year",
    "is_plausible_year",
    "parse_amount",
    "parse_choice",
    "parse_date",
    "parse_int",
    "parse_language",
    "parse_name",
    "parse_text",
    "parse_time",
    "parse_vat_rate",
    "required",
    "shown",
]

#: The largest amount a user may type, in cents (ten million euros).
MAX_AMOUNT = 10_000_000_00

_SHOWN = 40
# Bidirectional overrides and isolates: legitimate RTL text does not need them, and they
# can make a name display as something else (Trojan Source).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def shown(text: str) -> str:
    """``text`` for a message: escaped (no raw control characters), at most ~40 chars."""
    out: list[str] = []
    length = 0
    for ch in text:
        piece = ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
        if length + len(piece) > _SHOWN:
            out.append("…")
            break
        out.append(piece)
        length += len(piece)
    return "".join(out)


def required(text: str, field: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{field}: expected str, not {type(text).__name__}")
    text = text.strip()
    if not text:
        raise InputError(field, "is required")
    return text


def _check_characters(text: str, field: str, *, newlines: bool) -> None:
    for ch in text:
        if ch == "\n" and newlines:
            continue
        if ch in "\n\r\v\f\x85\u2028\u2029":
            raise InputError(field, "must be a single line")
        if ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs"):
            raise InputError(field, "contains a control character ({ch})", ch=shown(ch))


# ---------------------------------------------------------------------------- amounts

_CURRENCY = r"(?:€|eur|euro)"
_AMOUNT = re.compile(
    rf"""(?P<sign1>[-+−])?\s*(?P<cur1>{_CURRENCY}\s*)?(?P<sign2>[-+−])?\s*
    (?P<number>[0-9][0-9.,]*|[.,][0-9]+)
    (?P<dash>[.,]-)?\s*(?P<cur2>{_CURRENCY})?""",
    re.ASCII | re.IGNORECASE | re.VERBOSE,
)
_WHOLE_EUROS = re.compile(r"[0-9]+|[1-9][0-9]{0,2}(?:\.[0-9]{3})+", re.ASCII)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " "})
_GROUPED = {
    ".": re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+", re.ASCII),
    ",": re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+", re.ASCII),
}


def _split_number(number: str) -> tuple[str, str] | None:
    """``(whole, decimals)`` digits of ``65``, ``1.234,56``, ``1,234.56``; None if malformed.

    The last separator is the decimal one, unless it is the only kind and occurs more than
    once (``1.234.567``), or it is a single dot before exactly three digits (``1.234``,
    Dutch thousands). The other separator may only group thousands.
    """
    last = max(number.rfind(","), number.rfind("."))
    kinds = {ch for ch in number if ch in ",."}
    decimal_sep = number[last] if last >= 0 else ""
    if len(kinds) == 1 and (
        number.count(decimal_sep) > 1
        or (decimal_sep == "." and len(number) - last == 4 and number[0] in "123456789")
    ):
        decimal_sep = ""
    if decimal_sep:
        whole, fraction = number[:last], number[last + 1 :]
        if not fraction:
            return None
    else:
        whole, fraction = number, ""
    for group_sep in kinds - {decimal_sep}:
        if not _GROUPED[group_sep].fullmatch(whole):
            return None
        whole = whole.replace(group_sep, "")
    if whole and not whole.isdigit():
        return None
    return whole or "0", fraction


def parse_amount(
    text: str, field: str = N_("amount"), *, allow_negative: bool = False, allow_zero: bool = True
) -> int:
    """Euros as typed (``65``, ``65,00``, ``€ 65,-``, ``1.234,56``) -> cents."""
    text = required(text, field)
    match = _AMOUNT.fullmatch(text.translate(_SPACES)) if len(text) <= 60 else None
    parts = None
    if (
        match is not None
        and not (match["sign1"] and match["sign2"])
        and not (match["cur1"] and match["cur2"])
        and not (match["dash"] and not _WHOLE_EUROS.fullmatch(match["number"]))
    ):
        parts = _split_number(match["number"])
    if match is None or parts is None:
        raise InputError(field, "{text} is not an amount", text=shown(text))
    whole, fraction = parts
    if len(fraction) > 2:
        raise InputError(field, "{text} has more than 2 decimals", text=shown(text))
    amount = int(whole[-12:]) * 100 + int(fraction.ljust(2, "0"))
    if len(whole.lstrip("0")) > 12 or amount > MAX_AMOUNT:
        limit = format_money(MAX_AMOUNT, "en")
        raise InputError(
            field, "{text} is too large (at most {limit})", text=shown(text), limit=limit)
    if (match["sign1"] or match["sign2"] or "+") in "-−":
        amount = -amount
    if amount < 0 and not allow_negative:
        raise InputError(field, "must not be negative")
    if amount == 0 and not allow_zero:
        raise InputError(field, "must not be zero")
    return amount


# ------------------------------------------------------------------------ dates, times

_MONTH_NAMES = (
    "januari january jan; februari february feb; maart march mrt maa mar; april apr; "
    "mei may; juni june jun; juli july jul; augustus august aug; september sep sept; "
    "oktober october okt oct; november nov; december dec"
)
_MONTHS = {
    name: number
    for number, names in enumerate(_MONTH_NAMES.split(";"), start=1)
    for name in names.split()
}
_RELATIVE = {"vandaag": 0, "today": 0, "gisteren": -1, "yesterday": -1, "morgen": 1, "tomorrow": 1}
_DMY = re.compile(r"([0-9]{1,2})([-/.])([0-9]{1,2})(?:\2([0-9]{4}|[0-9]{2}))?", re.ASCII)
_YMD = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})", re.ASCII)
_WORDS = re.compile(r"([0-9]{1,2})\.?\s+([a-z]+)\.?(?:\s+([0-9]{4}))?", re.ASCII)


FIRST_YEAR, LAST_YEAR = 1900, 2100


def is_plausible_year(year: int) -> bool:
    """The one rule for which years the books accept (typed dates, year reports, exports)."""
    return FIRST_YEAR <= year <= LAST_YEAR


def check_year(year: int, field: str = N_("year")) -> int:
    """``year`` if it is plausible, else an :class:`InputError` naming ``field``."""
    if not is_plausible_year(year):
        raise InputError(field, "{year} is not a year between 1900 and 2100", year=year)
    return year


def parse_date(text: str, field: str = N_("date"), *, today: date | None = None) -> date:
    """A date as typed (``24-11-2026``, ``2026-11-24``, ``24 nov 2026``, ``vandaag``)."""
    text = required(text, field)
    if today is None:
        today = date.today()
    key = " ".join(text.lower().split())
    if key in _RELATIVE:
        return today + timedelta(days=_RELATIVE[key])
    year: int | None
    if m := _YMD.fullmatch(key):
        year, month, day = int(m[1]), int(m[3]), int(m[4])
    elif m := _DMY.fullmatch(key):
        day, month = int(m[1]), int(m[3])
        year = None if m[4] is None else int(m[4]) + (2000 if len(m[4]) == 2 else 0)
    elif (m := _WORDS.fullmatch(key)) and m[2] in _MONTHS:
        day, month = int(m[1]), _MONTHS[m[2]]
        year = None if m[3] is None else int(m[3])
    else:
        raise InputError(field, "{text} is not a date (use dd-mm-yyyy)", text=shown(text))
    if year is None:
        year = today.year
    if not is_plausible_year(year):
        raise InputError(field, "{text}: the year must be between 1900 and 2100", text=shown(text))
    try:
        return date(year, month, day)
    except ValueError:
        raise InputError(field, "{text} is not a valid date", text=shown(text)) from None


_TIME = re.compile(
    r"(?:([0-9]{1,2})[:.]([0-9]{2})|([0-9]{1,2})([0-9]{2})|([0-9]{1,2}))\s*(?:u|uur|h)?",
    re.ASCII,
)


def parse_time(text: str, field: str = N_("time")) -> time:
    """A time of day as typed (``9:30``, ``09.30``, ``930``, ``14u``, ``14``)."""
    text = required(text, field)
    m = _TIME.fullmatch(text.lower())
    if m is None:
        raise InputError(field, "{text} is not a time (use hh:mm)", text=shown(text))
    hour = int(m[1] or m[3] or m[5])
    minute = int(m[2] or m[4] or 0)
    if hour > 23 or minute > 59:
        raise InputError(field, "{text} is not a valid time", text=shown(text))
    return time(hour, minute)


# ---------------------------------------------------------------------------- numbers


def parse_int(
    text: str, field: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """A whole number, optionally bounded (inclusive)."""
    text = required(text, field)
    if not re.fullmatch(r"[-+]?[0-9]+", text, re.ASCII):
        raise InputError(field, "{text} is not a whole number", text=shown(text))
    if len(text.lstrip("+-0")) > 18:
        raise InputError(field, "{text} is too large", text=shown(text))
    sign, digits = ("-", text[1:]) if text[0] in "+-" else ("", text)
    value = int(sign + (digits.lstrip("0") or "0"))
    if minimum is not None and value < minimum:
        raise InputError(field, "must be at least {minimum}", minimum=minimum)
    if maximum is not None and value > maximum:
        raise InputError(field, "must be at most {maximum}", maximum=maximum)
    return value


def parse_vat_rate(text: str, field: str = N_("VAT rate")) -> Decimal:
    """A VAT percentage (``21``, ``21%``, ``9``, ``0``, ``5,5``) between 0 and 100."""
    return parse_percentage(text, field)


def parse_percentage(text: str, field: str) -> Decimal:
    """A percentage (``21``, ``21%``, ``12,5 %``) between 0 and 100, at most two decimals."""
    text = required(text, field)
    m = re.fullmatch(r"([0-9]{1,3})(?:[.,]([0-9]{1,2}))?\s*%?", text, re.ASCII)
    if m is None:
        raise InputError(field, "{text} is not a percentage", text=shown(text))
    rate = Decimal(f"{m[1]}.{m[2] or '0'}")
    if rate > 100:
        raise InputError(field, "must be between 0 and 100")
    # 21 rather than 21.0; 5.5 rather than 5.50.
    return Decimal(int(rate)) if rate == int(rate) else rate.normalize()


# ------------------------------------------------------------------------------- text


def parse_name(text: str, field: str = N_("name"), *, max_length: int = 200) -> str:
    """A name: one line, no control characters, runs of spaces collapsed."""
    text = required(text, field)
    _check_characters(text, field, newlines=False)
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if len(text) > max_length:
        raise InputError(
            field, "is too long (at most {max_length} characters)", max_length=max_length)
    return text


_TEXT_BREAKS = str.maketrans(dict.fromkeys("\r\v\f\x85\u2028\u2029", "\n") | {"\t": " "})


def parse_text(
    text: str,
    field: str,
    *,
    max_length: int = 5000,
    allow_newlines: bool = True,
    required: bool = False,
) -> str:
    """Free text (notes, addresses); may be empty unless ``required``."""
    if not isinstance(text, str):
        raise TypeError(f"{field}: expected str, not {type(text).__name__}")
    text = text.replace("\r\n", "\n").translate(_TEXT_BREAKS).strip()
    if not text:
        if required:
            raise InputError(field, "is required")
        return ""
    _check_characters(text, field, newlines=allow_newlines)
    text = unicodedata.normalize("NFC", text)
    if len(text) > max_length:
        raise InputError(
            field, "is too long (at most {max_length} characters)", max_length=max_length)
    return text


def parse_choice(text: str, field: str, choices: dict[str, str]) -> str:
    """One of a fixed set: ``choices`` maps accepted spellings to canonical values."""
    text = required(text, field)
    key = " ".join(text.split()).casefold()
    for spelling, value in choices.items():
        if spelling.casefold() == key:
            return value
    options = ", ".join(dict.fromkeys(choices.values()))
    raise InputError(field, "{text} is not one of: {options}", text=shown(text), options=options)


_LANGUAGES = {
    **dict.fromkeys(["nl", "nederlands", "dutch"], "nl"),
    **dict.fromkeys(["en", "english", "engels"], "en"),
}


def parse_language(text: str, field: str = N_("language")) -> str:
    """A document language: ``nl`` or ``en`` (also ``Nederlands``, ``English``, ...)."""
    return parse_choice(text, field, _LANGUAGES)
