"""The year-end figures a bookkeeper or the income-tax return needs, computed in SQL.

Everything is read in one transaction, so the parts agree with each other: turnover by
month, quarter, treatment and package plan; VAT per quarter laid out like the Dutch VAT
return; payments received (cash basis); the debtor list at 31 December; prepaid sessions
not yet given at 31 December (a liability); costs by category; the result; sessions and
hours of treatment (the 1,225-hour criterion); and the KOR limit check.

Conventions, stated once:
- The invoice date decides month and quarter; credit notes count negatively.
- VAT return rubrieken: 1a = 21 %, 1b = 9 %, 1c = any other rate above 0, 1e = 0 % in the
  standard regime. Invoices issued under the medical exemption or the KOR are not part of a
  VAT return; they are shown apart (``exempt``, ``kor``). 5b (input VAT) is the VAT on the
  quarter's costs, and only in the standard regime: exempt and KOR turnover give no right
  to deduct, so there the VAT on costs is part of the cost.
- A package's unused value is the sum of the shares (``allocate`` of its price over its
  sessions) of the sessions not used by 31 December; packages cancelled or expired by
  then owe nothing any more. Its value excluding VAT takes out only the VAT its sale
  invoice charged (none under the exemption or the KOR), as the journals' prepaid
  account does (:func:`ledger.journals.prepaid.prepaid_net`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, extract, func, or_, select
from sqlalchemy.orm import Session

from ledger.base.codes import SessionStatus, VatRegime, is_missed
from ledger.base.money import allocate
from ledger.books import Books
from ledger.costs.entries import trip_amount
from ledger.derived.settlement import open_invoices_query
from ledger.derived.sums import invoice_months, payment_months, session_months, turnover_groups
from ledger.journals.prepaid import as_date, charged_rate, prepaid_net
from ledger.practice.profile import practice_info
from ledger.store.models import (
    Client,
    Invoice,
    Package,
    PackagePlan,
    Payment,
    Treatment,
    TreatmentSession,
)
from ledger.store.models.costs import Cost, CostCategory, KmTrip
from ledger.yearend.reports import year_totals_in
from ledger.yearend.views import (
    CostGroup,
    Debtor,
    KorCheck,
    PrepaidPackage,
    ProductRow,
    VatQuarter,
    YearEnd,
)

KOR_LIMIT = 2_000_000  # EUR 20.000 per calendar year, in cents
KOR_WARN_SHARE = Decimal("0.9")
HOURS_CRITERION = 1225

__all__ = ["HOURS_CRITERION", "KOR_LIMIT", "CostGroup", "Debtor", "KorCheck", "PrepaidPackage",
           "ProductRow", "VatQuarter", "YearEnd", "debtors_at", "packages_at",
           "running_packages_query", "year_end", "year_end_in"]


def _bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _issued_in(start: date, end: date) -> list[ColumnElement[bool]]:
    return [Invoice.date >= start, Invoice.date <= end, Invoice.number.is_not(None)]


def _rubriek(regime: str, rate: Decimal) -> str:
    if regime in (VatRegime.EXEMPT, VatRegime.KOR):
        return regime
    if rate == 21:
        return "1a"
    if rate == 9:
        return "1b"
    return "1c" if rate > 0 else "1e"


# (month, regime, rate, kind, ref id, quantity, net, vat, gross)
LineGroup = tuple[int, str, Decimal, str, int | None, int, int, int, int]


def _line_groups(session: Session, year: int) -> list[LineGroup]:
    """(month, regime, rate, kind, ref id, quantity, net, vat, gross) for the year's lines,
    from the month sums (a credit line counts for what its original line was for)."""
    return turnover_groups(session, year)


def _products(session: Session, groups: list[LineGroup]) -> tuple[ProductRow, ...]:
    names: dict[tuple[str, int | None], str] = {
        ("treatment", t.id): t.name for t in session.scalars(select(Treatment))}
    names.update({("fee", k[1]): v for k, v in list(names.items())})
    names.update({("package_plan", p.id): p.name for p in session.scalars(select(PackagePlan))})
    sums: dict[tuple[str, int | None], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for _m, _regime, _rate, kind, ref, qty, net, vat, gross in groups:
        row = sums[(kind, ref)]
        for i, value in enumerate((qty, net, vat, gross)):
            row[i] += value
    order = {"treatment": 0, "fee": 1, "package_plan": 2, "other": 3}
    return tuple(
        ProductRow(kind, ref, names.get((kind, ref), ""), *values)
        for (kind, ref), values in sorted(
            sums.items(), key=lambda item: (order[item[0][0]], names.get(item[0], ""),
                                            item[0][1] or 0))
    )


def _cost_vat_by_quarter(session: Session, year: int) -> dict[int, int]:
    start, end = _bounds(year)
    month = extract("month", Cost.date)
    rows = session.execute(
        select(month, func.sum(Cost.vat_cents))
        .where(Cost.date >= start, Cost.date <= end).group_by(month)
    )
    result: dict[int, int] = defaultdict(int)
    for m, vat in rows:
        result[(int(m) - 1) // 3 + 1] += int(vat)
    return result


def _vat_quarters(groups: list[LineGroup], cost_vat: dict[int, int],
                  regime: str) -> tuple[VatQuarter, ...]:
    sums: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for month, line_regime, rate, *_rest, net, vat, _gross in groups:
        row = sums[((month - 1) // 3 + 1, _rubriek(line_regime, rate))]
        row[0] += net
        row[1] += vat
    quarters = []
    for q in range(1, 5):
        def get(r: str, i: int, q: int = q) -> int:
            return sums[(q, r)][i] if (q, r) in sums else 0

        due = get("1a", 1) + get("1b", 1) + get("1c", 1)
        input_vat = cost_vat.get(q, 0) if regime == VatRegime.STANDARD else 0
        quarters.append(VatQuarter(
            quarter=q, r1a_net=get("1a", 0), r1a_vat=get("1a", 1), r1b_net=get("1b", 0),
            r1b_vat=get("1b", 1), r1c_net=get("1c", 0), r1c_vat=get("1c", 1),
            r1e_net=get("1e", 0), exempt_net=get("exempt", 0), kor_net=get("kor", 0),
            due=due, input_vat=input_vat, balance=due - input_vat,
        ))
    return tuple(quarters)


def debtors_at(session: Session, day: date) -> tuple[Debtor, ...]:
    """The invoices still open on ``day`` (as the books stood then), per invoice.

    The list can be long (every invoice never paid, of every year), so its rows are taken
    from the driver as they are, without SQLAlchemy's work per value (that doubled the
    time), and each distinct day is read once (SQLite gives dates as text)."""
    days: dict[Any, date | None] = {None: None}
    debtors: list[Debtor] = []
    add, new = debtors.append, tuple.__new__  # Debtor(...) without its Python __new__
    with session.connection().execute(open_invoices_query(day)) as result:
        rows = cast(Iterable[Any], result.cursor)  # sqlite3's and psycopg's iterate
        for (invoice_id, number, day_, due, client_id, name, total, credited, paid, open_,
             _series, _seq) in rows:
            if day_ not in days:
                days[day_] = as_date(day_)
            if due not in days:
                days[due] = as_date(due)
            add(new(Debtor, (invoice_id, number, days[day_], days[due], client_id, name,
                             total, credited, paid, open_)))
    return tuple(debtors)


def running_packages_query(day: date) -> Select[Any]:
    """Packages sold by ``day``, not cancelled or expired by then, with sessions left:
    (id, client id, name, sold on, expires, sessions, price, VAT rate, sessions used by
    ``day``, client name, invoice number, the sale invoice's VAT regime). The packages are read from
    ``ix_package_running`` alone (every column is in it); the caller sorts the few rows
    found, as an ORDER BY would make the planner walk ``ix_package_sold`` instead."""
    p = Package
    used = (
        select(func.count())
        .where(TreatmentSession.package_id == p.id, TreatmentSession.date <= day)
        .scalar_subquery()
    )
    running = (
        select(p.id, p.client_id, p.name, p.sold_on, p.expires_on, p.invoice_id,
               p.sessions_total, p.price_cents, p.vat_rate, used.label("used"))
        .where(p.expires_on > day, p.sold_on <= day,
               or_(p.cancelled_on.is_(None), p.cancelled_on > day))
        .subquery("running")
    )
    r = running.c
    return (
        select(r.id, r.client_id, r.name, r.sold_on, r.expires_on, r.sessions_total,
               r.price_cents, r.vat_rate, r.used, Client.name, Invoice.number,
               Invoice.vat_regime)
        .join(Client, Client.id == r.client_id)
        .outerjoin(Invoice, Invoice.id == r.invoice_id)
        .where(r.used < r.sessions_total)
    )


def packages_at(session: Session, day: date) -> tuple[PrepaidPackage, ...]:
    """Packages sold by ``day`` with sessions left that can still be used after it, each
    with the VAT rate its sale invoice charged (0 under the exemption or the KOR)."""
    query = running_packages_query(day)
    result = []
    for (package_id, client_id, name, sold_on, expires, total, price, rate, n_used,
         client_name, number, regime) in session.execute(query):
        n_used = int(n_used)
        charged = charged_rate(regime, rate)
        result.append(PrepaidPackage(
            id=package_id, client_id=client_id, client_name=client_name, name=name,
            sold_on=sold_on, expires=expires, invoice_number=number, sessions_total=total,
            sessions_used=n_used, sessions_left=total - n_used, price=price,
            vat_rate=charged, value=sum(allocate(price, total)[n_used:]),
            value_net=prepaid_net(price, total, charged, n_used),
        ))
    return tuple(sorted(result, key=lambda package: (package.sold_on, package.id)))


def _costs(session: Session, year: int, regime: str) -> tuple[CostGroup, ...]:
    start, end = _bounds(year)
    rows = session.execute(
        select(CostCategory.key, CostCategory.name, func.count(Cost.id),
               func.coalesce(func.sum(Cost.amount_cents), 0),
               func.coalesce(func.sum(Cost.vat_cents), 0))
        .join(Cost, Cost.category_id == CostCategory.id)
        .where(Cost.date >= start, Cost.date <= end)
        .group_by(CostCategory.id, CostCategory.key, CostCategory.name, CostCategory.position)
        .order_by(CostCategory.position, CostCategory.id)
    )
    groups = []
    for key, name, count, amount, vat in rows:
        deductible = int(vat) if regime == VatRegime.STANDARD else 0
        groups.append(CostGroup(key, name, int(count), int(amount), int(vat), deductible,
                                int(amount) - deductible))
    return tuple(groups)


def _km(session: Session, year: int) -> tuple[int, int]:
    """The year's km and allowance: the sum of the trips' rounded amounts (one line per
    distinct distance and rate, counted in SQL)."""
    start, end = _bounds(year)
    rows = session.execute(
        select(KmTrip.km_tenths, KmTrip.rate_cents, func.count())
        .where(KmTrip.date >= start, KmTrip.date <= end)
        .group_by(KmTrip.km_tenths, KmTrip.rate_cents)
    ).all()
    tenths = sum(int(km) * int(count) for km, _rate, count in rows)
    amount = sum(trip_amount(int(km), int(rate)) * int(count) for km, rate, count in rows)
    return tenths, amount


def _sessions(session: Session, year: int) -> tuple[int, int, int]:
    """Sessions given, sessions missed (no-show, late cancellation), minutes given."""
    given = missed = minutes = 0
    for (_month, status), (count, mins) in session_months(session, year).items():
        if status == SessionStatus.GIVEN:
            given, minutes = given + count, minutes + mins
        elif is_missed(status):  # planned and in time cancelled ones are neither
            missed += count
    return given, missed, minutes


def _turnover(session: Session, year: int) -> int:
    return sum(net for _count, net, _vat, _gross in invoice_months(session, year).values())


def booked_until_in(session: Session, year: int) -> date | None:
    """The last day of ``year`` on which anything was booked: an invoice issued, a
    payment, a cost, a trip or a session that took place (not one planned ahead or
    cancelled in time): what the year's figures are up to date with. One statement."""
    start, end = _bounds(year)
    latest: list[Any] = [
        select(func.max(Invoice.date)).where(*_issued_in(start, end)).scalar_subquery()]
    latest += [select(func.max(column)).where(column >= start, column <= end).scalar_subquery()
               for column in (Payment.date, Cost.date, KmTrip.date)]
    latest.append(select(func.max(TreatmentSession.date)).where(
        TreatmentSession.date >= start, TreatmentSession.date <= end,
        TreatmentSession.status.not_in((SessionStatus.PLANNED, SessionStatus.CANCELLED)),
    ).scalar_subquery())
    days = session.execute(select(*latest)).one()
    found = [as_date(day) for day in days if day is not None]
    return max(found) if found else None


def year_end(books: Books, year: int) -> YearEnd:
    """All of the year's figures, from one consistent reading of the books."""
    with books.db.read() as session:
        return year_end_in(session, year)


def year_end_in(session: Session, year: int) -> YearEnd:
    """The year's figures inside the caller's transaction."""
    regime = practice_info(session).vat_regime
    debtors = debtors_at(session, date(year, 12, 31))
    totals = year_totals_in(session, year)
    groups = _line_groups(session, year)
    by_method: dict[str, int] = defaultdict(int)
    for (_month, method), (_count, amount) in payment_months(session, year).items():
        by_method[method] += amount
    payments = sorted(by_method.items())
    given, missed, minutes = _sessions(session, year)
    km_tenths, km_amount = _km(session, year)
    last_year = _turnover(session, year - 1)
    return YearEnd(
        year=year, regime=regime, totals=totals, products=_products(session, groups),
        vat_quarters=_vat_quarters(groups, _cost_vat_by_quarter(session, year), regime),
        payments_by_method=tuple((m, int(a)) for m, a in payments),
        debtors=debtors,
        packages=packages_at(session, date(year, 12, 31)),
        costs=_costs(session, year, regime), km_tenths=km_tenths, km_amount=km_amount,
        sessions_given=given, sessions_missed=missed, treatment_minutes=minutes,
        kor=KorCheck(
            applies=regime == VatRegime.KOR, limit=KOR_LIMIT, this_year=totals.turnover_net,
            last_year=last_year,
            over_limit=max(totals.turnover_net, last_year) > KOR_LIMIT,
            near_limit=max(totals.turnover_net, last_year) >= KOR_LIMIT * KOR_WARN_SHARE,
        ),
        booked_until=booked_until_in(session, year),
    )
