"""The year-end figures as small frozen values (computed by :mod:`ledger.yearend.figures`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from ledger.yearend.reports import YearTotals


@dataclass(frozen=True)
class ProductRow:
    """Turnover of one treatment, package plan, fee kind or hand-typed lines."""

    kind: str  # treatment, fee, package_plan, other
    id: int | None
    name: str
    quantity: int
    net: int
    vat: int
    gross: int


@dataclass(frozen=True)
class VatQuarter:
    quarter: int
    r1a_net: int
    r1a_vat: int
    r1b_net: int
    r1b_vat: int
    r1c_net: int
    r1c_vat: int
    r1e_net: int
    exempt_net: int  # invoiced under the medical exemption: not in the return
    kor_net: int  # invoiced under the KOR: no return
    due: int  # 5a: VAT owed on turnover
    input_vat: int  # 5b: VAT on costs that may be deducted
    balance: int  # 5c/5g: to pay (positive) or to reclaim (negative)


class Debtor(NamedTuple):
    """An invoice open at a day. Immutable like the other views, but a named tuple: the
    list at a year end can hold tens of thousands (every invoice never paid, of every
    year), and a named tuple is made in a third of the time of a frozen dataclass."""

    invoice_id: int
    number: str
    date: dt.date
    due_date: dt.date | None
    client_id: int
    client_name: str
    total: int
    credited: int
    paid: int
    open: int


@dataclass(frozen=True)
class PrepaidPackage:
    id: int
    client_id: int
    client_name: str
    name: str
    sold_on: dt.date
    expires: dt.date
    invoice_number: str | None
    sessions_total: int
    sessions_used: int
    sessions_left: int
    price: int
    vat_rate: Decimal
    value: int  # unused sessions at price per session, including VAT
    value_net: int  # the same without the VAT already declared at sale


@dataclass(frozen=True)
class CostGroup:
    key: str
    name: str
    count: int
    amount: int  # including VAT
    vat: int
    deductible_vat: int
    expense: int  # amount less deductible VAT: what counts against the result


@dataclass(frozen=True)
class KorCheck:
    applies: bool  # the practice is in the KOR
    limit: int
    this_year: int
    last_year: int
    over_limit: bool
    near_limit: bool


@dataclass(frozen=True)
class YearEnd:
    year: int
    regime: str
    totals: YearTotals
    products: tuple[ProductRow, ...]
    vat_quarters: tuple[VatQuarter, ...]
    payments_by_method: tuple[tuple[str, int], ...]
    debtors: tuple[Debtor, ...]
    packages: tuple[PrepaidPackage, ...]
    costs: tuple[CostGroup, ...]
    km_tenths: int
    km_amount: int
    sessions_given: int
    sessions_missed: int
    treatment_minutes: int
    kor: KorCheck
    booked_until: dt.date | None = None  # the last date anything was booked in the year

    @property
    def debtors_total(self) -> int:
        return sum(d.open for d in self.debtors)

    @property
    def liability(self) -> int:
        return sum(p.value for p in self.packages)

    @property
    def liability_net(self) -> int:
        return sum(p.value_net for p in self.packages)

    @property
    def sessions_left(self) -> int:
        return sum(p.sessions_left for p in self.packages)

    @property
    def costs_amount(self) -> int:
        return sum(c.amount for c in self.costs)

    @property
    def costs_vat(self) -> int:
        return sum(c.vat for c in self.costs)

    @property
    def costs_expense(self) -> int:
        return sum(c.expense for c in self.costs)

    @property
    def result(self) -> int:
        """Turnover excluding VAT, less costs (excluding deductible VAT) and kilometres."""
        return self.totals.turnover_net - self.costs_expense - self.km_amount

    @property
    def treatment_hours(self) -> Decimal:
        return (Decimal(self.treatment_minutes) / 60).quantize(Decimal("0.01"))

    def by_kind(self, *kinds: str) -> tuple[ProductRow, ...]:
        return tuple(p for p in self.products if p.kind in kinds)
