"""ISO 20022 CAMT.053 (bank to customer statement), every version from .001.02 on.

Elements are recognised by their local names (``Ntry``, ``Amt`` ...), so the namespace of
each version (``urn:iso:std:iso:20022:tech:xsd:camt.053.001.02`` ... ``.08`` ...) and its
prefix do not matter. The file is read as a stream by the standard library's expat parser,
a chunk at a time, and walked with a small table of the places solebook reads
(``Stmt/Ntry/NtryDtls/TxDtls/RltdPties/Dbtr/Nm`` ...): no tree is built, only the texts of
those places are kept, and each entry is let go once it is a line, so a 50,000-entry file
never stands in memory whole, neither as bytes nor as elements.

A document type declaration (which entity expansion, "billion laughs", and external
entities need, and which a bank statement never has) is refused with one line before
anything is read: ``defusedxml`` reads the prolog, up to the first element, where a DTD
can only stand (the parser that reads the rest refuses one too, should it meet one); a
``<!DOCTYPE`` after the first element is not well-formed XML and refused as such.

Only booked entries (status ``BOOK``) are read. An entry that bundles several
transactions (a batch) with their own amounts becomes one line per transaction.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable, Iterator
from datetime import date
from typing import IO, Any, NoReturn
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from ledger.bank.lines import FIELD, StatementLine, amount_cents, statement_date
from ledger.base.errors import InputError, Phrase

CHUNK = 1 << 20  # bytes handed to the parser at a time

# Where an element is, as far as reading a statement goes. The texts solebook reads are
# named by their path below the statement (``STMT``), the entry (``ENTRY``) or one of its
# transactions (``TX``); each is kept in a dict of its scope under that path.
STMT, ENTRY, TX = 0, 1, 2
_STATEMENT_TEXTS = ("Acct/Id/IBAN", "Acct/Id/Othr/Id")
_ENTRY_TEXTS = ("Amt", "CdtDbtInd", "Sts", "Sts/Cd", "BookgDt/Dt", "BookgDt/DtTm",
                "ValDt/Dt", "ValDt/DtTm", "AcctSvcrRef", "NtryRef", "AddtlNtryInf")
_TX_TEXTS = (*(f"RltdPties/{party}" for role in ("Dbtr", "Cdtr") for party in (
    f"{role}/Nm", f"{role}/Pty/Nm", f"Ultmt{role}/Nm", f"Ultmt{role}/Pty/Nm",
    f"{role}Acct/Id/IBAN")),
    "Amt", "AmtDtls/TxAmt/Amt", "AddtlTxInf", "Refs/EndToEndId", "Refs/AcctSvcrRef")
_TX_LISTS = ("RmtInf/Ustrd", "RmtInf/Strd/CdtrRefInf/Ref")  # every one, in order

# What starts or ends at an element: a new statement, entry or transaction.
_DOCUMENT, _GROUP, _STATEMENT, _ENTRY, _TX = 1, 2, 3, 4, 5


class _Node(dict[str, "_Node"]):
    """An element's place: which text it is (``path``, kept in ``scope``), what starts
    there (``event``), and the places below it by local name. As a dict it maps the
    parser's qualified names (``urn:...}Amt``) to those places, each worked out once."""

    __slots__ = ("below", "event", "listed", "path", "scope")

    def __init__(self, event: int = 0) -> None:
        super().__init__()
        self.below: dict[str, _Node] = {}
        self.path: str | None = None  # set by add() where a text is read
        self.scope, self.event, self.listed = 0, event, False

    def __missing__(self, name: str) -> _Node:
        node = self.below.get(name[name.rfind("}") + 1:], _OUTSIDE)
        if len(self) < 64:  # bounded: a file of made-up names cannot fill it
            self[name] = node
        return node

    def add(self, path: str, scope: int, *, listed: bool = False) -> None:
        node = self
        for part in path.split("/"):
            node = node.below.setdefault(part, _Node())
        node.path, node.scope, node.listed = path, scope, listed

    def place(self, name: str, event: int) -> _Node:
        node = self.below[name] = _Node(event)
        return node


_OUTSIDE = _Node()  # anything solebook does not read, and everything below it


def _places() -> _Node:
    top = _Node()
    group = top.place("Document", _DOCUMENT).place("BkToCstmrStmt", _GROUP)
    statement = group.place("Stmt", _STATEMENT)
    entry = statement.place("Ntry", _ENTRY)
    tx = entry.place("NtryDtls", 0).place("TxDtls", _TX)
    for path in _STATEMENT_TEXTS:
        statement.add(path, STMT)
    for path in _ENTRY_TEXTS:
        entry.add(path, ENTRY)
    for path in _TX_TEXTS:
        tx.add(path, TX)
    for path in _TX_LISTS:
        tx.add(path, TX, listed=True)
    return top


