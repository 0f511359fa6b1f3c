"""Payments received on an issued invoice (and refunds, as negative payments).

**The payment date rule** (:func:`may_pay_on`, checked for every payment by
:func:`check_payment_date`, and used by the bank matcher so that it never proposes such a
payment): money for an invoice is received on or after the invoice's date, and not after
today. A refund is not dated before the money it pays back: on its date that much had been
paid, and a refund owed because of a credit note is not dated before that credit note.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.base.codes import InvoiceKind
from ledger.base.dates import format_date
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



def may_pay_on(invoice_date: date, paid_on: date) -> bool:
    """Can money for an invoice of ``invoice_date`` have been received on ``paid_on``?
    Not before the invoice's date (a bank line of 2019 does not pay an invoice of 2026)."""
    return paid_on >= invoice_date


def check_payment_date(invoice: Invoice, paid_on: date, today: date) -> None:
    """Refuse a payment (or refund) dated before the invoice or after today, naming both
    dates. After today: a payment is booked when the money is there, and a date in the
    future is a typing error (2062 for 2026) that would put money in a year not yet begun."""
    if invoice.date is not None and not may_pay_on(invoice.date, paid_on):
        raise InputError(
            "date", "the payment date {paid_on} is before the invoice date {invoice_date} "
            "of {number}", paid_on=format_date(paid_on), invoice_date=format_date(invoice.date),
            number=invoice.number or "")
    if paid_on > today:
        raise InputError(
            "date", "the payment date {paid_on} is after today ({today}); book a payment "
            "when it has been received", paid_on=format_date(paid_on), today=format_date(today))


def _paid_until(session: Session, invoice: Invoice, on: date) -> int:
    """What was paid on ``invoice`` up to and including ``on`` (refunds subtracted)."""
    return int(session.scalar(select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
        Payment.invoice_id == invoice.id, Payment.date <= on)) or 0)


def _check_paid_by(session: Session, invoice: Invoice, refund: int, on: date) -> None:
    """A refund of ``refund`` cents dated ``on`` pays back money that was paid by then."""
    paid = _paid_until(session, invoice, on)
    if refund > paid:
        raise InputError(
            "date", "on {paid_on} only {paid} had been paid on {number}; a refund is not "
            "dated before the payment it pays back", paid_on=format_date(on),
            paid=format_money(max(paid, 0)), number=invoice.number or "")


def _check_owed_by(session: Session, invoice: Invoice, refund: int, on: date) -> None:
    """A refund owed because of a credit note is not dated before that credit note: on
    its date, what was paid less what was left to pay after the credit notes dated by
    then covers it."""
    credits = list(session.execute(
        select(Invoice.number, Invoice.date, Invoice.total_cents).where(
            Invoice.credit_of_id == invoice.id, Invoice.number.is_not(None))
        .order_by(Invoice.date, Invoice.id)))
    credited = -sum(total for _n, day, total in credits if day is not None and day <= on)
    owed = _paid_until(session, invoice, on) - max(invoice.total_cents - credited, 0)
    later = [(number, day) for number, day, _t in credits if day is not None and day > on]
    if refund > owed and later:
        number, day = later[0]
        raise InputError(
            "date", "the refund date {paid_on} is before the date {credit_date} of credit "
            "note {credit} that it pays back", paid_on=format_date(on),
            credit_date=format_date(day), credit=number or "")


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
            _check_owed_by(session, invoice, amount, on or books.clock.today())
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
    paid_on = on or books.clock.today()
    check_payment_date(invoice, paid_on, books.clock.today())
    current = invoice_info(session, books, invoice.id)
    if amount > 0 and amount > current.open:
        raise RuleViolation(
            "amount: more than is open on {number} ({amount})",
            number=invoice.number, amount=format_money(current.open)
        )
    if amount < 0 and -amount > max(current.paid, 0):
        raise RuleViolation(
            "amount: a refund cannot exceed what was paid on {number}", number=invoice.number)
    if amount < 0:
        _check_paid_by(session, invoice, -amount, paid_on)
    payment = Payment(
        invoice_id=invoice.id, date=paid_on, amount_cents=amount,
        method=method, reference=reference, created_at=books.clock.now(),
    )
    session.add(payment)
    session.flush()
    sums.paid(session, payment)
    return payment
