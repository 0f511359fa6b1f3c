"""Importing a bank statement file into the books.

:func:`import_statement` reads a file (:mod:`ledger.bank.formats`), stores the lines it
does not have yet with what each seems to pay (:mod:`ledger.bank.match`), a thousand at a
time as they are read, all in one transaction, and, when asked, books the certain ones
(:func:`ledger.bank.booking.confirm_line`). A line that is already stored (same import key,
or the same payment read from another format) is reported as ``duplicate`` and not stored
again, so importing a file twice adds nothing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import IO, Any, NamedTuple, cast

from sqlalchemy import Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ledger.bank.accounts import is_own, own_numbers
from ledger.bank.booking import (
    BankLineView,
    MatchView,
    confirm_line,
    list_lines,
    load_line,
    matches_of,
    open_invoices,
)
from ledger.bank.formats import (
    FIELD,
    StatementLine,
    is_xml,
    statement_lines,
    xml_statement_lines,
)
from ledger.bank.match import OpenInvoice, Proposal, propose
from ledger.bank.notes import STATUS_WORDS, Kept, dump_note, english
from ledger.bank.reading import StatementFile
from ledger.base.codes import BankLineStatus, InvoiceKind
from ledger.base.errors import InputError, Phrase, RuleViolation, StorageError, phrase_of
from ledger.books import Books
from ledger.practice.profile import practice_info
from ledger.store.audit import insert_logged
from ledger.store.bulk import no_cycle_collection, page_cache, rows_where_in
from ledger.store.models import Invoice
from ledger.store.models.paid import BankImport, BankLine, BankMatch

#: What a line of an account that is not the practice's gets: stored, shown apart, never
#: matched (see ledger.bank.accounts). No note: the status says it in the reader's language.
OTHER = Proposal("other", "")
_BOOKED_NOW = Phrase("imported before; booked now")
CHUNK = 1000  # lines read and stored at a time
PAGE_CACHE_MB = 6  # SQLite's page cache while a statement is stored (see bulk.page_cache)


@dataclass(frozen=True)
class ImportResult:
    import_id: int | None
    format: str
    lines: tuple[BankLineView, ...]

    def count(self, status: str) -> int:
        return sum(1 for line in self.lines if line.status == status)



# ------------------------------------------------------------------------------ matching
def _issued_numbers(session: Session) -> list[str]:
    return [n for n in session.scalars(
        select(Invoice.number).where(Invoice.number.is_not(None),
                                     Invoice.kind == InvoiceKind.INVOICE)) if n]


# ------------------------------------------------------------------------------ importing
def import_statement(books: Books, path: Path | str, *, book_certain: bool = False
                     ) -> ImportResult:
    """Read a statement file, store its new lines with proposals, optionally book the
    certain ones. Returns every line of the file with its status.

    The file is read as it is stored, a chunk of lines at a time, all in one transaction:
    a CAMT.053 never stands in memory whole, nor do the lines of any file beside their
    views; a line that cannot be read, wherever it is, leaves nothing stored."""
    path = Path(path).expanduser()
    with StatementFile(path) as source, _naming(path), no_cycle_collection():
        fmt, lines, digest = _open(source)
        try:
            import_id, certain, views = _store(books, fmt, lines, path.name, digest)
        except IntegrityError:
            raise StorageError("bank: another import of the same lines ran at the same "
                               "moment; import the file again") from None
    if book_certain:
        booked = {}
        for line_id in certain:
            try:
                booked[line_id] = confirm_line(books, line_id)
            except (RuleViolation, InputError) as exc:
                _annotate(books, line_id, phrase_of(exc))
        stored = {v.id: v for v in list_lines(books, import_id=import_id)} if import_id else {}
        views = [stored.get(v.id, v) if v.status != "duplicate" else
                 _again(booked[v.id]) if v.id in booked else v for v in views]
    return ImportResult(import_id, fmt, tuple(views))


def _open(source: StatementFile) -> tuple[str, Iterator[StatementLine], Callable[[], str]]:
    """The format of the statement in ``source``, its lines (read as they are taken) and
    what gives the file's SHA-256 once they have all been taken. A CAMT.053 (XML) is read
    once, as a stream, so that its bytes never stand in memory whole: its hash is that of
    the bytes its lines were read from, taken as they are read."""
    xml = is_xml(source.read(1024))
    source.seek(0)
    if not xml:
        data = source.read()
        fmt, lines = statement_lines(data)
        digest = hashlib.sha256(data).hexdigest()
        return fmt, lines, lambda: digest
    return "camt053", xml_statement_lines(cast(IO[bytes], source)), source.sha256


@contextmanager
def _naming(path: Path) -> Iterator[None]:
    """A refusal of the file's content names the file: "file: camt053.xml: line 7: ..."."""
    try:
        yield
    except InputError as exc:
        if exc.field != FIELD or exc.params.get("path") == path:
            raise  # about the file (it grew, cannot be read), or not about the file
        raise InputError(exc.field, "{name}: {problem}", name=path.name,
                         problem=Phrase(exc.template, **exc.params)) from None


