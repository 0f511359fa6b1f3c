"""ISO 20022 CAMT.053 (bank to customer statement), every version from .001.02 on.

Elements are found by their local names in the namespace of the entry that holds them
(each name qualified once per namespace, so the C fast path of ``Element.find`` does the
search), so the namespace of each version (``urn:iso:std:iso:20022:tech:xsd:camt.053.001.02``
... ``.08`` ...) and its prefix do not matter. The XML is read incrementally (``iterparse``
from the open file: one entry at a time, each cleared when read, so a 50,000-entry file
never stands in memory whole, neither as bytes nor as one tree) with document type
declarations refused by ``defusedxml``: a file with a
DTD (which is what entity-expansion and external-entity attacks need) is refused with one
line, and nothing in it is expanded or fetched.

Only booked entries (status ``BOOK``) are read. An entry that bundles several
transactions (a batch) with their own amounts becomes one line per transaction.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from datetime import date
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from ledger.bank.lines import FIELD, StatementLine, amount_cents, squash, statement_date
from ledger.base.errors import InputError, Phrase

Element = Any  # xml.etree.ElementTree.Element, as defusedxml returns it


class _Names(dict[str, str]):
    """Local name -> the qualified name in one namespace (``Amt`` -> ``{urn:...}Amt``), so
    that an entry is searched by the C fast path of ``Element.find`` without renaming its
    elements first."""

    def __init__(self, namespace: str) -> None:
        super().__init__()
        self.prefix = namespace

    def __missing__(self, key: str) -> str:
        value = self[key] = self.prefix + key
        return value


_NAMESPACES: dict[str, _Names] = {}
_BY_TAG: dict[str, _Names] = {}  # an element's tag -> the names of its namespace


def _names(tag: str) -> _Names:
    found = _BY_TAG.get(tag)
    if found is None:
        prefix = tag[:tag.rfind("}") + 1] if isinstance(tag, str) else ""
        found = _NAMESPACES.get(prefix) or _Names(prefix)
        if len(_BY_TAG) < 10_000:
            _NAMESPACES.setdefault(prefix, found)  # bounded: a file of made-up names cannot fill it
            _BY_TAG[tag] = found
    return found


def _children(element: Element | None, name: str) -> list[Element]:
    return [] if element is None else element.findall(_names(element.tag)[name])


def _find(element: Element | None, *path: str) -> Element | None:
    for part in path:  # one tag at a time: the C fast path of Element.find
        if element is None:
            return None
        element = element.find(_names(element.tag)[part])
    return element


def _text(element: Element | None, *path: str) -> str:
    found = _find(element, *path)
    return squash(found.text) if found is not None and found.text else ""


def _refused_dtd() -> InputError:
    return InputError(FIELD, "the XML declares a DTD or entities, which a bank statement "
                             "never needs; refused for safety")


def _local(tag: object) -> str:
    return tag[tag.rfind("}") + 1:] if isinstance(tag, str) else ""


_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")


def _root_name(head: bytes) -> str:
    """The name of the first element (after the declaration, comments, a doctype)."""
    text = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.DOTALL)
    found = _ROOT.search(text)
    return found.group(1).decode("ascii", "replace") if found else ""


def _ends(source: IO[bytes]) -> Iterator[tuple[str, Element]]:
    """Every element as it ends, parsed safely and incrementally.

    ``defusedxml`` reads the prolog, up to the first element: a document type declaration
    (which entity expansion and external entities need, and which can stand nowhere else)
    is refused there. The rest is read by the standard library's C parser, which expands
    no entity that a DTD did not declare and fetches nothing; a ``<!DOCTYPE`` after the
    first element is not well-formed XML and refused as such."""
    import xml.etree.ElementTree as FastTree

    import defusedxml
    from defusedxml import ElementTree as SafeTree

    try:
        for _event in SafeTree.iterparse(source, events=("start",), forbid_dtd=True,
                                         forbid_entities=True, forbid_external=True):
            break
        source.seek(0)
        yield from FastTree.iterparse(source, events=("end",))
    except defusedxml.DefusedXmlException:
        raise _refused_dtd() from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 0
        raise InputError(FIELD, "is not well-formed XML ({where})",
                         where=Phrase("line {number}", number=line)) from None


def _entry_date(entry: Element, name: str) -> date | None:
    raw = _text(entry, name, "Dt") or _text(entry, name, "DtTm")
    where = Phrase("entry {ref}", ref=_text(entry, "NtryRef") or "?")
    return statement_date(raw, where) if raw else None


def _party(tx: Element | None, role: str) -> tuple[str, str]:
    """Name and IBAN of the debtor or creditor (camt .02: Dbtr/Nm; .08: Dbtr/Pty/Nm)."""
    parties = _find(tx, "RltdPties")
    name = (_text(parties, role, "Nm") or _text(parties, role, "Pty", "Nm")
            or _text(parties, f"Ultmt{role}", "Nm") or _text(parties, f"Ultmt{role}", "Pty", "Nm"))
    iban = _text(parties, f"{role}Acct", "Id", "IBAN")
    return name, iban


def _remittance(tx: Element | None) -> str:
    info = _find(tx, "RmtInf")
    parts = [squash(u.text) for u in _children(info, "Ustrd") if u.text]
    for structured in _children(info, "Strd"):
        ref = _text(structured, "CdtrRefInf", "Ref")
        if ref:
            parts.append(ref)
    return " ".join(parts)


def _tx_amount(tx: Element, where: Phrase) -> int | None:
    raw = _text(tx, "Amt") or _text(tx, "AmtDtls", "TxAmt", "Amt")
    return amount_cents(raw, where) if raw else None


def _status(entry: Element) -> str:
    return (_text(entry, "Sts", "Cd") or _text(entry, "Sts")).upper()


def read_camt(data: bytes | IO[bytes]) -> list[StatementLine]:
    """The booked lines of a CAMT.053 file (its bytes, or the open file to stream)."""
    return list(iter_camt(data))


def iter_camt(data: bytes | IO[bytes]) -> Iterator[StatementLine]:
    """The booked lines of a CAMT.053 file one by one, as they are read."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    head = source.read(4096)
    source.seek(0)
    if _root_name(head) != "Document":
        raise _not_camt()
    account: str | None = None
    seen_statement = False
    local: dict[str, str] = {}  # element tag -> its local name, worked out once per tag
    for _event, element in _ends(source):
        tag = local.get(element.tag)
        if tag is None:
            tag = local[element.tag] = _local(element.tag)
        if tag == "Ntry":
            if _status(element) in ("BOOK", ""):  # pending or information: not booked yet
                yield from _entry_lines(element, account or "")
            element.clear()
        elif tag == "Acct" and account is None:  # the statement's account comes first
            account = _account_of(element)
        elif tag == "Stmt":
            account, seen_statement = None, True
            element.clear()
        elif tag == "Document" and not seen_statement and element.find(
                "{*}BkToCstmrStmt") is None:
            raise _not_camt()


