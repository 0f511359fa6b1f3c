"""Statement lines in the books: the review of what an import proposes, and booking
payments.

Booking a line (:func:`confirm_line`) registers its payment(s) with the same checks as
``invoice pay`` (:func:`ledger.billing.payments.add_payment`), all of a line in one transaction,
with the bank's reference on each payment. A line can be corrected (other invoices or
amounts), sent back to unmatched, or ignored (money that is not for an invoice). Importing
a statement file is :mod:`ledger.bank.importing`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import Session

from ledger.bank.match import OpenInvoice, name_matches
from ledger.bank.notes import dump_note, english, load_note
from ledger.base.codes import OPEN_STATUSES, BankLineStatus
from ledger.base.errors import N_, InputError, NotFound, Phrase, RuleViolation
from ledger.base.money import Amount, format_money
from ledger.base.parse import parse_amount
from ledger.billing.payments import add_payment
from ledger.billing.status import filtered_invoices, find_invoice, invoice_info, summary_query
from ledger.books import Books
from ledger.store.bulk import rows_where_in
from ledger.store.models import Client, Invoice
from ledger.store.models.paid import BankLine, BankMatch

REVIEW = ("proposed", "unmatched")


@dataclass(frozen=True, slots=True)
class MatchView:
    invoice_number: str
    amount: int
    rule: str
    status: str  # proposed, confirmed, rejected
    payment_id: int | None


@dataclass(frozen=True, slots=True)
class BankLineView:
    id: int  # a duplicate (a line stored by an earlier import) has the stored line's id
    booking_date: date
    amount: int
    counterparty_name: str
    counterparty_iban: str
    description: str
    bank_ref: str
    status: str  # booked, proposed, unmatched, duplicate, debit, ignored, other
    note: str  # in English (what --json shows)
    matches: tuple[MatchView, ...]
    account: str = ""  # the account the statement is of (the practice's own, or other)
    phrase: Phrase | None = None  # the note as its template and values (ledger.bank.notes)

    def note_in(self, language: str) -> str:
        """The note in ``language`` (in English where a kept note no longer fits its
        translation)."""
        if self.phrase is None:
            return self.note
        try:
            return self.phrase.text(language)
        except (KeyError, IndexError, ValueError):
            return self.note

    @property
    def invoice_numbers(self) -> tuple[str, ...]:
        return tuple(m.invoice_number for m in self.matches if m.status != "rejected")


# ------------------------------------------------------------------------------ reading
def matches_of(session: Session, ids: Sequence[int]) -> dict[int, tuple[MatchView, ...]]:
    """The matches of the lines ``ids``, each line's in the order they were made. Read
    straight through the driver: an import shows tens of thousands of lines read before."""
    conn = session.connection()
    found = sorted(rows_where_in(
        conn, cast(Table, BankMatch.__table__),
        ("id", "line_id", "invoice_id", "amount_cents", "rule", "status", "payment_id"),
        "line_id", list(ids)))
    if not found:
        return {}
    numbers = dict(rows_where_in(conn, cast(Table, Invoice.__table__), ("id", "number"), "id",
                                 sorted({row[2] for row in found})))
    out: dict[int, list[MatchView]] = defaultdict(list)
    for _id, line_id, invoice_id, amount, rule, status, payment_id in found:
        out[line_id].append(MatchView(numbers.get(invoice_id) or "", amount, rule, status,
                                      payment_id))
    return {line_id: tuple(views) for line_id, views in out.items()}


def _views(session: Session, lines: Sequence[BankLine]) -> list[BankLineView]:
    """Views of stored lines."""
    matches = matches_of(session, [line.id for line in lines])
    return [BankLineView(line.id, line.booking_date, line.amount_cents, line.counterparty_name,
                         line.counterparty_iban, line.description, line.bank_ref, line.status,
                         line.note, matches.get(line.id, ()), line.account,
                         load_note(line.note_phrase, line.note))
            for line in lines]


def open_invoices(session: Session, books: Books) -> list[OpenInvoice]:
    """Open invoices, less what lines awaiting review already propose for them."""
    _query, status = summary_query()
    query = filtered_invoices(kind="invoice", include_drafts=False).where(
        status.in_(OPEN_STATUSES))
    reserved = dict(session.execute(
        select(BankMatch.invoice_id, func.sum(BankMatch.amount_cents))
        .join(BankLine, BankLine.id == BankMatch.line_id)
        .where(BankMatch.status == BankLineStatus.PROPOSED,
               BankLine.status == BankLineStatus.PROPOSED)
        .group_by(BankMatch.invoice_id)).all())
    names = dict(session.execute(select(Client.id, Client.name)).all())
    out = []
    for invoice, _paid, _credited, open_, _status in session.execute(
            query, {"today": books.clock.today()}):
        out.append(OpenInvoice(invoice.id, invoice.number or "", invoice.date,
                               names.get(invoice.client_id, ""),
                               int(open_) - int(reserved.get(invoice.id, 0))))
    return out


def candidates(books: Books, line: BankLineView, limit: int = 6) -> list[OpenInvoice]:
    """Open invoices the line may pay, for the one who corrects it: first those of a
    client whose name the payer's looks like, then those with the line's amount open;
    each kind with its amount first, the oldest first."""
    if line.amount <= 0:
        return []
    with books.db.read() as session:
        found = [(not name_matches(line.counterparty_name, inv.client_name), inv)
                 for inv in open_invoices(session, books) if inv.open > 0]
    fitting = [(other, inv) for other, inv in found if not other or inv.open == line.amount]
    fitting.sort(key=lambda pair: (pair[0], pair[1].open != line.amount, pair[1].date,
                                   pair[1].number))
    return [inv for _other, inv in fitting[:limit]]


def _lines_query(status: str | None, import_id: int | None) -> Select[BankLine]:
    query = select(BankLine)
    if status == "review":
        query = query.where(BankLine.status.in_(REVIEW))
    elif status is not None:
        query = query.where(BankLine.status == status)
    if import_id is not None:
        query = query.where(BankLine.import_id == import_id)
    return query


def list_lines(books: Books, *, status: str | None = None, import_id: int | None = None,
               limit: int | None = 500, offset: int = 0) -> list[BankLineView]:
    """Stored lines, newest first; ``status="review"`` gives what awaits review. A page of
    ``limit`` lines from ``offset`` (:func:`count_lines` gives the total)."""
    query = _lines_query(status, import_id).order_by(BankLine.booking_date.desc(),
                                                     BankLine.id.desc())
    query = query.offset(max(offset, 0)).limit(limit)
    with books.db.read() as session:
        return _views(session, list(session.scalars(query)))


def count_lines(books: Books, *, status: str | None = None, import_id: int | None = None
                ) -> int:
    query = _lines_query(status, import_id).with_only_columns(func.count(BankLine.id))
    with books.db.read() as session:
        return int(session.scalar(query) or 0)


def get_line(books: Books, line_id: int) -> BankLineView:
    with books.db.read() as session:
        return _views(session, [load_line(session, line_id)])[0]


def load_line(session: Session, line_id: int) -> BankLine:
    line = session.get(BankLine, line_id)
    if line is None:
        raise NotFound("bank: there is no statement line {line_id}", line_id=line_id)
    return line


# ------------------------------------------------------------------------------ review
def parse_allocations(text: str, field: str = N_("invoices")) -> list[tuple[str, int | None]]:
    """What a person types to say what a line pays: ``2026-0003=100,00 2026-0004`` ->
    ``[("2026-0003", 10000), ("2026-0004", None)]`` (None: what is open on it)."""
    items = [part for part in re.split(r"[\s;]+", text.strip()) if part]
    if not items:
        raise InputError(field, "give at least one invoice number")
    out: list[tuple[str, int | None]] = []
    for item in items:
        number, _sep, amount = item.partition("=")
        if not number:
            raise InputError(field, "{item!r}: write NUMBER or NUMBER=AMOUNT", item=item[:30])
        out.append((number, parse_amount(amount, field) if amount else None))
    return out


def confirm_line(books: Books, line_id: int,
                 allocations: list[tuple[str, int | None]] | None = None) -> BankLineView:
    """Book a line: its proposed matches, or ``allocations`` ``[(invoice number, cents)]``
    given by the person reviewing it (which replace the proposal; an amount of None means
    what is open on the invoice, at most what is left of the line). One transaction."""
    with books.db.write() as session:
        line = load_line(session, line_id)
        if line.status == BankLineStatus.BOOKED:
            raise RuleViolation("bank: line {line_id} is already booked", line_id=line_id)
        if line.amount_cents <= 0:
            raise RuleViolation(
                "bank: line {line_id} is money paid out, not a payment received", line_id=line_id)
        if line.status == BankLineStatus.OTHER:
            raise RuleViolation(
                "bank: line {line_id} is of account {account}, not one of the practice's; add "
                "it with `practice set --bank-accounts` first", line_id=line_id,
                account=line.account)
        matches = list(session.scalars(select(BankMatch).where(
            BankMatch.line_id == line.id, BankMatch.status == BankLineStatus.PROPOSED)))
        now = books.clock.now()
        if allocations is not None:
            matches = _replace(session, books, line, matches, allocations, now)
        if not matches:
            raise RuleViolation("bank: line {line_id} has no match to confirm; give the "
                                "invoice(s) it pays", line_id=line_id)
        total = sum(m.amount_cents for m in matches)
        if total > line.amount_cents:
            raise RuleViolation(
                "bank: line {line_id} is {amount}, not {total}", line_id=line_id,
                amount=format_money(line.amount_cents), total=format_money(total))
        reference = (line.bank_ref or f"bank {line.booking_date.isoformat()} "
                                      f"{line.counterparty_name}")[:200]
        for match in matches:
            invoice = session.get(Invoice, match.invoice_id)
            assert invoice is not None
            payment = add_payment(session, books, invoice, match.amount_cents,
                                  on=line.booking_date, method="bank", reference=reference)
            match.status, match.payment_id, match.decided_at = "confirmed", payment.id, now
        line.status = "booked"
        left = line.amount_cents - total
        why = Phrase("{amount} not allocated", amount=Amount(left)) if left else None
        line.note, line.note_phrase = english(why), dump_note(why)
        session.flush()
        return _views(session, [line])[0]


def _replace(session: Session, books: Books, line: BankLine, old: list[BankMatch],
             allocations: list[tuple[str, int | None]], now: datetime) -> list[BankMatch]:
    if not allocations:
        raise InputError("invoice", "give at least one invoice")
    new = []
    left = line.amount_cents
    for ref, wanted in allocations:
        invoice = find_invoice(session, ref)
        amount = wanted if wanted is not None else min(
            left, invoice_info(session, books, invoice.id).open)
        if amount <= 0:
            raise InputError("amount", "nothing to book on {number}",
                number=invoice.number or ref)
        left -= amount
        match = BankMatch(line_id=line.id, invoice_id=invoice.id, amount_cents=amount,
                          rule="manual", status="proposed")
        session.add(match)
        new.append(match)
    for match in old:
        match.status, match.decided_at = "rejected", now
    session.flush()
    return new


def reject_line(books: Books, line_id: int, *, ignore: bool = False) -> BankLineView:
    """Turn down what was proposed: the line becomes unmatched (or ignored: money that
    is not a payment of an invoice)."""
    with books.db.write() as session:
        line = load_line(session, line_id)
        if line.status == BankLineStatus.BOOKED:
            raise RuleViolation(
                "bank: line {line_id} is booked; its payments stay", line_id=line_id)
        for match in session.scalars(select(BankMatch).where(
                BankMatch.line_id == line.id, BankMatch.status == BankLineStatus.PROPOSED)):
            match.status, match.decided_at = "rejected", books.clock.now()
        if line.status != BankLineStatus.DEBIT:
            line.status = "ignored" if ignore else "unmatched"
        session.flush()
        return _views(session, [line])[0]
