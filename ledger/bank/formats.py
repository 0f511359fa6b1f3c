"""Reading bank statement files: ISO 20022 CAMT.053 and the CSV exports of Dutch banks.

:func:`read_statement` detects the format from the content (never from the file name):

- CAMT.053 (``camt.053.001.02`` up to ``.13``): XML, matched on local element names so
  that every version's namespace works. Parsed with ``defusedxml`` with DTDs refused, so
  entity expansion ("billion laughs") and external entities never happen.
- ING: the ``;`` export (``"Datum";"Naam / Omschrijving";...;"Saldo na mutatie";"Tag"``,
  also its English header) and the older ``,`` export.
- Rabobank: the CSV with ``"IBAN/BBAN","Munt","BIC","Volgnr","Datum",...``.
- ABN AMRO: the TAB-separated ``.TAB`` export without header (account, currency,
  transaction date, start balance, end balance, value date, amount, description).

Each line becomes a :class:`StatementLine` with a signed amount in cents (money in is
positive) and an ``import_key``: a hash of the bank's own reference where the format has
one (CAMT ``AcctSvcrRef``, Rabobank ``Volgnr``) or of the line's stable fields, plus the
occurrence number of identical lines within the file. Reading the same file again gives
the same keys, which is how an import knows what it already has.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ledger.base.errors import N_, InputError, Phrase
from ledger.base.money import cents

MAX_FILE_BYTES = 50 * 1024 * 1024
FORMATS = ("camt053", "ing", "rabobank", "abnamro")
FIELD = N_("file")


@dataclass(frozen=True)
class StatementLine:
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
    try:
        return cents(Decimal(raw))
    except (InvalidOperation, ValueError):
        raise InputError(
            FIELD, "{where}: {text!r} is not an amount",
            where=where, text=text.strip()[:30]) from None


def statement_date(text: str, where: Phrase) -> date:
    raw = text.strip()
    for candidate in (raw, raw[:10]):
        for pattern in ("%Y%m%d", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
            try:
                return datetime.strptime(candidate, pattern).date()
            except ValueError:
                continue
    raise InputError(FIELD, "{where}: {raw!r} is not a date", where=where, raw=raw[:30])


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _with_keys(fmt: str, lines: list[StatementLine]) -> Statement:
    """Give every line its import key (the n-th identical line gets occurrence n)."""
    seen: Counter[str] = Counter()
    keyed = []
    for line in lines:
        basis = f"{line.bank}|{line.account}|{line.key_basis}"
        seen[basis] += 1
        key = hashlib.sha256(f"{basis}|{seen[basis]}".encode()).hexdigest()
        keyed.append(replace(line, import_key=key))
    return Statement(fmt, tuple(keyed))


def read_statement(data: bytes) -> Statement:
    """Detect the format of a statement file and read its lines."""
    if len(data) > MAX_FILE_BYTES:
        raise InputError(
            FIELD, "is larger than {size} MB; export a shorter period",
            size=MAX_FILE_BYTES // 2**20)
    text = _decode(data)
    head = text.lstrip("\ufeff \t\r\n")
    if not head:
        raise InputError(FIELD, "is empty")
    if head.startswith("<"):
        from ledger.bank.camt import read_camt

        return _with_keys("camt053", read_camt(data))
    first = head.splitlines()[0]
    if re.match(r"[^\t]*\t[A-Z]{3}\t[0-9]{8}\t", first):
        return _with_keys("abnamro", _read_abnamro(head))
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))
    header = [squash(c).lower() for c in rows[0]]
    if "naam / omschrijving" in header or "name / description" in header:
        return _with_keys("ing", _read_ing(header, rows[1:]))
    if "iban/bban" in header and "volgnr" in header:
        return _with_keys("rabobank", _read_rabobank(header, rows[1:]))
    raise InputError(FIELD, "is not a bank statement solebook knows (CAMT.053, or the CSV "
                            "export of ING, Rabobank or ABN AMRO)")


def _column(header: list[str], *names: str) -> int:
    for name in names:
        if name in header:
            return header.index(name)
    raise InputError(FIELD, "the column {names!r} is missing", names=names[0])


def _cell(row: list[str], index: int | None) -> str:
    return squash(row[index]) if index is not None and index < len(row) else ""


# ------------------------------------------------------------------------------------ ING
_ING_LABELS = re.compile(r"\b(Naam|Omschrijving|IBAN|Kenmerk|Valutadatum|Machtiging ID|"
                         r"Incassant ID|Datum/Tijd|Name|Description|Reference|Value date)"
                         r":\s*")


def labelled(text: str) -> dict[str, str]:
    """``Naam: A de Vries Omschrijving: 2026-0001 IBAN: NL..`` -> {label: value}."""
    parts = _ING_LABELS.split(text)
    return {parts[i].lower(): squash(parts[i + 1]) for i in range(1, len(parts) - 1, 2)}


def _read_ing(header: list[str], rows: list[list[str]]) -> list[StatementLine]:
    c_date = _column(header, "datum", "date")
    c_name = _column(header, "naam / omschrijving", "name / description")
    c_account = _column(header, "rekening", "account")
    c_counter = _column(header, "tegenrekening", "counterparty")
    c_sign = _column(header, "af bij", "debit/credit")
    c_amount = _column(header, "bedrag (eur)", "amount (eur)")
    c_notes = _column(header, "mededelingen", "notifications")
    c_kind = _column(header, "mutatiesoort", "transaction type")
    c_balance = next((header.index(n) for n in ("saldo na mutatie", "resulting balance")
                      if n in header), None)
    lines = []
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = Phrase("line {number}", number=number)
        amount = amount_cents(_cell(row, c_amount), where)
        sign = _cell(row, c_sign).lower()
        if sign in ("af", "debit"):
            amount = -amount
        elif sign not in ("bij", "credit"):
            raise InputError(
                FIELD, "{where}: {sign!r} is neither Af nor Bij", where=where, sign=sign)
        notes = _cell(row, c_notes)
        fields = labelled(notes)
        booked = statement_date(_cell(row, c_date), where)
        lines.append(StatementLine(
            bank="ing", account=_cell(row, c_account), booking_date=booked,
            value_date=None, amount=amount, currency="EUR",
            counterparty_name=_cell(row, c_name), counterparty_iban=_cell(row, c_counter),
            description=notes or _cell(row, c_kind),
            bank_ref=fields.get("kenmerk", fields.get("reference", "")),
            key_basis="|".join([booked.isoformat(), str(amount), _cell(row, c_counter),
                                _cell(row, c_name), notes, _cell(row, c_balance)]),
        ))
    return lines


# ------------------------------------------------------------------------------ Rabobank
def _read_rabobank(header: list[str], rows: list[list[str]]) -> list[StatementLine]:
    c_account = _column(header, "iban/bban")
    c_currency = _column(header, "munt")
    c_seq = _column(header, "volgnr")
    c_date = _column(header, "datum")
    c_value = next((header.index(n) for n in ("rentedatum",) if n in header), None)
    c_amount = _column(header, "bedrag")
    c_iban = _column(header, "tegenrekening iban/bban")
    c_name = _column(header, "naam tegenpartij")
    c_ref = next((header.index(n) for n in ("transactiereferentie",) if n in header), None)
    c_kenmerk = next((header.index(n) for n in ("betalingskenmerk",) if n in header), None)
    c_texts = [header.index(n) for n in ("omschrijving-1", "omschrijving-2", "omschrijving-3")
               if n in header]
    lines = []
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = Phrase("line {number}", number=number)
        booked = statement_date(_cell(row, c_date), where)
        amount = amount_cents(_cell(row, c_amount), where)
        description = " ".join(x for x in [*(_cell(row, c) for c in c_texts),
                                           _cell(row, c_kenmerk)] if x)
        seq = _cell(row, c_seq)
        lines.append(StatementLine(
            bank="rabobank", account=_cell(row, c_account), booking_date=booked,
            value_date=statement_date(_cell(row, c_value), where) if _cell(row, c_value) else None,
            amount=amount, currency=_cell(row, c_currency) or "EUR",
            counterparty_name=_cell(row, c_name), counterparty_iban=_cell(row, c_iban),
            description=description, bank_ref=_cell(row, c_ref) or seq,
            key_basis="|".join([seq, booked.isoformat(), str(amount)]) if seq else
            "|".join([booked.isoformat(), str(amount), _cell(row, c_iban), description]),
        ))
    return lines


# ------------------------------------------------------------------------------ ABN AMRO
_ABN_TAGS = ("TRTP", "IBAN", "BIC", "NAME", "REMI", "EREF", "CSID", "MARF", "ORDP", "BENM",
             "ADDR", "ID")
_ABN_SLASHED = re.compile(r"/(" + "|".join(_ABN_TAGS) + r")/")
_ABN_LABELS = re.compile(r"\b(IBAN|BIC|Naam|Omschrijving|Kenmerk|Machtiging|Incassant|Voor)"
                         r":\s*")


def abn_fields(text: str) -> dict[str, str]:
    """The named parts of an ABN AMRO description (``/NAME/x/REMI/y`` or ``Naam: x``)."""
    if text.startswith("/"):
        parts = _ABN_SLASHED.split(text)
        raw = {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}
        return {"name": squash(raw.get("NAME")), "iban": squash(raw.get("IBAN")),
                "text": squash(raw.get("REMI")), "ref": squash(raw.get("EREF"))}
    parts = _ABN_LABELS.split(text)
    raw = {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}
    return {"name": squash(raw.get("Naam")), "iban": squash(raw.get("IBAN")),
            "text": squash(raw.get("Omschrijving")), "ref": squash(raw.get("Kenmerk"))}


def _read_abnamro(text: str) -> list[StatementLine]:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        row = raw.split("\t")
        where = Phrase("line {number}", number=number)
        if len(row) < 8:
            raise InputError(
                FIELD, "{where}: expected 8 tab-separated columns, found {count}",
                where=where, count=len(row))
        account, currency, booked_raw, start, end, value, amount_raw = row[:7]
        description = "\t".join(row[7:]).rstrip()
        fields = abn_fields(description.strip())
        booked = statement_date(booked_raw, where)
        amount = amount_cents(amount_raw, where)
        lines.append(StatementLine(
            bank="abnamro", account=account.strip(), booking_date=booked,
            value_date=statement_date(value, where) if value.strip() else None, amount=amount,
            currency=currency.strip() or "EUR", counterparty_name=fields["name"],
            counterparty_iban=fields["iban"], description=squash(description),
            bank_ref=fields["ref"],
            key_basis="|".join([booked.isoformat(), str(amount), start.strip(), end.strip(),
                                squash(description)]),
        ))
    return lines


def describe(line: StatementLine) -> dict[str, Any]:
    """A line as plain data (for JSON and tests)."""
    return {"date": line.booking_date.isoformat(), "amount": line.amount,
            "name": line.counterparty_name, "iban": line.counterparty_iban,
            "description": line.description, "reference": line.bank_ref}