def _not_camt() -> InputError:
    return InputError(FIELD, "is XML but not a CAMT.053 bank statement "
                             "(no Document/BkToCstmrStmt)")


def _account_of(acct: Element) -> str:
    return _text(acct, "Id", "IBAN") or _text(acct, "Id", "Othr", "Id")


def _entry_lines(entry: Element, account: str) -> list[StatementLine]:
    entry_ref = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
    where = Phrase("entry {ref}", ref=entry_ref or "?")
    amount = amount_cents(_text(entry, "Amt"), where)
    credit = _text(entry, "CdtDbtInd").upper() == "CRDT"
    if not credit and _text(entry, "CdtDbtInd").upper() != "DBIT":
        raise InputError(FIELD, "{where}: CdtDbtInd must be CRDT or DBIT", where=where)
    booked = _entry_date(entry, "BookgDt") or _entry_date(entry, "ValDt")
    if booked is None:
        raise InputError(FIELD, "{where}: has no booking date", where=where)
    value = _entry_date(entry, "ValDt")
    currency = sys.intern(next((a.get("Ccy", "EUR") for a in _children(entry, "Amt")), "EUR"))
    txs = [tx for details in _children(entry, "NtryDtls") for tx in _children(details, "TxDtls")]
    amounts = [_tx_amount(tx, where) for tx in txs]
    split = len(txs) > 1 and all(a is not None for a in amounts)
    groups: list[tuple[Element | None, int]] = (
        [(tx, a) for tx, a in zip(txs, amounts, strict=True) if a is not None] if split
        else [(txs[0] if txs else None, amount)])
    extra = _text(entry, "AddtlNtryInf")
    lines = []
    for index, (tx, part) in enumerate(groups):
        name, iban = _party(tx, "Dbtr" if credit else "Cdtr")
        text = " ".join(x for x in (_remittance(tx), _text(tx, "AddtlTxInf"), extra) if x)
        end_to_end = _text(tx, "Refs", "EndToEndId")
        if end_to_end.upper() == "NOTPROVIDED":
            end_to_end = ""
        tx_ref = _text(tx, "Refs", "AcctSvcrRef")
        basis_ref = tx_ref or (f"{entry_ref}#{index}" if split else entry_ref)
        lines.append(StatementLine(
            bank="camt053", account=account, booking_date=booked, value_date=value,
            amount=part if credit else -part, currency=currency, counterparty_name=name,
            counterparty_iban=iban, description=text,
            bank_ref=end_to_end or tx_ref or entry_ref,
            key_basis="|".join([basis_ref, booked.isoformat(), str(part)]) if basis_ref else
            "|".join([booked.isoformat(), str(part), iban, name, text]),
        ))
    return lines
