"""Reading bank statement files: ISO 20022 CAMT.053, SWIFT MT940 and the CSV exports of
Dutch banks.

:func:`read_statement` detects the format from the content (never from the file name):

- CAMT.053 (``camt.053.001.02`` up to ``.13``): XML, matched on local element names so
  that every version's namespace works (:mod:`ledger.bank.camt`). ``defusedxml`` refuses a
  DTD before anything is read, so entity expansion ("billion laughs") and external
  entities never happen.
- MT940 and MT940 structured (:mod:`ledger.bank.mt940`): ABN AMRO, Rabobank, ING,
  Triodos, SNS/RegioBank, ASN, Knab.
- bunq, Knab, ASN, SNS/RegioBank and Triodos CSV (:mod:`ledger.bank.csv_more`).
- ING: the ``;`` export (``"Datum";"Naam / Omschrijving";...;"Saldo na mutatie";"Tag"``,
  also its English header) and the older ``,`` export.
- Rabobank: the CSV with ``"IBAN/BBAN","Munt","BIC","Volgnr","Datum",...`` (or its
  English header, ``"IBAN/BBAN","Currency","BIC","Sequence number","Date",...``).
- ABN AMRO: the TAB-separated ``.TAB`` export without header (account, currency,
  transaction date, start balance, end balance, value date, amount, description).

Each line becomes a :class:`StatementLine` with a signed amount in cents (money in is
positive) and an ``import_key``: a hash of the bank's own reference where the format has
one (CAMT ``AcctSvcrRef``, Rabobank ``Volgnr``) or of the line's stable fields, plus the
occurrence number of identical lines within the file. Reading the same file again gives
the same keys, which is how an import knows what it already has.

The same payment seen through another format (a CAMT.053 and a CSV or MT940 of the same
account and days) has another import key, so each line also gets an ``identity`` that no
format decides: the own account, the booking date, the signed amount and the
counter-account (both as account numbers, so ``NL91ABNA0417164300``, ``0417164300`` and
``417164300`` are one account), plus the occurrence of that combination within the file,
so that two identical payments on one day stay two lines. The text and the references are
left out on purpose: the banks cut, label and join them differently in each format.

Whatever the content, a file that cannot be read is refused with one line that names the
line or element and the problem (never the reading library's own message).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import IO

from ledger.bank.csv_banks import RABOBANK_SEQUENCE, read_abnamro, read_ing, read_rabobank
from ledger.bank.csv_more import (
    is_bunq,
    is_knab,
    is_triodos,
    is_volksbank,
    read_bunq,
    read_knab,
    read_triodos,
    read_volksbank,
    volksbank_name,
)
from ledger.bank.lines import FIELD, Statement, StatementLine, describe, squash
from ledger.bank.reading import MAX_FILE_BYTES, too_large
from ledger.base.errors import InputError, Phrase

__all__ = ["FIELD", "FORMATS", "MAX_FILE_BYTES", "Statement", "StatementLine", "account_number",
           "describe", "read_statement"]

FORMATS = ("camt053", "mt940", "ing", "rabobank", "abnamro", "bunq", "knab", "asn", "sns",
           "triodos")
_NL_IBAN = re.compile(r"NL[0-9]{2}[A-Z]{4}([0-9]{10})")
_SPACES_DOTS = re.compile(r"[\s.]")


def _unknown() -> InputError:
    return InputError(FIELD, "is not a bank statement solebook knows (CAMT.053, MT940, or the "
                             "CSV export of ING, Rabobank, ABN AMRO, bunq, Knab, ASN, "
                             "SNS/RegioBank or Triodos)")


def _decode(data: bytes) -> tuple[str, str]:
    """The text of a file that is not XML, and the encoding it was read with."""
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _bytes_as_latin1(data: bytes, text: str, head: str, encoding: str) -> tuple[str, str]:
    """What :func:`ledger.bank.mt940.iter_mt940` reads ``head`` (``text`` without what
    leads it: a byte-order mark, white space) from, holding half the memory where the text
    has a character beyond Latin-1: the file's bytes from where ``head`` starts, one
    character each, with the encoding that gives back ``head``."""
    if encoding == "cp1252":
        return str(memoryview(data)[len(text) - len(head):], "latin-1"), encoding
    skip = 3 if data.startswith(codecs.BOM_UTF8) else 0  # the mark utf-8-sig takes
    skip += len(text[:len(text) - len(head)].encode("utf-8"))
    return str(memoryview(data)[skip:], "latin-1"), "utf-8"


def account_number(text: str) -> str:
    """An account as the formats agree on it: a Dutch IBAN or a bare account number as its
    number without leading zeros; any other IBAN as written (upper case, no spaces)."""
    text = text or ""
    # Letters and digits only (the usual IBAN): nothing to take out, no substitution.
    raw = text.upper() if text.isalnum() else _SPACES_DOTS.sub("", text).upper()
    found = _NL_IBAN.fullmatch(raw)
    if found:
        return found.group(1).lstrip("0")
    return raw.lstrip("0") if raw.isdigit() else raw


@lru_cache(maxsize=64)
def _own_account_number(text: str) -> str:
    """:func:`account_number` of the own account, which all lines of a statement share."""
    return account_number(text)


def identity_basis(line: StatementLine) -> str:
    return "|".join([_own_account_number(line.account), line.booking_date.isoformat(),
                     str(line.amount), account_number(line.counterparty_iban)])


def _occurrence(seen: dict[int, int], basis: str) -> str:
    """The hash of ``basis`` with its occurrence number in the file (1 for the first).
    What is counted is the hash of the first occurrence, by its first 128 bits (as a
    number: a third of the memory of its text, for lines that are read and let go)."""
    first = hashlib.sha256(f"{basis}|1".encode()).digest()
    mark = int.from_bytes(first[:16])
    number = seen.get(mark, 0) + 1
    seen[mark] = number
    if number == 1:
        return first.hex()
    return hashlib.sha256(f"{basis}|{number}".encode()).hexdigest()


def keyed(lines: Iterable[StatementLine]) -> Iterator[StatementLine]:
    """Every line with its import key and identity (the n-th identical one gets n), as
    the lines come. The key basis, worked into the key, is not kept (a large statement
    holds less)."""
    seen: dict[int, int] = {}
    same: dict[int, int] = {}
    for line in lines:
        key = _occurrence(seen, f"{line.bank}|{line.account}|{line.key_basis}")
        identity = _occurrence(same, identity_basis(line))
        yield StatementLine(*line[:10], "", key, identity)  # the basis is in the key now


def _csv_rows(text: str, delimiter: str, quotechar: str = '"') -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        quotechar=quotechar)
    try:
        return list(reader)
    except csv.Error:
        raise InputError(FIELD, "{where}: the CSV is broken there (a quote that is never "
                                "closed, a field longer than a bank writes, or a stray "
                                "character)",
                         where=Phrase("line {number}", number=reader.line_num)) from None


def is_xml(head: bytes) -> bool:
    """Is a file that starts with ``head`` (its first 1024 bytes) XML (a CAMT.053)?"""
    return head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


@contextmanager
def _one_line() -> Iterator[None]:
    """Whatever goes wrong in reading a file's content becomes one line."""
    try:
        yield
    except InputError:
        raise
    except (ValueError, ArithmeticError, LookupError, RecursionError, TypeError,
            MemoryError):
        raise InputError(FIELD, "cannot be read: its content is damaged or not what the "
                                "bank writes in this format") from None


