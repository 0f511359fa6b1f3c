"""SWIFT MT940 statements (and "MT940 structured") of the Dutch banks, read with the
``mt-940`` library (PyPI ``mt-940``, module ``mt940``): ABN AMRO, Rabobank, ING, Triodos,
SNS/RegioBank, ASN and Knab.

The library reads the tags (``:25:`` account, ``:61:`` statement line with its ``C``/``D``/
``RC``/``RD`` mark, ``:86:`` details); a file may hold several statements (each from
``:20:``). What the library leaves as free text is the ``:86:`` field, which each bank
fills its own way; :func:`details` reads the banks' variants into payer, counter-account,
reference and text:

- structured with slashes (ABN AMRO, ING, Rabobank, Knab): ``/TRTP/.../IBAN/...``,
  ``/CNTP/iban/bic/name/city/``, ``/NAME/``, ``/REMI/`` (``USTD//text`` or plain),
  ``/EREF/``, ``/ORDP//NAME/`` and ``/BENM//NAME/``;
- Triodos: ``>20`` ... ``>29`` text, ``>31`` counter-account, ``>32``/``>33`` name;
- unstructured (SNS, ASN, older ABN AMRO): the counter-IBAN first, then the name, then
  the text; or ``IBAN: .. Naam: .. Omschrijving: ..`` labels.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date

from ledger.bank.lines import FIELD, StatementLine, amount_cents, squash
from ledger.base.errors import InputError, Phrase

# The library logs every tag it cannot read (with the value) at ERROR; the one line of
# the refusal says it instead, so nothing else reaches the terminal.
_log = logging.getLogger("mt940")
_log.addHandler(logging.NullHandler())
_log.propagate = False

IBAN = re.compile(r"\b([A-Z]{2}[0-9]{2}[A-Z0-9]{11,30})\b")
_SLASH_TAG = re.compile(r"/(TRTP|IBAN|BIC|NAME|REMI|EREF|CSID|MARF|ORDP|BENM|ADDR|ID|CNTP|"
                        r"PREF|RTRN|ULTC|ULTD|PURP|ISDT|SVCL|KREF|FX|NRTX|CDTRREFTP|CDTRREF|"
                        r"CD|TP|ISSR|USTD|STRD)/")
_LABELS = re.compile(r"\b(IBAN|REK|BIC|Naam|Omschrijving|Kenmerk|Machtiging|Incassant)\s*:\s*",
                     re.IGNORECASE)
_TRIODOS = re.compile(r">(\d{2})")
#: Where a statement starts: the split ``mt940.parse_statements`` makes itself (after it
#: drops a byte-order mark), so that each statement is read on its own exactly as it would be.
_STATEMENT = re.compile(r"(?m)^(?=:20:)")
_DEBIT_MARK = re.compile(r"(?m)^(:61:\d{6}(?:\d{4})?R?[CD][A-Z]?)-")


def looks_like_mt940(text: str) -> bool:
    return bool(re.search(r"(?m)^:20:", text) and re.search(r"(?m)^:(25|61):", text))


def _slashed(text: str) -> dict[str, str]:
    parts = _SLASH_TAG.split(text)
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
    if _SLASH_TAG.search(raw) and raw.lstrip().startswith("/"):
        tags = _slashed(raw)
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


def _account(text: str) -> str:
    """``NL20INGB0001234567EUR``, ``NL91RABO0123456789 EUR``, ``TRIODOSBANK/0390123456``,
    ``417164300`` -> the account."""
    for part in reversed(re.split(r"[/\s]+", squash(text))):
        dutch = re.match(r"NL[0-9]{2}[A-Z]{4}[0-9]{10}", part)
        if dutch:
            return dutch.group(0)
        if IBAN.fullmatch(part) or part.isdigit():
            return part
    return squash(text)


def _line_of(text: str, value: str) -> int:
    at = text.find(value[:40]) if value else -1
    return text.count("\n", 0, at) + 1 if at >= 0 else 0


def _refusal(text: str, exc: Exception) -> InputError:
    value = str(exc.args[2]) if len(exc.args) > 2 else ""
    tag = str(getattr(exc.args[1], "id", "")) if len(exc.args) > 1 else ""
    number = _line_of(text, value)
    where = Phrase("line {number}", number=number) if number else Phrase("a statement")
    if tag:
        return InputError(FIELD, "MT940: {where}: the :{tag}: field cannot be read (damaged "
                                 "or cut off)", where=where, tag=tag)
    return InputError(FIELD, "MT940: {where}: a field cannot be read (damaged or cut off)",
                      where=where)


def read_mt940(text: str) -> list[StatementLine]:
    return list(iter_mt940(text))


def iter_mt940(text: str) -> Iterator[StatementLine]:
    """The lines of an MT940 file, one statement (``:20:``) after the other; each transaction
    the library read is let go once it is a line, so that the two never stand in memory
    whole side by side, and the library holds one statement's transactions at a time."""
    import mt940

    text = _DEBIT_MARK.sub(r"\1", text.replace("\r\n", "\n"))
    options = mt940.Options(reversal_sign=True, case_insensitive_marks=True,
                            unbounded_details=True, strip_bom=True, merge_keeps_values=True)
    asn: mt940.tags.Tag = mt940.tags.StatementASNB()
    tags = {asn.id: asn} if re.search(r"(?m)^:25:\s*NL\d\dASNB", text) else None
    blocks = _STATEMENT.split(text.removeprefix("\ufeff"))
    blocks = [block for block in blocks if block.strip().startswith(":20:")]
    if not blocks:
        raise InputError(FIELD, "MT940: no statement (:20:) in the file")
    for number, block in enumerate(blocks, start=1):
        try:  # one statement at a time: the library's transactions of one only
            statement, = mt940.parse_statements(block, options=options, tags=tags)
        except (RuntimeError, ValueError, ArithmeticError, KeyError, IndexError, TypeError,
                AttributeError) as exc:
            raise _refusal(text, exc) from None
        blocks[number - 1] = ""
        account = _account(str(statement.data.get("account_identification") or ""))
        pending = statement.transactions[::-1]
        statement.transactions = []
        while pending:
            yield _line(pending.pop().data, account, number)