def _store(books: Books, fmt: str, lines: Iterator[StatementLine], file_name: str,
           digest: Callable[[], str]) -> tuple[int | None, list[int], list[BankLineView]]:
    """Store the lines that are new, a chunk at a time, with what each seems to pay; the
    import's record comes with the first new line (none when the file adds nothing), its
    counts and the file's hash (``digest``) when the file has been read.
    Returns the record's id, the lines whose proposal is certain, and every line's view."""
    with books.db.write() as session, page_cache(session.connection(), PAGE_CACHE_MB):
        record: BankImport | None = None
        counts = [0, 0]  # new, duplicate
        pattern = practice_info(session).number_pattern
        own = own_numbers(session)
        mine: dict[str, bool] = {}
        invoices = {inv.id: inv for inv in open_invoices(session, books)}
        issued = frozenset(_issued_numbers(session))
        now = books.clock.now()
        notes = Kept()
        certain: list[int] = []
        views: list[BankLineView] = []
        for chunk in _chunks(lines, CHUNK):
            existing, dupes = _stored(session, chunk)
            certain += _still_certain(session, list(existing.values()))
            new = [line for line in chunk if line.import_key not in existing]
            counts[0] += len(new)
            counts[1] += len(chunk) - len(new)
            stored: list[BankLineView] = []  # the views of ``new``, in its order
            if new:
                if record is None:
                    record = BankImport(file_name=file_name[:300], sha256="", format=fmt,
                                        imported_at=now)
                    session.add(record)
                    session.flush()
                rows: list[dict[str, Any]] = []
                proposals: list[tuple[Proposal, Phrase | None]] = []
                for line in new:
                    owned = mine.get(line.account)
                    if owned is None:  # a statement is of one account or a few
                        owned = mine[line.account] = is_own(line.account, own)
                    proposal = _proposal(line, owned, invoices, issued, pattern)
                    row, why = _new_line(record.id, line, proposal, now, notes)
                    rows.append(row)
                    proposals.append((proposal, why))
                _insert(session, rows, proposals, stored, certain)
            fresh = iter(stored)
            views += [next(fresh) if line.import_key not in existing
                      else dupes[existing[line.import_key].id] for line in chunk]
        if record is None:  # the file was imported before: nothing is added
            return None, certain, views
        record.lines_new, record.lines_duplicate = counts
        record.sha256 = digest()
        return record.id, certain, views


def _chunks(lines: Iterator[StatementLine], size: int) -> Iterator[tuple[StatementLine, ...]]:
    while chunk := tuple(islice(lines, size)):
        yield chunk


