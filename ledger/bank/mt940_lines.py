"""What a line of an MT940 statement says, once the ``mt-940`` library has read its tags:
the account of the statement (``:25:``) and each transaction (``:61:`` with its ``:86:``)
as a :class:`StatementLine`. The ``:86:`` field is free text that each Dutch bank fills
its own way; :func:`details` reads the banks' variants into payer, counter-account,
reference and text:

- structured with slashes (ABN AMRO, ING, Rabobank, Knab): ``/TRTP/.../IBAN/...``,
  ``/CNTP/iban/bic/name/city/``, ``/NAME/``, ``/REMI/`` (``USTD//text`` or plain),
  ``/EREF/``, ``/ORDP//NAME/`` and ``/BENM//NAME/``;
- Triodos: ``>20`` ... ``>29`` text, ``>31`` counter-account, ``>32``/``>33`` name;
- unstructured (SNS, ASN, older ABN AMRO): the counter-IBAN first, then the name, then
  the text; or ``IBAN: .. Naam: .. Omschrijving: ..`` labels.

How the file is read (in pieces, with the library) is :mod:`ledger.bank.mt940`.
"""

from __future__ import annotations

import re
from datetime import date

from ledger.bank.lines import FIELD, StatementLine, amount_cents, squash
from ledger.base.errors import InputError, Phrase

IBAN = re.compile(r"\b([A-Z]{2}[0-9]{2}[A-Z0-9]{11,30})\b")
_SLASH_TAG = re.compile(r"/(TRTP|IBAN|BIC|NAME|REMI|EREF|CSID|MARF|ORDP|BENM|ADDR|ID|CNTP|"
                        r"PREF|RTRN|ULTC|ULTD|PURP|ISDT|SVCL|KREF|FX|NRTX|CDTRREFTP|CDTRREF|"
                        r"CD|TP|ISSR|USTD|STRD)/")
_LABELS = re.compile(r"\b(IBAN|REK|BIC|Naam|Omschrijving|Kenmerk|Machtiging|Incassant)\s*:\s*",
                     re.IGNORECASE)
_TRIODOS = re.compile(r">(\d{2})")

#: A day the library has read (value date, entry date) is kept for the next line of that
#: day; at most this many days (a statement covers a few hundred).
DAYS_KEPT = 4096


def _slashed(parts: list[str]) -> dict[str, str]:
    """The ``/TAG/value`` pairs of an ``:86:`` split at its tags (the first of each)."""
    out: dict[str, str] = {}
    for i in range(1, len(parts) - 1, 2):
        tag, value = parts[i], parts[i + 1]
        if tag in ("ORDP", "BENM") and not value.strip("/"):
            continue  # /ORDP//NAME/x: the name follows as its own tag
        out.setdefault(tag, value.strip("/ "))
    return out


