"""The prepaid series (packages sold before their sessions are given) in the books: what a
series still holds after some of its sessions, at the VAT rate its sale invoice charged,
and what the prepaid account holds on a day. The journals (:mod:`ledger.journals.projection`)
and the year's figures (:mod:`ledger.yearend.figures`) both count with these."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from ledger.base.codes import InvoiceKind, VatRegime
from ledger.base.money import allocate, split_gross
from ledger.billing.drafts import effective_rate
from ledger.store.models import Invoice, InvoiceLine, Package, TreatmentSession


@lru_cache(maxsize=4096)
def _prepaid_steps(price: int, sessions: int, rate: Decimal) -> tuple[int, ...]:
    """The prepaid value (net) after 0, 1, ... ``sessions`` sessions: the net of the
    shares not yet used (:func:`ledger.base.money.allocate`, as the claim statement)."""
    shares = allocate(price, sessions)
    left = price
    steps = [split_gross(left, rate)[0]]
    for share in shares:
        left -= share
        steps.append(split_gross(left, rate)[0])
    return tuple(steps)


def charged_rate(regime: str | None, rate: Decimal) -> Decimal:
    """The VAT rate a series' sale invoice charged: the treatment's ``rate`` under the
    standard regime, none under the exemption or the KOR (the rule the invoice's line was
    priced by when it was issued, :func:`ledger.billing.drafts.effective_rate`). A series
    without a sale invoice counts as sold under the standard regime."""
    return effective_rate(regime or VatRegime.STANDARD, rate)


def prepaid_net(price: int, sessions: int, rate: Decimal, used: int) -> int:
    """What a series still holds, net of VAT, after ``used`` sessions."""
    steps = _prepaid_steps(price, sessions, rate)
    return steps[min(max(used, 0), sessions)]


def series_end(package: Any) -> Any:
    """The day a series stops holding value: its cancellation or its expiry, whichever
    comes first (as the year report's prepaid list decides)."""
    return case(
        (and_(package.cancelled_on.is_not(None), package.cancelled_on < package.expires_on),
         package.cancelled_on), else_=package.expires_on)


def series_credits(session: Session) -> dict[int, list[tuple[date, int]]]:
    """The credit-note lines on series (the refunds of cancelled series, and any other
    credit of a series sale): ``{package id: [(date, net), ...]}``. Credit notes are few,
    so they are read from the invoices of kind credit (one index) rather than per series."""
    credit = aliased(Invoice)
    found: dict[int, list[tuple[date, int]]] = {}
    rows: Any = session.execute(
            select(InvoiceLine.package_id, credit.date, InvoiceLine.net_cents)
            .join(credit, credit.id == InvoiceLine.invoice_id)
            .where(credit.kind == InvoiceKind.CREDIT, credit.number.is_not(None),
                   InvoiceLine.package_id.is_not(None)))
    for package_id, day, net in rows:
        found.setdefault(int(package_id), []).append((as_date(day), int(net)))
    return found


def credited_by(credits: dict[int, list[tuple[date, int]]], package_id: int,
                 day: date) -> int:
    """The net credited on a series by ``day`` (negative, as the credit lines are)."""
    return sum(net for on, net in credits.get(package_id, ()) if on <= day)


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def prepaid_at(session: Session, day: date) -> int:
    """What the prepaid account holds at the end of ``day`` (a credit, so positive here):
    for every series sold by then that has not ended, the net value of its sessions not
    yet used, less what credit notes took off it by then."""
    p_end = series_end(Package)
    s = TreatmentSession
    used = (select(func.count()).where(s.package_id == Package.id, s.date <= day)
            .scalar_subquery())
    query = (
        select(Package.id, Package.price_cents, Package.sessions_total, Package.vat_rate,
               Invoice.vat_regime, used)
        .outerjoin(Invoice, Invoice.id == Package.invoice_id)
        .where(Package.sold_on <= day, p_end > day)
    )
    credits = series_credits(session)
    total = 0
    for package_id, price, sessions, rate, regime, n_used in session.execute(query):
        charged = charged_rate(regime, rate)
        total += (prepaid_net(price, sessions, charged, int(n_used))
                  + credited_by(credits, package_id, day))
    return total