def _proposal(line: StatementLine, owned: bool, invoices: dict[int, OpenInvoice],
              issued: frozenset[str], pattern: str) -> Proposal:
    """What ``line`` seems to pay (``owned``: it is of one of the practice's accounts);
    what it takes is taken from ``invoices`` (later lines see what is left)."""
    if not owned:
        return OTHER
    proposal = propose(line.amount, line.counterparty_name,
                       f"{line.description} {line.bank_ref}", invoices.values(), issued,
                       pattern, line.booking_date)
    for a in proposal.allocations:
        inv = invoices[a.invoice_id]
        invoices[a.invoice_id] = OpenInvoice(
            inv.id, inv.number, inv.date, inv.client_name, inv.open - a.amount)
    return proposal


def _insert(session: Session, rows: list[dict[str, Any]],
            proposals: list[tuple[Proposal, Phrase | None]], stored: list[BankLineView],
            certain: list[int]) -> None:
    """One INSERT for the chunk's lines and one for their matches (each row audited);
    ``proposals``: each line's proposal and note."""
    lines = insert_logged(session, BankLine, rows, unique="import_key")
    matches = []
    for line, row, (proposal, why) in zip(lines, rows, proposals, strict=True):
        line_id = line["id"]
        proposed = row["status"] == BankLineStatus.PROPOSED
        if proposed:
            matches += [{"line_id": line_id, "invoice_id": a.invoice_id,
                         "amount_cents": a.amount, "rule": proposal.rule,
                         "status": "proposed"} for a in proposal.allocations]
            if proposal.certain:
                certain.append(line_id)
        stored.append(_view_of(line_id, row, proposal if proposed else None, why))
    if matches:
        insert_logged(session, BankMatch, matches)


def _view_of(line_id: int, row: dict[str, Any], proposal: Proposal | None,
             why: Phrase | None) -> BankLineView:
    """What was just stored, as a view (without reading it back)."""
    matches = tuple(MatchView(a.number, a.amount, proposal.rule, "proposed", None)
                    for a in proposal.allocations) if proposal is not None else ()
    return BankLineView(line_id, row["booking_date"], row["amount_cents"],
                        row["counterparty_name"], row["counterparty_iban"], row["description"],
                        row["bank_ref"], row["status"], row["note"], matches, row["account"],
                        why)


#: What a line stored before is shown with when it was found by its identity (the same
#: payment read from another format): the stored line's own values.
_SHOWN = ("id", "status", "import_key", "identity", "booking_date", "amount_cents",
          "counterparty_name", "counterparty_iban", "description", "bank_ref", "account")


def _stored(session: Session, lines: Sequence[StatementLine]
            ) -> tuple[dict[str, _Found], dict[int, BankLineView]]:
    """The lines of the file that were imported before, by import key: the same key (the
    same file, or one overlapping it), or the same identity (the same payment read from
    another format); each as its stored line's id and status, and its view as a duplicate
    (by id): the line as the file has it (the same key: the same line) or as it was
    stored (the same payment in another format). Read straight through the driver: a
    re-import of 50,000 lines looks up 50,000 keys."""
    conn = session.connection()
    table = cast(Table, BankLine.__table__)
    by_key = {key: (line_id, status) for line_id, status, key in rows_where_in(
        conn, table, ("id", "status", "import_key"), "import_key",
        [x.import_key for x in lines])}
    others = [x.identity for x in lines if x.import_key not in by_key and x.identity]
    by_identity = {row[3]: row for row in rows_where_in(conn, table, _SHOWN, "identity",
                                                        others)} if others else {}
    found: dict[str, _Found] = {}
    shown: dict[int, tuple[Any, ...]] = {}  # id -> status, then the values of the view
    statuses: dict[str, str] = {}
    for line in lines:
        hit = by_key.get(line.import_key)
        if hit is not None:
            line_id, status = hit
            values: tuple[Any, ...] = (
                line.booking_date, line.amount, line.counterparty_name[:200],
                line.counterparty_iban[:40], line.description, line.bank_ref[:200],
                line.account[:40])
        else:
            row = by_identity.get(line.identity)
            if row is None:
                continue
            line_id, status, values = row[0], row[1], row[4:]
        status = statuses.setdefault(status, status)  # each status held once
        found[line.import_key] = _Found(line_id, status)
        shown[line_id] = (status, *values)
    return found, _duplicates(session, shown)


