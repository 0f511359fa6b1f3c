"""The trial balance (proefbalans) and the account card (grootboekkaart) of a year.

The opening balance of a year is the closing balance of the year before, worked out from
the books at 31 December of that year with the same figures the year report uses (what
was open, the prepaid series, the money received and spent), so it never depends on
projecting every earlier year again. Result accounts start at zero; last year's result and
the private contributions and drawings are in the opening equity (*ondernemingsvermogen*),
the balancing figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.base.codes import charges_vat
from ledger.books import Books
from ledger.derived.settlement import open_amounts_at
from ledger.journals import chart as c
from ledger.journals.chart import Chart, Journal, Kind, chart_in
from ledger.journals.prepaid import prepaid_at
from ledger.journals.projection import Entry, entries
from ledger.practice.profile import practice_info
from ledger.store.models import Invoice, Payment
from ledger.store.models.costs import Cost


@dataclass(frozen=True)
class AccountRow:
    code: str
    name: str
    kind: str
    rgs: str
    opening: int
    debit: int
    credit: int  # positive: the sum of the credit amounts

    @property
    def closing(self) -> int:
        return self.opening + self.debit - self.credit


@dataclass(frozen=True)
class JournalTotal:
    journal: str
    name: str
    entries: int
    debit: int
    credit: int


@dataclass(frozen=True)
class TrialBalance:
    year: int
    accounts: tuple[AccountRow, ...]
    journals: tuple[JournalTotal, ...]

    @property
    def debit(self) -> int:
        return sum(a.debit for a in self.accounts)

    @property
    def credit(self) -> int:
        return sum(a.credit for a in self.accounts)

    def closing(self, code: str) -> int:
        return next((a.closing for a in self.accounts if a.code == code), 0)

    def row(self, code: str) -> AccountRow | None:
        return next((a for a in self.accounts if a.code == code), None)


@dataclass(frozen=True)
class CardLine:
    date: date
    journal: str
    number: str
    document: str
    description: str
    debit: int
    credit: int
    balance: int
    reference: str = ""


@dataclass(frozen=True)
class AccountCard:
    year: int
    account: AccountRow
    lines: tuple[CardLine, ...]


def opening_balances(session: Session, year: int) -> dict[str, int]:
    """Every balance account on 1 January of ``year`` (debit positive): the closing
    balances of the year before. The equity account balances them."""
    day = date(year, 1, 1) - timedelta(days=1)
    regime = practice_info(session).vat_regime
    balances: dict[str, int] = defaultdict(int)
    still_open = open_amounts_at(session, day)
    balances[c.DEBTORS] = still_open.to_receive - still_open.to_refund
    balances[c.PREPAID] = -prepaid_at(session, day)
    vat = session.scalar(select(func.coalesce(func.sum(Invoice.vat_cents), 0)).where(
        Invoice.number.is_not(None), Invoice.date <= day))
    balances[c.VAT_PAYABLE] = -int(vat or 0)
    for method, amount in session.execute(
            select(Payment.method, func.sum(Payment.amount_cents))
            .where(Payment.date <= day).group_by(Payment.method)):
        balances[c.money_account(method)] += int(amount)
    for method, amount, cost_vat in session.execute(
            select(Cost.method, func.sum(Cost.amount_cents), func.sum(Cost.vat_cents))
            .where(Cost.date <= day).group_by(Cost.method)):
        account = c.cost_method_account(method)
        if account != c.PRIVATE_IN:  # paid privately: part of the opening equity
            balances[account] -= int(amount)
        if charges_vat(regime):
            balances[c.VAT_TO_CLAIM] += int(cost_vat)
    balances = {k: v for k, v in balances.items() if v}
    balances[c.EQUITY] = -sum(balances.values())
    return balances


def _sort_key(code: str) -> tuple[int, str]:
    return (int(code) if code.isdigit() else 10_000, code)


def accumulate(chart: Chart, opening: dict[str, int], stream: Iterator[Entry],
               year: int) -> TrialBalance:
    """The trial balance of the entries in ``stream`` on top of ``opening``."""
    debit: dict[str, int] = defaultdict(int)
    credit: dict[str, int] = defaultdict(int)
    per_journal: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for entry in stream:
        totals = per_journal[entry.journal]
        totals[0] += 1
        for line in entry.lines:
            if line.amount >= 0:
                debit[line.account] += line.amount
                totals[1] += line.amount
            else:
                credit[line.account] -= line.amount
                totals[2] -= line.amount
    codes = sorted(set(opening) | set(debit) | set(credit), key=_sort_key)
    rows = []
    for code in codes:
        account = chart.get(code)
        rows.append(AccountRow(
            code, account.name if account else code,
            str(account.kind if account else Kind.RESULT), account.rgs if account else "",
            opening.get(code, 0), debit.get(code, 0), credit.get(code, 0)))
    journals = tuple(
        JournalTotal(str(j), c.JOURNAL_NAMES[j], *per_journal[j])
        for j in Journal if j in per_journal)
    return TrialBalance(year, tuple(rows), journals)


def trial_balance_in(session: Session, year: int) -> TrialBalance:
    return accumulate(chart_in(session), opening_balances(session, year),
                      entries(session, year), year)


def trial_balance(books: Books, year: int) -> TrialBalance:
    """The year's trial balance, from one consistent reading of the books."""
    with books.db.read() as session:
        return trial_balance_in(session, year)


