"""The CSV exports of bunq, Knab, ASN, SNS/RegioBank and Triodos.

- bunq: ``"Date";"Interest Date";"Amount";"Account";"Counterparty";"Name";"Description"``
  (``;`` or ``,``, as chosen in the app), ISO dates, signed amounts (``-23,10`` or
  ``-23.10``).
- Knab: a first line ``KNAB EXPORT``, then the header ``"Rekeningnummer";"Transactiedatum";
  "Valutacode";"CreditDebet";"Bedrag";"Tegenrekeningnummer";"Tegenrekeninghouder";...``,
  ``;``-separated, dates ``dd-mm-yyyy``, amounts ``65,00`` with ``C``/``D``.
- ASN and SNS/RegioBank (both de Volksbank): no header, ``,``-separated, 19 columns
  (booking date ``dd-mm-yyyy``, own account, counter-account, name, address, postcode,
  town, currency, balance before, currency, amount ``-23.10``, journal date, value date,
  internal code, global code, sequence number, payment reference, description in single
  quotes, statement number). The bank is told by the own account's bank code.
- Triodos: no header, ``,``-separated, ISO-8859-15: date ``dd-mm-yyyy``, own account,
  amount ``1.234,56``, ``Debet``/``Credit``, name, counter-account, code, description
  (and the balance after it).
"""

from __future__ import annotations

import re

from ledger.bank.lines import FIELD, StatementLine, amount_cents, squash, statement_date
from ledger.base.errors import InputError, Phrase

_DMY = re.compile(r"[0-9]{2}-[0-9]{2}-[0-9]{4}")
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}")


def _cell(row: list[str], index: int) -> str:
    return squash(row[index]) if index < len(row) else ""


def _index(header: list[str], *names: str) -> int:
    for name in names:
        if name in header:
            return header.index(name)
    raise InputError(FIELD, "the column {names!r} is missing", names=names[0])


def _rows(rows: list[list[str]], start: int) -> list[tuple[int, list[str], Phrase]]:
    return [(number, row, Phrase("line {number}", number=number))
            for number, row in enumerate(rows, start=start) if any(c.strip() for c in row)]


# ---------------------------------------------------------------------------------- bunq
def is_bunq(header: list[str]) -> bool:
    return {"date", "interest date", "amount", "counterparty", "name"} <= set(header)


def read_bunq(header: list[str], rows: list[list[str]]) -> list[StatementLine]:
    c_date, c_amount = _index(header, "date"), _index(header, "amount")
    c_account, c_counter = _index(header, "account"), _index(header, "counterparty")
    c_name, c_text = _index(header, "name"), _index(header, "description")
    c_value = _index(header, "interest date")
    lines = []
    for _n, row, where in _rows(rows, 2):
        booked = statement_date(_cell(row, c_date), where)
        amount = amount_cents(_cell(row, c_amount), where)
        value = _cell(row, c_value)
        lines.append(StatementLine(
            bank="bunq", account=_cell(row, c_account), booking_date=booked,
            value_date=statement_date(value, where) if value else None, amount=amount,
            currency="EUR", counterparty_name=_cell(row, c_name),
            counterparty_iban=_cell(row, c_counter), description=_cell(row, c_text),
            bank_ref="", key_basis="|".join([booked.isoformat(), str(amount),
                                             _cell(row, c_counter), _cell(row, c_name),
                                             _cell(row, c_text)])))
    return lines


# ---------------------------------------------------------------------------------- Knab
def is_knab(first_cells: list[str]) -> bool:
    return bool(first_cells) and squash(first_cells[0]).upper() == "KNAB EXPORT"


