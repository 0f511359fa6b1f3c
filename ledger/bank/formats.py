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
from dataclasses import replace

from ledger.bank.csv_banks import read_abnamro, read_ing, read_rabobank
from ledger.bank.lines import FIELD, Statement, StatementLine, describe, squash
from ledger.base.errors import InputError

__all__ = ["FIELD", "FORMATS", "MAX_FILE_BYTES", "Statement", "StatementLine", "describe",
           "read_statement"]

MAX_FILE_BYTES = 50 * 1024 * 1024
FORMATS = ("camt053", "ing", "rabobank", "abnamro")


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
        return _with_keys("abnamro", read_abnamro(head))
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))
    header = [squash(c).lower() for c in rows[0]]
    if "naam / omschrijving" in header or "name / description" in header:
        return _with_keys("ing", read_ing(header, rows[1:]))
    if "iban/bban" in header and "volgnr" in header:
        return _with_keys("rabobank", read_rabobank(header, rows[1:]))
    raise InputError(FIELD, "is not a bank statement solebook knows (CAMT.053, or the CSV "
                            "export of ING, Rabobank or ABN AMRO)")


