"""Parsers for identifiers and contact details: IBAN, KvK, btw-id, postcode, AGB and
performance codes, e-mail, phone. Checksums come from python-stdnum, imported when a number
is checked. Same contract as :mod:`ledger.base.parse`: raw text in, a typed value or an
:class:`~ledger.base.errors.InputError` naming the field out.
"""

from __future__ import annotations

import re

from ledger.base.errors import N_, InputError
from ledger.base.parse import required, shown

__all__ = [
    "format_iban",
    "parse_agb",
    "parse_email",
    "parse_iban",
    "parse_kvk",
    "parse_performance_code",
    "parse_phone",
    "parse_postcode",
    "parse_vat_id",
]


# ------------------------------------------------------------------------ identifiers


def _compact(text: str, separators: str) -> str:
    """``text`` without ``separators``, uppercased if ASCII (else left for the check to fail)."""
    text = re.sub(f"[{re.escape(separators)}]", "", text)
    return text.upper() if text.isascii() else text


def parse_iban(text: str, field: str = N_("IBAN")) -> str:
    from stdnum import iban as _iban  # python-stdnum: imported when a number is checked
    from stdnum.exceptions import InvalidChecksum, ValidationError

    """An IBAN, checked (``stdnum.iban``), returned compact: ``NL91ABNA0417164300``."""
    text = required(text, field)
    compact = _compact(text, " -")
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}", compact, re.ASCII):
        raise InputError(field, "{text} is not an IBAN", text=shown(text))
    try:
        return str(_iban.validate(compact))
    except InvalidChecksum:
        raise InputError(
            field, "{text} is not a valid IBAN (check for a typo)", text=shown(text)) from None
    except ValidationError:
        raise InputError(field, "{text} is not a valid IBAN", text=shown(text)) from None


def format_iban(iban: str) -> str:
    """An IBAN in groups of four: ``NL91 ABNA 0417 1643 00``."""
    from stdnum import iban as _iban

    return str(_iban.format(iban))


def parse_kvk(text: str, field: str = N_("KvK number")) -> str:
    """A Dutch Chamber of Commerce (KvK) number: 8 digits.

    python-stdnum has no ``nl.kvk`` module, and KvK numbers carry no check digit, so the
    format is all that can be checked.
    """
    text = required(text, field)
    compact = _compact(text, " .-")
    if not re.fullmatch(r"[0-9]{8}", compact, re.ASCII):
        raise InputError(field, "{text} is not a KvK number (8 digits)", text=shown(text))
    return compact


def parse_vat_id(text: str, field: str = N_("VAT id")) -> str:
    """A Dutch btw-id (``NL000099998B57``) or other EU VAT id, checked with stdnum."""
    from stdnum.eu import vat as _eu_vat
    from stdnum.exceptions import InvalidChecksum, ValidationError

    text = required(text, field)
    compact = _compact(text, " .-")
    if compact[:1].isdigit():
        compact = "NL" + compact  # a Dutch id typed without its country code
    if not re.fullmatch(r"[A-Z]{2}[A-Z0-9+*]{2,13}", compact, re.ASCII):
        raise InputError(field, "{text} is not a VAT id", text=shown(text))
    try:
        return str(_eu_vat.validate(compact))
    except InvalidChecksum:
        raise InputError(
            field, "{text} is not a valid VAT id (check for a typo)", text=shown(text)
        ) from None
    except ValidationError:
        raise InputError(field, "{text} is not a valid VAT id", text=shown(text)) from None


def parse_postcode(text: str, field: str = N_("postcode"), *, country: str = "NL") -> str:
    """A Dutch postcode as ``1234 AB``; for another country, any short code as typed."""
    from stdnum.exceptions import ValidationError
    from stdnum.nl import postcode as _nl_postcode

    text = required(text, field)
    if country.strip().upper() != "NL":
        text = " ".join(text.split())
        if len(text) > 12 or not re.fullmatch(r"[A-Za-z0-9 -]+", text, re.ASCII):
            raise InputError(field, "{text} is not a postcode", text=shown(text))
        return text
    compact = "".join(text.split())
    if not re.fullmatch(r"[0-9]{4}[A-Za-z]{2}", compact, re.ASCII):
        raise InputError(field, "{text} is not a Dutch postcode (1234 AB)", text=shown(text))
    try:
        return str(_nl_postcode.validate(compact))
    except ValidationError:
        raise InputError(
            field, "{text} is not a Dutch postcode (1234 AB)", text=shown(text)) from None


def parse_agb(text: str, field: str = N_("AGB code")) -> str:
    """A Vektis AGB code: 8 digits (spaces, dots and dashes are dropped)."""
    text = required(text, field)
    compact = _compact(text, " .-")
    if not re.fullmatch(r"[0-9]{8}", compact, re.ASCII):
        raise InputError(field, "{text} is not an AGB code (8 digits)", text=shown(text))
    return compact


def parse_performance_code(text: str, field: str = N_("performance code")) -> str:
    """A Vektis performance code (prestatiecode): 4 to 6 digits, e.g. ``24009``."""
    text = required(text, field)
    if not re.fullmatch(r"[0-9]{4,6}", text, re.ASCII):
        raise InputError(
            field, "{text} is not a performance code (4 to 6 digits)", text=shown(text))
    return text


# --------------------------------------------------------------------- contact details


def parse_email(text: str, field: str = N_("e-mail")) -> str:
    """An e-mail address (a sanity check, not RFC 5322); the domain is lowercased."""
    text = required(text, field)
    local, at, domain = text.rpartition("@")
    bad = any(ch.isspace() or not ch.isprintable() or ch in '<>()[]\\,;:"@' for ch in local)
    if (
        not at
        or bad
        or len(text) > 254
        or not 0 < len(local) <= 64
        or "." not in domain
        or not re.fullmatch(r"[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+", domain)
    ):
        raise InputError(field, "{text} is not an e-mail address", text=shown(text))
    return f"{local}@{domain.lower()}"


def parse_phone(text: str, field: str = N_("phone")) -> str:
    """A phone number: digits, spaces, ``+``, ``-``, parentheses; 6 to 20 digits."""
    text = required(text, field)
    text = " ".join(text.split())
    if not re.fullmatch(r"\+?[0-9 ()-]+", text, re.ASCII):
        raise InputError(field, "{text} is not a phone number", text=shown(text))
    digits = sum(ch.isdigit() for ch in text)
    if not 6 <= digits <= 20:
        raise InputError(field, "{text} is not a phone number (6 to 20 digits)", text=shown(text))
    return text
