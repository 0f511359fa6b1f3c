"""Small frozen values the services hand out; screens, documents and the CLI read these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ledger.base.codes import MISSED_STATUSES, SessionStatus


@dataclass(frozen=True)
class PracticeInfo:
    name: str
    address: str
    postcode: str
    city: str
    country: str
    email: str
    phone: str
    kvk: str
    vat_id: str
    iban: str
    account_holder: str
    agb_practice: str
    agb_therapist: str
    therapist_name: str
    association: str
    membership_number: str
    register_number: str
    vat_regime: str
    exempt_text: str
    kor_text: str
    payment_term: int
    number_pattern: str
    language: str
    cancel_policy: str

    @property
    def is_set_up(self) -> bool:
        return bool(self.name)

    @property
    def regime_text(self) -> str:
        """The statement an invoice carries instead of VAT (empty when VAT is charged)."""
        return {"exempt": self.exempt_text, "kor": self.kor_text}.get(self.vat_regime, "")


@dataclass(frozen=True)
class ClientInfo:
    id: int
    name: str
    address: str
    postcode: str
    city: str
    country: str
    email: str
    phone: str
    birth_date: dt.date | None
    language: str | None
    archived: bool
    created_at: dt.datetime


@dataclass(frozen=True)
class NoteInfo:
    """A private (health) note: for the client's own page only, never a list or document.
    ``session_date`` and ``treatment_name`` name the session it was typed with, if any."""

    id: int
    client_id: int
    written_at: dt.datetime
    text: str
    session_id: int | None = None
    session_date: dt.date | None = None
    treatment_name: str = ""


@dataclass(frozen=True)
class TreatmentInfo:
    id: int
    name: str
    duration_min: int
    price: int
    vat_rate: Decimal
    performance_code: str
    active: bool


@dataclass(frozen=True)
class PlanInfo:
    id: int
    name: str
    treatment_id: int
    treatment_name: str
    sessions: int
    price: int
    valid_days: int
    active: bool


@dataclass(frozen=True)
class PackageInfo:
    id: int
    client_id: int
    client_name: str
    plan_id: int
    treatment_id: int
    name: str
    sessions_total: int
    sessions_used: int
    price: int
    vat_rate: Decimal
    sold_on: dt.date
    expires: dt.date
    invoice_number: str | None
    cancelled_on: dt.date | None
    cancel_credit_number: str | None
    status: str  # active, used_up, expired, cancelled
    sessions_planned: int = 0  # places held by planned sessions (not used yet)

    @property
    def sessions_left(self) -> int:
        if self.cancelled_on is not None:
            return 0
        return max(self.sessions_total - self.sessions_used, 0)

    @property
    def sessions_free(self) -> int:
        """Places neither used nor held by a planned session ("2 gebruikt, 2 gepland,
        1 vrij")."""
        return max(self.sessions_left - self.sessions_planned, 0)


def session_charge(status: str, price: int, fee: int | None) -> int:
    """The one rule for what a session costs on an invoice: its price when it was given,
    when missed (no-show, late cancellation) its fee, or nothing without one; a planned or
    in time cancelled session costs nothing."""
    if status == SessionStatus.GIVEN:
        return price
    return (fee or 0) if status in MISSED_STATUSES else 0


@dataclass(frozen=True)
class SessionInfo:
    id: int
    client_id: int
    client_name: str
    treatment_id: int
    treatment_name: str
    performance_code: str
    therapist_id: int
    date: dt.date
    start_time: dt.time | None
    duration_min: int
    price: int
    vat_rate: Decimal
    status: str  # given, no_show, late_cancel, planned, cancelled
    fee: int | None
    package_id: int | None
    invoice_number: str | None
    invoice_id: int | None
    reserved_package_id: int | None = None  # the series a planned session holds a place on

    @property
    def charge(self) -> int:
        """What the session costs: :func:`session_charge`."""
        return session_charge(self.status, self.price, self.fee)

    @property
    def billable_amount(self) -> int:
        """What this session adds to an invoice (0 when a package pays it)."""
        return 0 if self.package_id is not None else self.charge


@dataclass(frozen=True)
class LineInfo:
    id: int
    position: int
    supply_date: dt.date | None
    description: str
    quantity: int
    unit_price: int
    vat_rate: Decimal
    net: int
    vat: int
    gross: int
    performance_code: str
    session_id: int | None
    package_id: int | None
    credited_line_id: int | None


@dataclass(frozen=True)
class VatRow:
    rate: Decimal
    net: int
    vat: int
    gross: int


@dataclass(frozen=True)
class PaymentInfo:
    id: int
    invoice_number: str
    date: dt.date
    amount: int
    method: str
    reference: str


@dataclass(frozen=True)
class InvoiceInfo:
    id: int
    number: str | None
    kind: str  # invoice, credit
    client_id: int
    client_name: str
    date: dt.date | None
    due_date: dt.date | None
    language: str
    vat_regime: str
    regime_text: str
    lines: tuple[LineInfo, ...]
    vat_rows: tuple[VatRow, ...]
    net: int
    vat: int
    total: int
    paid: int
    credited: int
    open: int
    status: str  # draft, open, partly_paid, paid, overdue, credited
    credit_of_number: str | None
    credit_of_date: dt.date | None
    credit_numbers: tuple[str, ...]
    payments: tuple[PaymentInfo, ...]
    practice: dict[str, str] = field(default_factory=dict)
    client: dict[str, str] = field(default_factory=dict)
    issued_at: dt.datetime | None = None

    @property
    def is_draft(self) -> bool:
        return self.number is None