_TOP = _places()
_CURRENCY = _TOP.below["Document"].below["BkToCstmrStmt"].below["Stmt"].below["Ntry"].below["Amt"]


def _refused_dtd(*_args: object) -> NoReturn:
    raise InputError(FIELD, "the XML declares a DTD or entities, which a bank statement "
                            "never needs; refused for safety")


def _check_prolog(source: IO[bytes]) -> None:
    """Refuse a DTD, with ``defusedxml``, reading up to the first element; then back to
    the start of ``source``."""
    import defusedxml
    from defusedxml import ElementTree as SafeTree

    try:
        for _event in SafeTree.iterparse(source, events=("start",), forbid_dtd=True,
                                         forbid_entities=True, forbid_external=True):
            break
    except defusedxml.DefusedXmlException:
        _refused_dtd()
    except ParseError as exc:
        raise _not_well_formed(exc.position[0] if getattr(exc, "position", None) else 0
                               ) from None
    source.seek(0)


def _not_well_formed(line: int) -> InputError:
    return InputError(FIELD, "is not well-formed XML ({where})",
                      where=Phrase("line {number}", number=line))


_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")


def _root_name(head: bytes) -> str:
    """The name of the first element (after the declaration, comments, a doctype)."""
    text = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.DOTALL)
    found = _ROOT.search(text)
    return found.group(1).decode("ascii", "replace") if found else ""


def _not_camt() -> InputError:
    return InputError(FIELD, "is XML but not a CAMT.053 bank statement "
                             "(no Document/BkToCstmrStmt)")