def details(text: str, customer_ref: str = "", extra: str = "") -> dict[str, str]:
    """Payer (name), counter-account (iban), reference (ref) and text of an ``:86:``."""
    raw = text.replace("\r", "").replace("\n", "")
    parts = _SLASH_TAG.split(raw) if raw.lstrip().startswith("/") else []
    if len(parts) > 1:
        tags = _slashed(parts)
        iban, name = tags.get("IBAN", ""), tags.get("NAME", "")
        if "CNTP" in tags:  # ING: /CNTP/iban/bic/name/city/
            cntp = (tags["CNTP"] + "////").split("/")
            iban, name = iban or cntp[0], name or cntp[2]
        remi = tags.get("REMI", "")
        kind, _sep, rest = remi.partition("//")
        if kind in ("USTD", "STRD"):  # ING: /REMI/USTD//text/ or /REMI/STRD/CUR/ref/
            remi = rest
        elif remi.startswith("STRD/"):
            remi = remi.rsplit("/", 1)[-1]
        ref = tags.get("EREF", "")
        if ref.upper() == "NOTPROVIDED":
            ref = ""
        return {"name": squash(name), "iban": squash(iban), "ref": squash(ref),
                "text": squash(remi or tags.get("TRTP", ""))}
    if _TRIODOS.search(raw):
        parts = _TRIODOS.split(raw)
        sub: dict[str, str] = {}
        for i in range(1, len(parts) - 1, 2):
            sub[parts[i]] = sub.get(parts[i], "") + parts[i + 1]
        texts = "".join(sub[k] for k in sorted(sub) if "20" <= k <= "29")
        return {"name": squash(sub.get("32", "") + sub.get("33", "")),
                "iban": squash(sub.get("31", "")), "ref": "", "text": squash(texts)}
    labelled = _LABELS.split(raw)
    if len(labelled) > 2:
        found = {labelled[i].lower(): squash(labelled[i + 1]).strip("/, ")
                 for i in range(1, len(labelled) - 1, 2)}
        return {"name": found.get("naam", ""), "iban": found.get("iban", found.get("rek", "")),
                "ref": found.get("kenmerk", ""), "text": found.get("omschrijving", "")}
    # Unstructured (SNS, ASN): "NL.. NAME" on the first line, the text on the next ones;
    # ASN writes the counter-IBAN in the :61: customer reference instead.
    lines = [squash(x) for x in text.replace("\r", "").split("\n") if x.strip()]
    first = lines[0] if lines else ""
    iban = ""
    leading = IBAN.match(first)
    if leading:
        iban, first = leading.group(1), squash(first[leading.end():])
    elif IBAN.fullmatch(customer_ref.strip()):
        iban = customer_ref.strip()
    if iban and len(lines) > 1:
        return {"name": first, "iban": iban, "ref": "", "text": " ".join(lines[1:])}
    return {"name": "", "iban": iban or squash(extra if IBAN.fullmatch(squash(extra)) else ""),
            "ref": "", "text": " ".join(lines)}


def statement_account(text: str) -> str:
    """``NL20INGB0001234567EUR``, ``NL91RABO0123456789 EUR``, ``TRIODOSBANK/0390123456``,
    ``417164300`` -> the account."""
    for part in reversed(re.split(r"[/\s]+", squash(text))):
        dutch = re.match(r"NL[0-9]{2}[A-Z]{4}[0-9]{10}", part)
        if dutch:
            return dutch.group(0)
        if IBAN.fullmatch(part) or part.isdigit():
            return part
    return squash(text)


def _day(value: object) -> date | None:
    """A date of the library (its ``Date`` subclass) as a plain date, each day made once."""
    if not isinstance(value, date):
        return None
    day = _PLAIN_DAYS.get(value)
    if day is None:
        day = date(value.year, value.month, value.day)
        if len(_PLAIN_DAYS) < DAYS_KEPT:
            _PLAIN_DAYS[day] = day
    return day


_PLAIN_DAYS: dict[date, date] = {}


def transaction_line(data: dict[str, object], account: str, where: Phrase) -> StatementLine:
    """A transaction the library read (its ``data``) of the statement of ``account``."""
    amount_obj = data.get("amount")
    raw_amount = getattr(amount_obj, "amount", None)
    if raw_amount is None:
        raise InputError(FIELD, "MT940: {where}: a :61: line without an amount", where=where)
    amount = amount_cents(str(raw_amount), where)
    booked = _day(data.get("entry_date") or data.get("date"))
    if booked is None:
        raise InputError(FIELD, "MT940: {where}: a :61: line without a date", where=where)
    value = _day(data.get("date"))
    customer_ref = squash(str(data.get("customer_reference") or ""))
    extra = squash(str(data.get("extra_details") or ""))
    info = details(str(data.get("transaction_details") or ""), customer_ref, extra)
    iban, name, text = info["iban"], info["name"], info["text"]
    if not iban and IBAN.fullmatch(extra):
        iban = extra  # Rabobank: the counter-account on the :61: line's second line
    bank_ref = info["ref"] or ("" if customer_ref.upper() in ("NONREF", "") else customer_ref)
    currency = str(getattr(amount_obj, "currency", None) or "EUR")
    basis = "|".join([booked.isoformat(), str(amount), iban, bank_ref, name, text,
                      squash(str(data.get("bank_reference") or ""))])
    return StatementLine(  # positional: keywords cost measurably for 50,000 lines
        "mt940", account, booked, value, amount, currency, name, iban, text, bank_ref, basis)