class _Found(NamedTuple):
    """A line of the file that is stored already: the stored line's id and status."""

    id: int
    status: str


def _duplicates(session: Session, shown: dict[int, tuple[Any, ...]]
                ) -> dict[int, BankLineView]:
    """The views, as duplicates, of the stored lines ``shown`` (by id: the stored status,
    the day, amount, name, IBAN, text, reference and account), with the stored matches;
    what many lines share (a day, a note, an account) is held once."""
    matches = matches_of(session, sorted(shown)) if shown else {}
    days: dict[date, date] = {}
    notes: dict[str, tuple[Phrase, str]] = {}
    accounts: dict[str, str] = {}
    out: dict[int, BankLineView] = {}
    for line_id, (status, day, amount, name, iban, text, ref, account) in shown.items():
        kept = notes.get(status)
        if kept is None:
            why = Phrase("imported before ({status})", status=Phrase(
                STATUS_WORDS.get(status, status)))
            kept = notes[status] = why, english(why)
        out[line_id] = BankLineView(
            line_id, days.setdefault(day, day), amount, name, iban, text, ref, "duplicate",
            kept[1], matches.get(line_id, ()), accounts.setdefault(account, account),
            kept[0])
    return out


def _still_certain(session: Session, rows: list[Any]) -> list[int]:
    """Lines imported before that still await booking and whose proposal was certain."""
    waiting = [row.id for row in rows if row.status == BankLineStatus.PROPOSED]
    if not waiting:
        return []
    rules: dict[int, set[str]] = defaultdict(set)
    for line_id, rule in session.execute(select(BankMatch.line_id, BankMatch.rule).where(
            BankMatch.line_id.in_(waiting), BankMatch.status == BankLineStatus.PROPOSED)):
        rules[line_id].add(rule)
    return [line_id for line_id in waiting if rules[line_id] == {"number"}]


def _again(view: BankLineView) -> BankLineView:
    """A line imported before whose certain proposal was booked by this import."""
    return replace(view, note=english(_BOOKED_NOW), phrase=_BOOKED_NOW)


def _new_line(import_id: int, line: StatementLine, proposal: Proposal, now: datetime,
              notes: Kept) -> tuple[dict[str, Any], Phrase | None]:
    """The values of a new ``bank_line`` row, and its note (held once in ``notes``)."""
    status = "debit" if line.amount <= 0 else proposal.status
    why = None if line.amount <= 0 else proposal.why
    if proposal is OTHER:
        status, why = OTHER.status, OTHER.why
    elif line.currency.upper() != "EUR" and line.amount > 0:
        status, why = "unmatched", Phrase("in {currency}, not euros", currency=line.currency)
    why, note, stored = notes.keep(why)
    return {
        "import_id": import_id, "bank": line.bank, "account": line.account[:40],
        "booking_date": line.booking_date, "value_date": line.value_date,
        "amount_cents": line.amount, "currency": line.currency[:3],
        "counterparty_name": line.counterparty_name[:200],
        "counterparty_iban": line.counterparty_iban[:40], "description": line.description,
        "bank_ref": line.bank_ref[:200], "import_key": line.import_key,
        "identity": line.identity or None, "status": status, "note": note,
        "created_at": now, "note_phrase": stored,
    }, why


def _annotate(books: Books, line_id: int, why: Phrase) -> None:
    with books.db.write() as session:
        line = load_line(session, line_id)
        line.note, line.note_phrase = english(why), dump_note(why)