def read_knab(header: list[str], rows: list[list[str]]) -> list[StatementLine]:
    c_account = _index(header, "rekeningnummer")
    c_date = _index(header, "boekdatum", "transactiedatum")
    c_currency = _index(header, "valutacode")
    c_sign, c_amount = _index(header, "creditdebet"), _index(header, "bedrag")
    c_counter, c_name = _index(header, "tegenrekeningnummer"), _index(header, "tegenrekeninghouder")
    c_value, c_text = _index(header, "valutadatum"), _index(header, "omschrijving")
    c_ref = _index(header, "referentie")
    lines = []
    for _n, row, where in _rows(rows, 3):
        booked = statement_date(_cell(row, c_date), where)
        amount = amount_cents(_cell(row, c_amount), where)
        sign = _cell(row, c_sign).upper()
        if sign not in ("C", "D"):
            raise InputError(FIELD, "{where}: {sign!r} is neither C nor D", where=where,
                             sign=sign[:10])
        amount = -abs(amount) if sign == "D" else abs(amount)
        value = _cell(row, c_value)
        lines.append(StatementLine(
            bank="knab", account=_cell(row, c_account), booking_date=booked,
            value_date=statement_date(value, where) if value else None, amount=amount,
            currency=_cell(row, c_currency) or "EUR", counterparty_name=_cell(row, c_name),
            counterparty_iban=_cell(row, c_counter), description=_cell(row, c_text),
            bank_ref=_cell(row, c_ref),
            key_basis="|".join([_cell(row, c_ref), booked.isoformat(), str(amount),
                                _cell(row, c_counter), _cell(row, c_text)])))
    return lines


# ------------------------------------------------------------------ ASN, SNS/RegioBank
def is_volksbank(row: list[str]) -> bool:
    return (len(row) >= 18 and bool(_DMY.fullmatch(row[0].strip()))
            and bool(_IBAN.fullmatch(row[1].strip())) and row[7].strip() == "EUR")


def volksbank_name(row: list[str]) -> str:
    return "asn" if row[1].strip()[4:8] == "ASNB" else "sns"


def _unquote(text: str) -> str:
    text = squash(text)
    return text[1:-1].strip() if len(text) >= 2 and text[0] == text[-1] == "'" else text


def read_volksbank(bank: str, rows: list[list[str]]) -> list[StatementLine]:
    lines = []
    for _n, row, where in _rows(rows, 1):
        if len(row) < 18:
            raise InputError(FIELD, "{where}: expected 19 columns, found {count}", where=where,
                             count=len(row))
        booked = statement_date(row[0], where)
        amount = amount_cents(row[10], where)
        value = row[12].strip()
        seq, text, ref = row[15].strip(), _unquote(row[17]), _unquote(row[16])
        lines.append(StatementLine(
            bank=bank, account=row[1].strip(), booking_date=booked,
            value_date=statement_date(value, where) if value else None, amount=amount,
            currency=row[9].strip() or "EUR", counterparty_name=squash(row[3]),
            counterparty_iban=row[2].strip(), description=" ".join(x for x in (text, ref) if x),
            bank_ref=ref,
            key_basis="|".join([seq, booked.isoformat(), str(amount)]) if seq else
            "|".join([booked.isoformat(), str(amount), row[2].strip(), text])))
    return lines


# ------------------------------------------------------------------------------- Triodos
def is_triodos(row: list[str]) -> bool:
    return (len(row) >= 8 and bool(_DMY.fullmatch(row[0].strip()))
            and row[3].strip().lower() in ("debet", "credit"))


def read_triodos(rows: list[list[str]]) -> list[StatementLine]:
    lines = []
    for _n, row, where in _rows(rows, 1):
        if len(row) < 8:
            raise InputError(FIELD, "{where}: expected 8 columns, found {count}", where=where,
                             count=len(row))
        booked = statement_date(row[0], where)
        amount = abs(amount_cents(row[2], where))
        sign = row[3].strip().lower()
        if sign not in ("debet", "credit"):
            raise InputError(FIELD, "{where}: {sign!r} is neither Debet nor Credit",
                             where=where, sign=sign[:10])
        amount = -amount if sign == "debet" else amount
        text = squash(row[7])
        lines.append(StatementLine(
            bank="triodos", account=row[1].strip(), booking_date=booked, value_date=None,
            amount=amount, currency="EUR", counterparty_name=squash(row[4]),
            counterparty_iban=row[5].strip(), description=text, bank_ref="",
            key_basis="|".join([booked.isoformat(), str(amount), row[5].strip(), squash(row[4]),
                                text, _cell(row, 8)])))
    return lines