@dataclass(frozen=True)
class CardPage:
    """A page of an account's card for a list that loads as it scrolls."""

    account: AccountRow | None  # on the first page: the account with its totals
    offset: int
    lines: tuple[CardLine, ...]
    total: int = 0  # on the first page: the number of lines of the card


def card_page(books: Books, year: int, code: str, offset: int, limit: int,
              language: str | None = None) -> CardPage:
    """Lines ``offset`` .. ``offset + limit`` of the card (described in ``language``, by
    default the practice's); the first page also carries the account's opening, debit,
    credit and the number of lines."""
    if offset == 0:
        card = account_card(books, year, code, language)
        return CardPage(card.account, 0, card.lines[:limit], len(card.lines))
    with books.db.read() as session:
        opening = opening_balances(session, year).get(code, 0)  # the balance runs on
        lines = list(islice(_card_lines(session, year, code, opening, language), offset,
                            offset + limit))
    return CardPage(None, offset, tuple(lines))


def _card_lines(session: Session, year: int, code: str, opening: int,
                language: str | None) -> Iterator[CardLine]:
    balance = opening
    for entry in entries(session, year, language):
        for line in entry.lines:
            if line.account != code:
                continue
            balance += line.amount
            yield CardLine(entry.date, str(entry.journal), entry.number, entry.document,
                           line.description or entry.description, max(line.amount, 0),
                           max(-line.amount, 0), balance, entry.reference)


def account_card(books: Books, year: int, code: str,
                 language: str | None = None) -> AccountCard:
    """Every line booked on account ``code`` in ``year``, with its running balance, the
    lines described in ``language`` (by default the practice's)."""
    from ledger.base.errors import InputError

    with books.db.read() as session:
        chart = chart_in(session)
        account = chart.get(code)
        if account is None:
            raise InputError("account", "{code} is not in the chart", code=code)
        opening = opening_balances(session, year).get(code, 0)
        lines = tuple(_card_lines(session, year, code, opening, language))
    row = AccountRow(code, account.name, str(account.kind), account.rgs, opening,
                     sum(line.debit for line in lines), sum(line.credit for line in lines))
    return AccountCard(year, row, lines)


__all__ = [
    "AccountCard",
    "AccountRow",
    "CardLine",
    "CardPage",
    "JournalTotal",
    "TrialBalance",
    "account_card",
    "accumulate",
    "card_page",
    "opening_balances",
    "trial_balance",
    "trial_balance_in",
]
