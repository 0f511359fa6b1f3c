"""Overdue invoices, payment reminders and the Dutch fourteen-day letter.

A private client who pays late may only be charged collection costs after a letter that
gives a last term of fourteen days, counted from the day after the letter was received,
and states the costs that will apply if that term passes (art. 6:96 lid 6 BW; the
"veertiendagenbrief"). The costs follow the scale of the Besluit vergoeding voor
buitengerechtelijke incassokosten (Wet normering buitengerechtelijke incassokosten, WIK):
:func:`collection_costs`.

A reminder is recorded per invoice with the amount that was open that day, the costs the
letter announced, the date from which they may be charged, how it went out (letter or
e-mail) and its archived PDF.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from ledger.base.codes import InvoiceKind, ReminderChannel, ReminderKind
from ledger.base.errors import InputError, RuleViolation
from ledger.base.money import round_cents
from ledger.base.views import InvoiceInfo
from ledger.billing.status import get_invoice, list_invoices
from ledger.books import Books
from ledger.practice.clients import get_client
from ledger.practice.profile import get_practice, get_setting, snapshot
from ledger.store.models import Document, Invoice
from ledger.store.models.paid import REMINDER_KINDS, Reminder

#: The WIK scale: (size of the bracket in cents or None for the rest, percentage).
WIK_BRACKETS: tuple[tuple[int | None, Decimal], ...] = (
    (2_500_00, Decimal("15")),
    (2_500_00, Decimal("10")),
    (5_000_00, Decimal("5")),
    (190_000_00, Decimal("1")),
    (None, Decimal("0.5")),
)
WIK_MINIMUM = 40_00
WIK_MAXIMUM = 6_775_00
TERM_DAYS = 14
#: Days a posted letter is assumed to take to arrive (an e-mail arrives the same day).
POST_DAYS = 2
FIRST_TERM_SETTING = "reminder_first_days"
FIRST_TERM_DEFAULT = 7
CHANNELS = ("letter", "email")


def collection_costs(principal: int) -> int:
    """Extrajudicial collection costs (WIK scale) on ``principal`` cents, in cents.

    15% of the first € 2.500 (at least € 40), 10% of the next € 2.500, 5% of the next
    € 5.000, 1% of the next € 190.000 and 0,5% of the rest, at most € 6.775. The sum over
    the brackets is exact; it is rounded to the cent once, by :func:`round_cents`.
    """
    if isinstance(principal, bool) or not isinstance(principal, int):
        raise TypeError("principal must be int cents")
    if principal <= 0:
        return 0
    rest, total = principal, Decimal(0)
    for size, percent in WIK_BRACKETS:
        part = rest if size is None else min(rest, size)
        total += Decimal(part) * percent / 100
        rest -= part
        if rest == 0:
            break
    costs = round_cents(total / 100)  # total is in cents; round_cents takes euros
    return min(max(costs, WIK_MINIMUM), WIK_MAXIMUM)


@dataclass(frozen=True)
class ReminderInfo:
    id: int
    invoice_id: int
    invoice_number: str
    kind: str  # first, fourteen_day
    date: dt.date
    principal: int
    costs: int
    pay_by: dt.date
    channel: str  # letter, email
    document_path: str | None


@dataclass(frozen=True)
class OverdueInvoice:
    invoice: InvoiceInfo
    days_overdue: int
    reminders: tuple[ReminderInfo, ...]
    next_step: str  # first, fourteen_day, wait, collection_costs

    @property
    def costs_if_unpaid(self) -> int:
        return collection_costs(self.invoice.open)


@dataclass(frozen=True)
class ReminderPlan:
    """Everything a reminder states, worked out before it is rendered or sent."""

    kind: str
    channel: str
    date: dt.date
    invoice: InvoiceInfo
    principal: int  # open on the invoice today
    costs: int  # announced collection costs (fourteen-day letter), else 0
    pay_by: dt.date  # first: the new term; fourteen-day: the day the term has surely passed
    days_overdue: int
    previous: tuple[ReminderInfo, ...]
    practice: dict[str, Any]  # the practice as it is now
    client: dict[str, Any]  # the client's current address
    client_email: str
    language: str


def _info(row: Reminder, number: str, path: str | None) -> ReminderInfo:
    return ReminderInfo(row.id, row.invoice_id, number, row.kind, row.date,
                        row.principal_cents, row.costs_cents, row.pay_by, row.channel, path)


def reminders_by_invoice(books: Books, invoice_ids: list[int]) -> dict[int, list[ReminderInfo]]:
    out: dict[int, list[ReminderInfo]] = {i: [] for i in invoice_ids}
    if not invoice_ids:
        return out
    query = (
        select(Reminder, Invoice.number, Document.path)
        .join(Invoice, Invoice.id == Reminder.invoice_id)
        .outerjoin(Document, Document.id == Reminder.document_id)
        .where(Reminder.invoice_id.in_(invoice_ids))
        .order_by(Reminder.date, Reminder.id)
    )
    with books.db.read() as session:
        for row, number, path in session.execute(query):
            out[row.invoice_id].append(_info(row, number or "", path))
    return out


def next_step(reminders: list[ReminderInfo] | tuple[ReminderInfo, ...], today: dt.date) -> str:
    if not reminders:
        return "first"
    last = reminders[-1]
    if today <= last.pay_by:
        return "wait"
    if any(r.kind == ReminderKind.FOURTEEN_DAY for r in reminders):
        return "collection_costs" if last.kind == ReminderKind.FOURTEEN_DAY else "wait"
    return "fourteen_day"


def overdue_invoices(books: Books) -> list[OverdueInvoice]:
    """Issued invoices past their due date with something open, oldest first."""
    today = books.clock.today()
    invoices = list_invoices(books, status="overdue", kind="invoice", include_drafts=False)
    reminders = reminders_by_invoice(books, [i.id for i in invoices])
    return [
        OverdueInvoice(inv, (today - inv.due_date).days if inv.due_date else 0,
                       tuple(reminders[inv.id]), next_step(reminders[inv.id], today))
        for inv in invoices
    ]


def first_term_days(books: Books) -> int:
    with books.db.read() as session:
        raw = get_setting(session, FIRST_TERM_SETTING, "")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= 60 else FIRST_TERM_DEFAULT


def plan_reminder(books: Books, ref: str | int, kind: str = "first",
                  channel: str = "letter") -> ReminderPlan:
    """Check that ``kind`` may be sent for the invoice today and work out what it says."""
    if kind not in REMINDER_KINDS:
        raise InputError(
            "kind", "{kind!r} is not one of: {items}",
            kind=kind, items=", ".join(REMINDER_KINDS))
    if channel not in CHANNELS:
        raise InputError(
            "channel", "{channel!r} is not one of: {items}",
            channel=channel, items=", ".join(CHANNELS))
    invoice = get_invoice(books, ref)
    if invoice.number is None or invoice.due_date is None:
        raise RuleViolation("reminder: draft #{id} is not issued", id=invoice.id)
    if invoice.kind != InvoiceKind.INVOICE:
        raise RuleViolation("reminder: {number} is a credit note", number=invoice.number)
    today = books.clock.today()
    if invoice.open <= 0:
        raise RuleViolation(
            "reminder: nothing is open on {number} ({status})",
            number=invoice.number, status=invoice.status)
    if invoice.due_date >= today:
        raise RuleViolation(
            "reminder: {number} is not overdue yet (due {due})",
            number=invoice.number, due=invoice.due_date.isoformat())
    previous = tuple(reminders_by_invoice(books, [invoice.id])[invoice.id])
    if kind == ReminderKind.FIRST:
        costs, pay_by = 0, today + timedelta(days=first_term_days(books))
    else:
        costs = collection_costs(invoice.open)
        arrives = 0 if channel == ReminderChannel.EMAIL else POST_DAYS
        pay_by = today + timedelta(days=arrives + TERM_DAYS)
    client = get_client(books, invoice.client_id)
    practice = snapshot(get_practice(books))
    address = {"name": client.name, "address": client.address, "postcode": client.postcode,
               "city": client.city, "country": client.country,
               "salutation": client.salutation, "formal_name": client.formal_name}
    return ReminderPlan(
        kind=kind, channel=channel, date=today, invoice=invoice, principal=invoice.open,
        costs=costs, pay_by=pay_by, days_overdue=(today - invoice.due_date).days,
        previous=previous, practice=practice, client=address, client_email=client.email,
        language=invoice.language,
    )


def record_reminder(books: Books, plan: ReminderPlan, *, path: str | None = None,
                    sha256: str = "") -> ReminderInfo:
    """Store the reminder and its archived PDF (one transaction)."""
    with books.db.write() as session:
        document_id = None
        if path is not None:
            doc = Document(invoice_id=plan.invoice.id, kind="reminder", path=path,
                           sha256=sha256, created_at=books.clock.now())
            session.add(doc)
            session.flush()
            document_id = doc.id
        row = Reminder(invoice_id=plan.invoice.id, kind=plan.kind, date=plan.date,
                       principal_cents=plan.principal, costs_cents=plan.costs,
                       pay_by=plan.pay_by, channel=plan.channel, document_id=document_id,
                       created_at=books.clock.now())
        session.add(row)
        session.flush()
        return _info(row, plan.invoice.number or "", path)