def read_statement(data: bytes) -> Statement:
    """Detect the format of a statement file and read its lines."""
    fmt, lines = statement_lines(data)
    return Statement(fmt, tuple(lines))


def read_xml_statement(source: IO[bytes]) -> Statement:
    """The lines of a CAMT.053 file read as a stream from ``source`` (see :func:`is_xml`):
    the file is never in memory whole, each entry is dropped once it is read."""
    return Statement("camt053", tuple(xml_statement_lines(source)))


def statement_lines(data: bytes) -> tuple[str, Iterator[StatementLine]]:
    """The format of a statement file and its lines with their keys, read as they are
    taken (a bad line further on is refused when it is reached)."""
    if len(data) > MAX_FILE_BYTES:
        raise too_large()
    lines: Iterable[StatementLine]
    with _one_line():
        if is_xml(data):  # XML: as bytes
            from ledger.bank.camt import iter_camt

            fmt, lines = "camt053", iter_camt(data)
        else:
            text, encoding = _decode(data)
            head = text.lstrip("\ufeff \t\r\n")
            if not head:
                raise InputError(FIELD, "is empty")
            fmt, lines = _read(data, head, lambda: _bytes_as_latin1(data, text, head, encoding))
    return fmt, _guarded(keyed(lines))


def xml_statement_lines(source: IO[bytes]) -> Iterator[StatementLine]:
    """The lines, with their keys, of a CAMT.053 file read as a stream from ``source``
    (see :func:`is_xml`): the file is never in memory whole, each entry is dropped once
    it is read."""
    from ledger.bank.camt import iter_camt

    return _guarded(keyed(iter_camt(source)))


def _guarded(lines: Iterator[StatementLine]) -> Iterator[StatementLine]:
    with _one_line():
        yield from lines


def _read(data: bytes, head: str, as_latin1: Callable[[], tuple[str, str]]
          ) -> tuple[str, Iterable[StatementLine]]:
    """The format of a statement that is not XML (its decoded text) and its lines
    (``as_latin1``: what an MT940 is read from)."""
    from ledger.bank.mt940 import looks_like_mt940

    if head.startswith("<"):
        from ledger.bank.camt import iter_camt

        return "camt053", iter_camt(data)
    if looks_like_mt940(head) or head.startswith((":20:", "{1:", ":940:")):
        from ledger.bank.mt940 import iter_mt940

        return "mt940", iter_mt940(*as_latin1())
    first = head.split("\n", 1)[0]
    if "\x00" in head[:4096]:
        raise _unknown()
    if re.match(r"[^\t]*\t[A-Z]{3}\t[0-9]{8}\t", first):
        return "abnamro", read_abnamro(head)
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if squash(first.split(delimiter)[0].strip('"')).upper() == "KNAB EXPORT":
        rows = _csv_rows(head, ";")
        if len(rows) < 2 or not is_knab(rows[0]):
            raise InputError(FIELD, "Knab: the header line is missing")
        return "knab", read_knab([squash(c).lower() for c in rows[1]], rows[2:])
    rows = _csv_rows(head, delimiter)
    header = [squash(c).lower() for c in rows[0]]
    if "naam / omschrijving" in header or "name / description" in header:
        return "ing", read_ing(header, rows[1:])
    if "iban/bban" in header and any(n in header for n in RABOBANK_SEQUENCE):
        return "rabobank", read_rabobank(header, rows[1:])
    if is_bunq(header):
        return "bunq", read_bunq(header, rows[1:])
    if is_volksbank(rows[0]):
        bank = volksbank_name(rows[0])
        return bank, read_volksbank(bank, rows)
    if is_triodos(rows[0]):
        return "triodos", read_triodos(rows)
    raise _unknown()