def iter_camt(data: bytes | IO[bytes]) -> Iterator[StatementLine]:
    """The booked lines of a CAMT.053 file one by one, as they are read."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    _check_prolog(source)
    head = source.read(4096)
    if _root_name(head) != "Document":
        raise _not_camt()
    reader = _Reader()
    chunk = head
    while chunk:
        yield from reader.feed(chunk)
        chunk = source.read(CHUNK)
    yield from reader.feed(b"", last=True)


class _Reader:
    """Feeds a CAMT.053 to expat and turns each booked entry into lines as it ends."""

    def __init__(self) -> None:
        parser = self.parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        for handler in ("StartDoctypeDeclHandler", "EntityDeclHandler",
                        "UnparsedEntityDeclHandler", "ExternalEntityRefHandler"):
            setattr(parser, handler, _refused_dtd)
        self.ready: list[StatementLine] = []
        self.group = self.statement = False
        texts: list[str] = []
        marks: list[int] = []  # where the text of each open element solebook reads starts
        stack = [_TOP]
        scopes: list[dict[str, Any]] = [{}, {}, {}]
        txs: list[dict[str, Any]] = []
        collect = texts.append
        events = self._events(scopes, txs, texts)

        def start(name: str, attributes: dict[str, str]) -> None:
            node = stack[-1][name]
            stack.append(node)
            if node.path is not None:  # a text solebook reads: its characters are kept
                marks.append(len(texts))
                parser.CharacterDataHandler = collect
                if attributes and node is _CURRENCY:
                    scopes[ENTRY].setdefault("Amt@Ccy", attributes.get("Ccy"))
            elif node.event:
                events(node.event, True)

        def end(_name: str) -> None:
            node = stack.pop()
            if node.path is not None:
                mark = marks.pop()
                if marks:  # inside another text solebook reads (Sts/Cd)
                    text = " ".join("".join(texts[mark:]).split())
                else:  # outside every text solebook reads: no characters kept
                    text = " ".join((texts[0] if len(texts) == 1 else "".join(texts)).split())
                    parser.CharacterDataHandler = None
                    texts.clear()
                kept = scopes[node.scope]
                if node.listed:
                    if text:
                        kept.setdefault(node.path, []).append(text)
                elif node.path not in kept:  # the first, as Element.find would give
                    kept[node.path] = text
            elif node.event:
                events(node.event, False)

        parser.StartElementHandler = start
        parser.EndElementHandler = end

    def _events(self, scopes: list[dict[str, Any]], txs: list[dict[str, Any]],
                texts: list[str]) -> Callable[[int, bool], None]:
        def event(kind: int, starts: bool) -> None:
            if kind == _TX:
                if starts:
                    scopes[TX] = {}
                    txs.append(scopes[TX])
            elif kind == _ENTRY:
                if starts:
                    scopes[ENTRY] = {}
                    txs.clear()
                else:
                    entry = scopes[ENTRY]
                    if (entry.get("Sts/Cd") or entry.get("Sts", "")).upper() in ("BOOK", ""):
                        kept = scopes[STMT]
                        account = kept.get("Acct/Id/IBAN") or kept.get("Acct/Id/Othr/Id", "")
                        self.ready += _entry_lines(entry, txs, account)
                    texts.clear()
            elif kind == _STATEMENT:
                self.statement = True
                scopes[STMT] = {}
                texts.clear()
            elif kind == _GROUP:
                self.group = True
            elif kind == _DOCUMENT and not starts and not (self.group or self.statement):
                raise _not_camt()
        return event

    def feed(self, chunk: bytes, *, last: bool = False) -> list[StatementLine]:
        try:
            self.parser.Parse(chunk, last)
        except expat.ExpatError as exc:
            raise _not_well_formed(exc.lineno) from None
        if last and not (self.group or self.statement):
            raise _not_camt()
        ready, self.ready = self.ready, []
        return ready


def _entry_date(entry: dict[str, str], name: str, where: Phrase) -> date | None:
    raw = entry.get(f"{name}/Dt") or entry.get(f"{name}/DtTm")
    return statement_date(raw, where) if raw else None


#: Where the debtor's or creditor's name may stand (camt .02: Dbtr/Nm; .08: Dbtr/Pty/Nm),
#: in the order they count, and the IBAN.
_NAMES = {role: (f"RltdPties/{role}/Nm", f"RltdPties/{role}/Pty/Nm",
                 f"RltdPties/Ultmt{role}/Nm", f"RltdPties/Ultmt{role}/Pty/Nm")
          for role in ("Dbtr", "Cdtr")}
_IBANS = {role: f"RltdPties/{role}Acct/Id/IBAN" for role in ("Dbtr", "Cdtr")}


def _party(tx: dict[str, Any], role: str) -> tuple[str, str]:
    """Name and IBAN of the debtor or creditor."""
    for path in _NAMES[role]:
        name = tx.get(path)
        if name:
            return name, tx.get(_IBANS[role], "")
    return "", tx.get(_IBANS[role], "")


def _tx_amount(tx: dict[str, Any], where: Phrase) -> int | None:
    raw = tx.get("Amt") or tx.get("AmtDtls/TxAmt/Amt")
    return amount_cents(raw, where) if raw else None


def _entry_lines(entry: dict[str, Any], txs: list[dict[str, Any]], account: str
                 ) -> list[StatementLine]:
    entry_ref = entry.get("AcctSvcrRef") or entry.get("NtryRef", "")
    where = Phrase("entry {ref}", ref=entry_ref or "?")
    amount = amount_cents(entry.get("Amt", ""), where)
    mark = entry.get("CdtDbtInd", "").upper()
    if mark not in ("CRDT", "DBIT"):
        raise InputError(FIELD, "{where}: CdtDbtInd must be CRDT or DBIT", where=where)
    credit = mark == "CRDT"
    booked = _entry_date(entry, "BookgDt", where) or _entry_date(entry, "ValDt", where)
    if booked is None:
        raise InputError(FIELD, "{where}: has no booking date", where=where)
    value = _entry_date(entry, "ValDt", where)
    currency = sys.intern(entry.get("Amt@Ccy") or "EUR")
    amounts = [_tx_amount(tx, where) for tx in txs] if len(txs) > 1 else []
    split = bool(amounts) and all(a is not None for a in amounts)
    groups: list[tuple[dict[str, Any], int]] = (
        [(tx, a) for tx, a in zip(txs, amounts, strict=True) if a is not None] if split
        else [(txs[0] if txs else {}, amount)])
    extra = entry.get("AddtlNtryInf", "")
    lines = []
    role = "Dbtr" if credit else "Cdtr"
    for index, (tx, part) in enumerate(groups):
        name, iban = _party(tx, role)
        texts = [*tx.get("RmtInf/Ustrd", ()), *tx.get("RmtInf/Strd/CdtrRefInf/Ref", ())]
        if tx.get("AddtlTxInf"):
            texts.append(tx["AddtlTxInf"])
        if extra:
            texts.append(extra)
        text = " ".join(texts)
        end_to_end = tx.get("Refs/EndToEndId", "")
        if end_to_end.upper() == "NOTPROVIDED":
            end_to_end = ""
        tx_ref = tx.get("Refs/AcctSvcrRef", "")
        basis_ref = tx_ref or (f"{entry_ref}#{index}" if split else entry_ref)
        lines.append(StatementLine(  # positional: keywords cost measurably here
            "camt053", account, booked, value, part if credit else -part, currency, name,
            iban, text, end_to_end or tx_ref or entry_ref,
            "|".join([basis_ref, booked.isoformat(), str(part)]) if basis_ref else
            "|".join([booked.isoformat(), str(part), iban, name, text])))
    return lines
