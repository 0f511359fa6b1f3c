"""Drafts: a new draft invoice, its lines (from sessions, packages or typed by hand), and
deleting a draft. A draft has no number; issuing it is :mod:`ledger.billing.issuing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from ledger.base import parse
from ledger.base.codes import VatRegime
from ledger.base.errors import N_, InputError, RuleViolation
from ledger.base.forms import Field, parse_form
from ledger.base.money import split_gross
from ledger.base.views import InvoiceInfo
from ledger.billing.status import find_invoice, invoice_info
from ledger.books import Books
from ledger.practice.profile import practice_info
from ledger.store.models import Client, Invoice, InvoiceLine

ZERO = Decimal(0)

LINE_FIELDS = {  # a line typed by hand, as the command line and the screen take it
    "description": Field(N_("description"), lambda raw, label: parse.parse_name(
        raw, label, max_length=500), blank=None),
    "amount": Field(N_("amount"), lambda raw, label: parse.parse_amount(
        raw, label, allow_negative=True), blank=None),
    "quantity": Field(N_("quantity"), lambda raw, label: parse.parse_int(
        raw, label, minimum=1, maximum=1000), blank=1),
    "vat_rate": Field(N_("VAT rate"), parse.parse_vat_rate, blank=Decimal(21)),
}


def effective_rate(regime: str, rate: Decimal) -> Decimal:
    """Outside the standard regime no VAT is charged (exempt, KOR)."""
    return rate if regime == VatRegime.STANDARD else ZERO


def new_line(
    invoice: Invoice,
    *,
    description: str,
    quantity: int,
    unit_price: int,
    vat_rate: Decimal,
    supply_date: date | None = None,
    performance_code: str = "",
    session_id: int | None = None,
    package_id: int | None = None,
    credited_line_id: int | None = None,
) -> InvoiceLine:
    gross = quantity * unit_price
    net, vat = split_gross(gross, vat_rate)
    line = InvoiceLine(
        position=len(invoice.lines) + 1, supply_date=supply_date, description=description,
        quantity=quantity, unit_price_cents=unit_price, vat_rate=vat_rate, net_cents=net,
        vat_cents=vat, gross_cents=gross, performance_code=performance_code,
        session_id=session_id, package_id=package_id, credited_line_id=credited_line_id,
    )
    invoice.lines.append(line)
    return line


def new_draft(session: Session, books: Books, client: Client, kind: str = "invoice") -> Invoice:
    practice = practice_info(session)
    invoice = Invoice(
        kind=kind, client_id=client.id, language=client.language or practice.language,
        vat_regime=practice.vat_regime, created_at=books.clock.now(),
    )
    session.add(invoice)
    return invoice


def delete_draft(books: Books, ref: str | int) -> None:
    with books.db.write() as session:
        invoice = find_invoice(session, ref)
        if invoice.number is not None:
            raise RuleViolation(
                "invoice: {number} is issued and cannot be deleted; make a credit note",
                number=invoice.number
            )
        session.delete(invoice)


def add_free_line(
    books: Books,
    ref: str | int,
    *,
    description: str,
    amount: int,
    quantity: int = 1,
    vat_rate: Decimal = Decimal(21),
    supply_date: date | None = None,
) -> InvoiceInfo:
    """A line typed by hand on a draft (a product sold, a travel fee)."""
    with books.db.write() as session:
        invoice = find_invoice(session, ref)
        if invoice.number is not None:
            raise RuleViolation(
                "invoice: {number} is issued and cannot be changed", number=invoice.number)
        new_line(invoice, description=description, quantity=quantity, unit_price=amount,
                 vat_rate=vat_rate, supply_date=supply_date or books.clock.today())
        session.flush()
        return invoice_info(session, books, invoice.id)


def add_typed_line(books: Books, ref: str | int, raw: Mapping[str, str]) -> InvoiceInfo:
    """A line as typed (``LINE_FIELDS``: description, amount, quantity, VAT rate) added to a
    draft; the first field that is wrong is refused with its name, nothing is stored."""
    values = parse_form(LINE_FIELDS, raw)
    return add_free_line(books, ref, description=values["description"],
                         amount=values["amount"], quantity=values.get("quantity", 1),
                         vat_rate=values.get("vat_rate", Decimal(21)))


def remove_line(books: Books, ref: str | int, position: int) -> InvoiceInfo:
    """Take line ``position`` off a draft; the lines after it move up, and a session on it
    becomes unbilled again. An issued invoice is never changed (correct it with a credit
    note); a package sale's line goes only with its draft."""
    with books.db.write() as session:
        invoice = find_invoice(session, ref)
        if invoice.number is not None:
            raise RuleViolation(
                "invoice: {number} is issued and cannot be changed", number=invoice.number)
        lines = sorted(invoice.lines, key=lambda line: line.position)
        line = next((line for line in lines if line.position == position), None)
        if line is None:
            raise InputError("line", "draft #{id} has no line {position}",
                             id=invoice.id, position=position)
        if line.package_id is not None:
            raise RuleViolation("invoice: line {position} sells a package; delete the draft "
                                "instead", position=position)
        invoice.lines.remove(line)
        session.delete(line)
        session.flush()
        for number, rest in enumerate(sorted(invoice.lines, key=lambda x: x.position), 1):
            rest.position = number
        session.flush()
        return invoice_info(session, books, invoice.id)
