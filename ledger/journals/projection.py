"""The books projected onto the chart of accounts: one balanced entry per event, derived
every time from what the books hold (nothing is typed twice, nothing is stored).

The events of a year, in date order (:func:`entries`):

- an invoice (sales journal): debtors against turnover per VAT rate and VAT payable; a
  credit note the reverse, referring to the invoice it credits;
- a series sold (sales journal): debtors against *vooruitontvangen bedragen* (prepaid,
  excluding VAT) and VAT payable: VAT is due at sale;
- a session redeemed from a series (memorial): prepaid against turnover for that
  session's share, so that the prepaid account holds, on any day, the net value of the
  sessions not yet given (:func:`prepaid_net`, the rule of the year report's
  ``prepaid_liability_net``);
- a series that ends unused (expired, or cancelled: its refund is the credit note)
  (memorial): what is left on prepaid becomes turnover;
- a payment (bank, cash, pin; another method via a clearing account): money against
  debtors, a refund the reverse; a payment booked from a bank statement names its line;
- a cost (costs journal): its category's account and the deductible VAT against bank,
  cash or private (paid from the owner's own pocket);
- a business trip (memorial): the kilometre allowance against private contributions.

Entries are produced as the rows are read (generators merged by date), so a year of a
large practice never sits in memory at once. Their descriptions ("Factuur 2026-0001 -
Ilse Visser", "Behandeling 1 van 5 uit Hardloopreeks (factuur 2026-0002)") are in the
practice's language, or the one asked for (:class:`Words`, catalogue ``solebook``).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import groupby
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from ledger.base.codes import InvoiceKind, VatRegime, charges_vat
from ledger.base.i18n import gettext_for
from ledger.costs.entries import trip_amount
from ledger.derived.settlement import client_name_of
from ledger.journals import chart as c
from ledger.journals.chart import Journal
from ledger.journals.prepaid import (
    as_date,
    charged_rate,
    credited_by,
    prepaid_net,
    series_credits,
    series_end,
)
from ledger.practice.profile import practice_info
from ledger.store.models import Invoice, InvoiceLine, Package, Payment, TreatmentSession
from ledger.store.models.costs import Cost, CostCategory, KmTrip
from ledger.store.models.paid import BankMatch


@dataclass(frozen=True, slots=True)
class Line:
    """One line of an entry: ``amount`` in cents, debit positive, credit negative."""

    account: str
    amount: int
    description: str = ""
    client_id: int | None = None
    vat_rate: Decimal | None = None  # the VAT charged or claimed on this line's amount
    vat_amount: int = 0  # signed like ``amount`` of the VAT line it belongs to


@dataclass(frozen=True, slots=True)
class Entry:
    journal: Journal
    number: str  # unique within the journal
    date: date
    description: str
    document: str  # the source document: invoice number, cost, session, trip
    lines: tuple[Line, ...]
    reference: str = ""  # a bank statement line, a payment reference

    @property
    def balance(self) -> int:
        return sum(line.amount for line in self.lines)


# ------------------------------------------------------------------------------- words
class Words:
    """The entries' descriptions in one language, each template translated once (a year
    of a large practice has a hundred thousand entries)."""

    def __init__(self, language: str) -> None:
        _ = gettext_for(language)
        self.decimal = "," if language == "nl" else "."
        self.invoice = _("Invoice {number} - {name}")
        self.credit = _("Credit note {number} on invoice {original} - {name}")
        self.vat = _("VAT {rate}%")
        self.session = _("Treatment {n} of {total} from {name} (invoice {number})")
        self.series = _("series {id}")
        self.cancelled = _("{name} (invoice {number}) cancelled: unused part to turnover")
        self.expired = _("{name} (invoice {number}) expired: unused part to turnover")
        self.payment = _("Payment invoice {number}")
        self.refund = _("Refund invoice {number}")
        self.bank_line = _("bank line {id}")
        self.input_vat = _("Input VAT {text}")
        self.cost = _("costs {id}")
        self.trip = _("Trip {km} km")
        self.trip_for = _("Trip {km} km: {description}")
        self.trip_document = _("trip {id}")
        self.opening = _("Opening balance {year}")
        self.opening_from = _("Opening balance {year} (closing balance {previous})")
        self.written = _("{name}: financial year {year}, written by solebook")

    def km(self, tenths: int) -> str:
        return f"{tenths // 10}{self.decimal}{tenths % 10}"


@lru_cache(maxsize=4)
def words(language: str) -> Words:
    return Words(language)


# ------------------------------------------------------------------------------ sources
Keyed = tuple[date, int, int, Entry]


def _rows(session: Session, query: Any) -> Any:
    """The rows of ``query`` as they are read: the ORM would otherwise read a year's rows
    into memory before giving the first (``yield_per``: a thousand at a time)."""
    return session.execute(query.execution_options(yield_per=1000))


def _sales(session: Session, start: date, end: date, w: Words) -> Iterator[Keyed]:
    original = aliased(Invoice)
    line = InvoiceLine
    p_end = series_end(Package).label("p_end")
    query = (
        select(Invoice.id, Invoice.kind, Invoice.number, Invoice.date, Invoice.client_id,
               Invoice.vat_regime, Invoice.client_snapshot, original.number,
               line.description, line.vat_rate, line.net_cents, line.vat_cents,
               line.gross_cents, line.package_id, p_end)
        .join(line, line.invoice_id == Invoice.id)
        .outerjoin(original, original.id == Invoice.credit_of_id)
        .outerjoin(Package, Package.id == line.package_id)
        .where(Invoice.number.is_not(None), Invoice.date >= start, Invoice.date <= end)
        .order_by(Invoice.date, Invoice.id, line.position)
    )
    for invoice_id, rows_iter in groupby(_rows(session, query), key=lambda r: r[0]):
        rows: list[Any] = list(rows_iter)
        (_id, kind, number, day, client_id, regime, snapshot, credits,
         *_rest) = rows[0]
        name = client_name_of(snapshot)
        credit = kind == InvoiceKind.CREDIT
        if credit:
            text = w.credit.format(number=number, original=credits, name=name)
        else:
            text = w.invoice.format(number=number, name=name)
        lines: list[Line] = []
        vat_by_rate: dict[Decimal, int] = {}
        total = 0
        for (*_head, description, rate, net, vat, gross, package_id, p_end) in rows:
            total += gross
            day_ = day if isinstance(day, date) else date.fromisoformat(day)
            ended = p_end is not None and (
                p_end if isinstance(p_end, date) else date.fromisoformat(str(p_end))) < day_
            account = (c.PREPAID if package_id is not None and not (credit and ended)
                       else c.turnover_account(regime, rate))
            lines.append(Line(account, -net, description, None, rate, -vat))
            if vat:
                vat_by_rate[rate] = vat_by_rate.get(rate, 0) + vat
        for rate, vat in sorted(vat_by_rate.items()):
            lines.append(Line(c.VAT_PAYABLE, -vat, w.vat.format(rate=c.vat_code(rate)[3:]),
                              None, rate))
        lines.insert(0, Line(c.DEBTORS, total, text, client_id))
        reference = credits if credit else ""
        yield (day, 0, invoice_id,
               Entry(Journal.SALES, number, day, text, number, tuple(lines), reference))


def _package_columns() -> tuple[Any, ...]:
    return (Package.id, Package.name, Package.price_cents, Package.sessions_total,
            Package.vat_rate, Invoice.vat_regime, Invoice.number)


def _redemptions(session: Session, start: date, end: date, w: Words) -> Iterator[Keyed]:
    s = TreatmentSession
    order = func.row_number().over(partition_by=s.package_id, order_by=(s.date, s.id))
    numbered = (select(s.id, s.package_id, s.date, order.label("k"))
                .where(s.package_id.is_not(None)).subquery())
    n = numbered.c
    query = (
        select(n.id, n.date, n.k, *_package_columns())
        .join(Package, Package.id == n.package_id)
        .outerjoin(Invoice, Invoice.id == Package.invoice_id)
        .where(n.date >= start, n.date <= end)
        .order_by(n.date, n.id)
    )
    for (session_id, day, k, package_id, name, price, total, rate, regime, number) in (
            _rows(session, query)):
        charged = charged_rate(regime, rate)
        amount = (prepaid_net(price, total, charged, k - 1)
                  - prepaid_net(price, total, charged, k))
        if amount:
            text = w.session.format(n=k, total=total, name=name, number=number)
            yield (day, 1, session_id, _earned(f"R{session_id}", day, text,
                                               number or w.series.format(id=package_id),
                                               amount,
                                               c.turnover_account(regime or VatRegime.STANDARD,
                                                                  charged)))


def _earned(number: str, day: date, text: str, document: str, amount: int,
            turnover: str) -> Entry:
    """Prepaid becomes turnover (a session given, a series ended)."""
    return Entry(Journal.MEMORIAL, number, day, text, document,
                 (Line(c.PREPAID, amount, text), Line(turnover, -amount, text)))


def _series_ended(session: Session, start: date, end: date, w: Words) -> Iterator[Keyed]:
    """Series that stop holding value in the year (expired, cancelled): what is left on
    the prepaid account becomes turnover (a refund was already its credit note)."""
    p_end = series_end(Package)
    s = TreatmentSession
    used = (select(func.count()).where(s.package_id == Package.id, s.date <= p_end)
            .scalar_subquery())
    credits = series_credits(session)
    query = (
        select(p_end.label("p_end"), Package.cancelled_on, used, *_package_columns())
        .outerjoin(Invoice, Invoice.id == Package.invoice_id)
        .where(p_end >= start, p_end <= end, Package.sold_on <= p_end)
        .order_by(p_end, Package.id)
    )
    for (day, cancelled, n_used, package_id, name, price, total, rate, regime,
         number) in _rows(session, query):
        day = as_date(day)
        charged = charged_rate(regime, rate)
        amount = (prepaid_net(price, total, charged, int(n_used))
                  + credited_by(credits, package_id, day))
        if amount:
            ended = (w.cancelled if cancelled is not None and as_date(cancelled) == day
                     else w.expired)
            text = ended.format(name=name, number=number)
            yield (day, 2, package_id, _earned(f"E{package_id}", day, text,
                                               number or w.series.format(id=package_id),
                                               amount,
                                               c.turnover_account(regime or VatRegime.STANDARD,
                                                                  charged)))


def _payments(session: Session, start: date, end: date, w: Words) -> Iterator[Keyed]:
    query = (
        select(Payment.id, Payment.date, Payment.amount_cents, Payment.method,
               Payment.reference, Invoice.number, Invoice.client_id, BankMatch.line_id)
        .join(Invoice, Invoice.id == Payment.invoice_id)
        .outerjoin(BankMatch, BankMatch.payment_id == Payment.id)
        .where(Payment.date >= start, Payment.date <= end)
        .order_by(Payment.date, Payment.id)
    )
    for payment_id, day, amount, method, reference, number, client_id, line_id in (
            _rows(session, query)):
        text = (w.payment if amount > 0 else w.refund).format(number=number)
        ref = w.bank_line.format(id=line_id) if line_id is not None else (reference or "")
        journal = c.money_journal(method)
        yield (day, 3, payment_id, Entry(
            journal, f"B{payment_id}", day, text, number or "", (
                Line(c.money_account(method), amount, text),
                Line(c.DEBTORS, -amount, text, client_id)), ref))


def _costs(session: Session, start: date, end: date, regime: str, w: Words
           ) -> Iterator[Keyed]:
    query = (
        select(Cost.id, Cost.date, Cost.supplier, Cost.description, Cost.amount_cents,
               Cost.vat_cents, Cost.vat_rate, Cost.method, Cost.receipt_path,
               CostCategory.id, CostCategory.key)
        .join(CostCategory, CostCategory.id == Cost.category_id)
        .where(Cost.date >= start, Cost.date <= end)
        .order_by(Cost.date, Cost.id)
    )
    deduct = charges_vat(regime)
    for (cost_id, day, supplier, description, amount, vat, rate, method, receipt,
         category_id, key) in _rows(session, query):
        deductible = vat if deduct else 0
        text = f"{supplier} - {description}" if description else supplier
        lines = [Line(c.cost_account(key, category_id), amount - deductible, text, None,
                      rate if deductible else None, deductible)]
        if deductible:
            lines.append(Line(c.VAT_TO_CLAIM, deductible, w.input_vat.format(text=text), None,
                              rate))
        lines.append(Line(c.cost_method_account(method), -amount, text))
        document = receipt.rsplit("/", 1)[-1] if receipt else w.cost.format(id=cost_id)
        yield (day, 4, cost_id, Entry(Journal.COSTS, f"K{cost_id}", day, text, document,
                                      tuple(lines)))


def _trips(session: Session, start: date, end: date, w: Words) -> Iterator[Keyed]:
    query = (select(KmTrip.id, KmTrip.date, KmTrip.km_tenths, KmTrip.rate_cents,
                    KmTrip.description)
             .where(KmTrip.date >= start, KmTrip.date <= end)
             .order_by(KmTrip.date, KmTrip.id))
    for trip_id, day, tenths, rate, description in _rows(session, query):
        amount = trip_amount(tenths, rate)
        if not amount:
            continue
        km = w.km(tenths)
        text = (w.trip_for.format(km=km, description=description) if description
                else w.trip.format(km=km))
        yield (day, 5, trip_id, Entry(
            Journal.MEMORIAL, f"KM{trip_id}", day, text, w.trip_document.format(id=trip_id),
            (Line(c.KILOMETRES, amount, text), Line(c.PRIVATE_IN, -amount, text))))


def entries(session: Session, year: int, language: str | None = None) -> Iterator[Entry]:
    """Every entry of ``year`` in date order (and, within a day: sales, sessions, series
    ended, payments, costs, trips), read as it is produced; described in ``language``
    (by default the practice's)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    practice = practice_info(session)
    w = words(language or practice.language)
    sources = [_sales(session, start, end, w), _redemptions(session, start, end, w),
               _series_ended(session, start, end, w), _payments(session, start, end, w),
               _costs(session, start, end, practice.vat_regime, w),
               _trips(session, start, end, w)]
    for *_key, entry in heapq.merge(*sources, key=lambda item: item[:3]):
        yield entry


__all__ = ["Entry", "Line", "Words", "entries", "words"]
