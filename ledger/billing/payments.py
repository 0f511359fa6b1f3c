"""Payments received on an issued invoice (and refunds, as negative payments)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ledger.base.codes import InvoiceKind
from ledger.base.errors import InputError, RuleViolation
from ledger.base.money import format_money
from ledger.base.views import InvoiceInfo
from ledger.billing.status import find_invoice, invoice_info
from ledger.books import Books
from ledger.derived import sums
from ledger.store.models import Invoice, Payment

METHODS = {
    "bank": "bank", "overboeking": "bank", "transfer": "bank", "bank transfer": "bank",
    "pin": "pin", "card": "pin", "kaart": "pin", "cash": "cash", "contant": "cash",
    "other": "other", "anders": "other",
}



def parse_method(text: str) -> str:
    method = METHODS.get(text.strip().lower())
    if method is None:
        raise InputError("method", "must be bank, pin or cash")
    return method


def register_payment(
    books: Books,
    ref: str | int,
    amount: int,
    *,
    on: date | None = None,
    method: str = "bank",
    reference: str = "",
) -> InvoiceInfo:
    """A payment received (or, as a negative amount, a refund paid out)."""
    with books.db.write() as session:
        invoice = find_invoice(session, ref)
        add_payment(session, books, invoice, amount, on=on, method=method, reference=reference)
        return invoice_info(session, books, invoice.id)


def owed_back(info: InvoiceInfo) -> int:
    """What the practice owes the client back on an issued invoice: what was paid beyond
    what is left to pay after its credit notes (0 when nothing is owed back)."""
    return max(-info.open, 0) if info.kind == InvoiceKind.INVOICE else 0


def register_refund(
    books: Books, ref: str | int, amount: int, *, on: date | None = None,
    method: str = "bank", reference: str = "",
) -> InvoiceInfo:
    """Money paid back to the client after a credit note (``amount`` positive), booked as a
    negative payment on the original invoice; never more than :func:`owed_back`."""
    with books.db.write() as session:
        invoice = find_invoice(session, ref)
        if amount <= 0:
            raise InputError("amount", "must be more than zero")
        if invoice.number is not None and invoice.kind == InvoiceKind.INVOICE:
            owed = owed_back(invoice_info(session, books, invoice.id))
            if amount > owed:
                raise RuleViolation(
                    "amount: more than is owed back on {number} ({amount})",
                    number=invoice.number, amount=format_money(owed))
        add_payment(session, books, invoice, -amount, on=on, method=method,
                    reference=reference)
        return invoice_info(session, books, invoice.id)


def add_payment(
    session: Session,
    books: Books,
    invoice: Invoice,
    amount: int,
    *,
    on: date | None = None,
    method: str = "bank",
    reference: str = "",
) -> Payment:
    """:func:`register_payment` inside the caller's transaction (a bank line paying two
    invoices books both payments in one transaction)."""
    if amount == 0:
        raise InputError("amount", "must not be zero")
    if invoice.number is None:
        raise RuleViolation("invoice: issue the draft before registering a payment")
    if invoice.kind == InvoiceKind.CREDIT:
        original = session.get(Invoice, invoice.credit_of_id)
        raise RuleViolation(
            "invoice: register a refund on the original invoice {number} with a negative amount",
            number=original.number if original else "")
    current = invoice_info(session, books, invoice.id)
    if amount > 0 and amount > current.open:
        raise RuleViolation(
            "amount: more than is open on {number} ({amount})",
            number=invoice.number, amount=format_money(current.open)
        )
    if amount < 0 and -amount > max(current.paid, 0):
        raise RuleViolation(
            "amount: a refund cannot exceed what was paid on {number}", number=invoice.number)
    payment = Payment(
        invoice_id=invoice.id, date=on or books.clock.today(), amount_cents=amount,
        method=method, reference=reference, created_at=books.clock.now(),
    )
    session.add(payment)
    session.flush()
    sums.paid(session, payment)
    return payment
