"""The codes the books store and compare, as ``StrEnum`` members.

A member *is* its string (``SessionStatus.GIVEN == "given"``, ``str()`` and ``json.dumps``
give the bare value), so stored values, JSON output and database check constraints stay
as they were. Code elsewhere compares against these members, never against a spelled-out
string (``tests/ledger/test_codes.py`` scans for that). The rules that decide on the codes
(which statuses are open, what a session costs) sit next to the code they decide on.
"""

from __future__ import annotations

from enum import StrEnum


class SessionStatus(StrEnum):
    GIVEN = "given"
    NO_SHOW = "no_show"
    LATE_CANCEL = "late_cancel"
    PLANNED = "planned"  # an appointment ahead: not given, not billed, redeems nothing
    CANCELLED = "cancelled"  # cancelled in time: costs nothing, frees its time


#: Missed appointments: billed with their fee (when there is one), never redeem a package.
MISSED_STATUSES: tuple[SessionStatus, ...] = (SessionStatus.NO_SHOW, SessionStatus.LATE_CANCEL)
#: Sessions that took place or were missed: records of the practice (planned ones and
#: those cancelled in time are appointments only).
HAPPENED_STATUSES: tuple[SessionStatus, ...] = (
    SessionStatus.GIVEN, SessionStatus.NO_SHOW, SessionStatus.LATE_CANCEL)
#: What keeps a therapist's time taken (an overlapping appointment is refused).
OCCUPYING_STATUSES: tuple[SessionStatus, ...] = (
    SessionStatus.PLANNED, SessionStatus.GIVEN, SessionStatus.NO_SHOW)


def is_missed(status: str) -> bool:
    """Whether a session in ``status`` was missed (no-show or late cancellation)."""
    return status in MISSED_STATUSES


class InvoiceKind(StrEnum):
    INVOICE = "invoice"
    CREDIT = "credit"


class InvoiceStatus(StrEnum):
    """Derived from payments, credit notes and the due date, never stored."""

    DRAFT = "draft"
    OPEN = "open"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    CREDITED = "credited"
    SETTLED = "settled"  # a credit note


#: The one rule for which statuses leave something to be paid.
OPEN_STATUSES: tuple[InvoiceStatus, ...] = (
    InvoiceStatus.OPEN, InvoiceStatus.PARTLY_PAID, InvoiceStatus.OVERDUE)


def is_open(status: str) -> bool:
    """Whether an invoice in ``status`` still has something to be paid."""
    return status in OPEN_STATUSES


class VatRegime(StrEnum):
    STANDARD = "standard"
    EXEMPT = "exempt"  # medical exemption (art. 11)
    KOR = "kor"  # small-business scheme


def charges_vat(regime: object) -> bool:
    """Whether invoices under ``regime`` charge VAT (outside the standard regime, the
    exemption and the KOR, no VAT is charged and none on costs is deductible)."""
    return regime == VatRegime.STANDARD


class PaymentMethod(StrEnum):
    BANK = "bank"
    PIN = "pin"
    CASH = "cash"
    OTHER = "other"


class BankLineStatus(StrEnum):
    """What became of a line of an imported bank statement."""
    PROPOSED = "proposed"
    UNMATCHED = "unmatched"
    BOOKED = "booked"
    DEBIT = "debit"
    IGNORED = "ignored"
    OTHER = "other"  # a line of an account that is not the practice's


class CalendarName(StrEnum):
    """How an appointment in the calendar names the client."""
    INITIALS = "initials"
    FIRST_NAME = "first_name"
    FULL_NAME = "full_name"


class CostMethod(StrEnum):
    BANK = "bank"
    PIN = "pin"
    CASH = "cash"
    CARD = "card"
    OTHER = "other"


class ReminderKind(StrEnum):
    FIRST = "first"
    FOURTEEN_DAY = "fourteen_day"  # the fourteen-day letter (art. 6:96 BW)


class ReminderChannel(StrEnum):
    LETTER = "letter"
    EMAIL = "email"


class MailKind(StrEnum):
    INVOICE = "invoice"
    CREDIT = "credit"
    STATEMENT = "statement"
    REMINDER = "reminder"
    CONFIRMATION = "confirmation"  # an appointment booked or moved
    APPOINTMENT_REMINDER = "appointment_reminder"  # some hours before an appointment


class CancelPolicy(StrEnum):
    """What cancelling a package gives back."""

    PRO_RATA = "pro_rata"
    SINGLE_PRICE = "single_price"
    NONE = "none"


class Voice(StrEnum):
    """How the practice speaks in letters and mails: "ik" or "wij"."""

    I = "i"  # noqa: E741 -- the word, not a number
    WE = "we"


class Salutation(StrEnum):
    """How a letter greets a client: by first name, or formally by the formal name."""

    FIRST_NAME = "first_name"
    MRS = "mrs"
    MR = "mr"


class PackageStatus(StrEnum):
    ACTIVE = "active"
    USED_UP = "used_up"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
