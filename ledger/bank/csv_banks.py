"""The CSV (and TAB) exports of Dutch banks: ING, Rabobank and ABN AMRO."""

from __future__ import annotations

import re

from ledger.bank.lines import FIELD, StatementLine, amount_cents, squash, statement_date
from ledger.base.errors import InputError, Phrase


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


def read_ing(header: list[str], rows: list[list[str]]) -> list[StatementLine]:
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
RABOBANK_SEQUENCE = ("volgnr", "sequence number", "seq. number", "seqnr")


def _optional(header: list[str], *names: str) -> int | None:
    return next((header.index(n) for n in names if n in header), None)


def read_rabobank(header: list[str], rows: list[list[str]]) -> list[StatementLine]:
    """Rabobank's CSV, with its Dutch header or the English one of the English site."""
    c_account = _column(header, "iban/bban")
    c_currency = _column(header, "munt", "currency")
    c_seq = _column(header, *RABOBANK_SEQUENCE)
    c_date = _column(header, "datum", "date")
    c_value = _optional(header, "rentedatum", "interest date", "value date")
    c_amount = _column(header, "bedrag", "amount")
    c_iban = _column(header, "tegenrekening iban/bban", "counterparty iban/bban",
                     "counterparty iban")
    c_name = _column(header, "naam tegenpartij", "counterparty name", "name counterparty")
    c_ref = _optional(header, "transactiereferentie", "transaction reference")
    c_kenmerk = _optional(header, "betalingskenmerk", "payment reference")
    c_texts = [header.index(n) for n in ("omschrijving-1", "omschrijving-2", "omschrijving-3",
                                         "description-1", "description-2", "description-3")
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


def read_abnamro(text: str) -> list[StatementLine]:
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