def _line(data: dict[str, object], account: str, statement: int) -> StatementLine:
    where = Phrase("statement {number}", number=statement)
    amount_obj = data.get("amount")
    raw_amount = getattr(amount_obj, "amount", None)
    if raw_amount is None:
        raise InputError(FIELD, "MT940: {where}: a :61: line without an amount", where=where)
    amount = amount_cents(str(raw_amount), where)
    booked_obj = data.get("entry_date") or data.get("date")
    if not isinstance(booked_obj, date):
        raise InputError(FIELD, "MT940: {where}: a :61: line without a date", where=where)
    booked = date(booked_obj.year, booked_obj.month, booked_obj.day)
    value_obj = data.get("date")
    value = date(value_obj.year, value_obj.month, value_obj.day) if isinstance(
        value_obj, date) else None
    customer_ref = squash(str(data.get("customer_reference") or ""))
    extra = squash(str(data.get("extra_details") or ""))
    info = details(str(data.get("transaction_details") or ""), customer_ref, extra)
    if not info["iban"] and IBAN.fullmatch(extra):
        info["iban"] = extra  # Rabobank: the counter-account on the :61: line's second line
    bank_ref = info["ref"] or ("" if customer_ref.upper() in ("NONREF", "") else customer_ref)
    currency = str(getattr(amount_obj, "currency", None) or "EUR")
    return StatementLine(
        bank="mt940", account=account, booking_date=booked, value_date=value, amount=amount,
        currency=currency, counterparty_name=info["name"], counterparty_iban=info["iban"],
        description=info["text"], bank_ref=bank_ref,
        key_basis="|".join([booked.isoformat(), str(amount), info["iban"], bank_ref,
                            info["name"], info["text"],
                            squash(str(data.get("bank_reference") or ""))]),
    )
