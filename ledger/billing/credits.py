"""Credit notes: invoices of kind credit with negative lines, for a whole invoice or for
chosen lines, never more than is left to credit on a line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.base.codes import InvoiceKind
from ledger.base.errors import InputError, RuleViolation
from ledger.base.money import format_money
from ledger.base.views import InvoiceInfo
from ledger.billing.drafts import new_draft, new_line
from ledger.billing.issuing import freeze
from ledger.billing.status import find_invoice, invoice_info
from ledger.books import Books
from ledger.practice.clients import load_client
from ledger.store.models import Invoice, InvoiceLine


def _credited_per_line(session: Session, line_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(InvoiceLine.credited_line_id, func.sum(InvoiceLine.gross_cents))
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(InvoiceLine.credited_line_id.in_(line_ids), Invoice.number.is_not(None))
        .group_by(InvoiceLine.credited_line_id)
    )
    return {int(line_id): -int(total) for line_id, total in rows if line_id is not None}


@dataclass(frozen=True)
class Creditable:
    """A line of an issued invoice and what is still left to credit on it (gross cents)."""

    position: int
    description: str
    gross: int
    left: int


def creditable_lines(books: Books, ref: str | int) -> list[Creditable]:
    """The lines of an issued invoice that a credit note can still take, with what is left
    on each (the same sums :func:`credit_lines` checks against)."""
    with books.db.read() as session:
        original = find_invoice(session, ref)
        done = _credited_per_line(session, [line.id for line in original.lines])
        rows = [Creditable(line.position, line.description, line.gross_cents,
                           line.gross_cents - done.get(line.id, 0))
                for line in sorted(original.lines, key=lambda x: x.position)]
    return [row for row in rows if row.left > 0]


def credit_lines(
    session: Session,
    books: Books,
    original: Invoice,
    amounts: dict[int, int | None],
    *,
    on: date | None = None,
    description: str | None = None,
) -> Invoice:
    """Issue a credit note for some lines of ``original``: ``{line_id: gross or None}``
    where None credits what is left of the line."""
    if original.number is None:
        raise RuleViolation("invoice: a draft is not credited; delete it instead")
    if original.kind != InvoiceKind.INVOICE:
        raise RuleViolation("invoice: {number} is itself a credit note", number=original.number)
    by_id = {line.id: line for line in original.lines}
    unknown = [str(i) for i in amounts if i not in by_id]
    if unknown:
        raise InputError(
            "lines", "{items} not on invoice {number}",
            items=", ".join(unknown), number=original.number)
    done = _credited_per_line(session, list(amounts))
    client = load_client(session, original.client_id)
    credit = new_draft(session, books, client, kind="credit")
    credit.credit_of_id = original.id
    credit.language = original.language
    credit.vat_regime = original.vat_regime
    for line_id, wanted in amounts.items():
        line = by_id[line_id]
        left = line.gross_cents - done.get(line_id, 0)
        amount = left if wanted is None else wanted
        if amount <= 0 or amount > left:
            if left <= 0:
                raise RuleViolation(
                    "invoice: line {position} of {number} has nothing left to credit",
                    position=line.position, number=original.number)
            raise RuleViolation(
                "invoice: line {position} of {number} can be credited by at most {amount}",
                position=line.position, number=original.number, amount=format_money(left))
        whole = amount == line.gross_cents
        credit_line = new_line(
            credit,
            description=description or line.description,
            quantity=-line.quantity if whole else -1,
            unit_price=line.unit_price_cents if whole else amount,
            vat_rate=line.vat_rate, supply_date=line.supply_date,
            performance_code=line.performance_code, package_id=line.package_id,
            credited_line_id=line.id,
        )
        if whole:  # mirror the original exactly
            credit_line.net_cents, credit_line.vat_cents = -line.net_cents, -line.vat_cents
    session.flush()
    freeze(session, books, credit, on)
    return credit


def credit_invoice(
    books: Books, ref: str | int, line_positions: list[int] | None = None,
    on: date | None = None,
) -> InvoiceInfo:
    """A credit note for the whole invoice (what is not yet credited) or chosen lines."""
    with books.db.write() as session:
        original = find_invoice(session, ref)
        if line_positions:
            positions = {line.position: line.id for line in original.lines}
            bad = [str(p) for p in line_positions if p not in positions]
            if bad:
                raise InputError(
                    "lines", "{number} has no line {items}",
                    number=original.number, items=", ".join(bad))
            wanted: dict[int, int | None] = {positions[p]: None for p in line_positions}
        else:
            done = _credited_per_line(session, [line.id for line in original.lines])
            wanted = {
                line.id: None for line in original.lines
                if line.gross_cents - done.get(line.id, 0) > 0
            }
            if not wanted:
                raise RuleViolation(
                    "invoice: {number} is already fully credited", number=original.number)
        credit = credit_lines(session, books, original, wanted, on=on)
        return invoice_info(session, books, credit.id)
