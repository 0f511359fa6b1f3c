"""What every year's journals must satisfy, shared by the journal tests: entries balance,
each journal balances, next year opens where this year closed, and the trial balance agrees
with the year report to the cent. Also a small reader of the audit file, independent of
the writer."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from ledger.books import Books
from ledger.journals import chart as c
from ledger.journals.projection import entries
from ledger.journals.trial_balance import TrialBalance, trial_balance
from ledger.yearend.figures import year_end

NS = "{http://www.auditfiles.nl/XAF/3.2}"
TURNOVER = {c.TURNOVER_21, c.TURNOVER_9, c.TURNOVER_0, c.TURNOVER_OTHER, c.TURNOVER_EXEMPT,
            c.TURNOVER_KOR}


def check_year(books: Books, year: int) -> TrialBalance:
    tb = trial_balance(books, year)
    figures = year_end(books, year)
    vat_by_quarter: dict[int, int] = defaultdict(int)
    claim_by_quarter: dict[int, int] = defaultdict(int)
    with books.db.read() as session:
        for entry in entries(session, year):
            assert entry.balance == 0, entry
            assert entry.date.year == year
            quarter = (entry.date.month - 1) // 3 + 1
            for line in entry.lines:
                if line.account == c.VAT_PAYABLE:
                    vat_by_quarter[quarter] -= line.amount
                if line.account == c.VAT_TO_CLAIM:
                    claim_by_quarter[quarter] += line.amount
    assert tb.debit == tb.credit
    for journal in tb.journals:
        assert journal.debit == journal.credit, journal
    assert sum(a.opening for a in tb.accounts) == 0
    assert sum(a.closing for a in tb.accounts) == 0
    row = {a.code: a for a in tb.accounts}

    def closing(code: str) -> int:
        return row[code].closing if code in row else 0

    def moved(code: str) -> int:
        return row[code].debit - row[code].credit if code in row else 0

    totals = figures.totals
    assert -closing(c.PREPAID) == figures.liability_net
    assert closing(c.DEBTORS) == totals.open_at_year_end - totals.to_refund_at_year_end
    for q in totals.by_quarter:
        assert vat_by_quarter[q.period] == q.vat, q
    for q in figures.vat_quarters:
        assert claim_by_quarter[q.quarter] == q.input_vat, q
    earned = -sum(moved(code) for code in TURNOVER)
    prepaid_growth = -(closing(c.PREPAID) - (row[c.PREPAID].opening if c.PREPAID in row else 0))
    assert earned + prepaid_growth == totals.turnover_net
    cost_codes = {a.code for a in tb.accounts if a.code.startswith("4") and a.code != c.KILOMETRES}
    assert sum(moved(code) for code in cost_codes) == figures.costs_expense
    assert moved(c.KILOMETRES) == figures.km_amount
    return tb


def check_next_opens_where_closed(first: TrialBalance, second: TrialBalance) -> None:
    closed = {a.code: a.closing for a in first.accounts}
    opened = {a.code: a.opening for a in second.accounts}
    carried = {c.EQUITY, c.PRIVATE_IN, c.PRIVATE_OUT}
    for a in first.accounts:
        if a.kind == "B" and a.code not in carried:
            assert opened.get(a.code, 0) == a.closing, a
    into_equity = sum(v for code, v in closed.items()
                      if code in carried or code not in {a.code for a in first.accounts
                                                         if a.kind == "B"})
    assert opened.get(c.EQUITY, 0) == into_equity


def read_auditfile(path: Path) -> dict[str, tuple[int, int, int]]:
    """{account: (opening, debit, credit)} read back from an audit file."""
    def cents(text: str | None) -> int:
        return int(Decimal(text or "0") * 100)

    result: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for _event, element in ET.iterparse(path):
        if element.tag == NS + "obLine":
            amount = cents(element.findtext(NS + "amnt"))
            side = element.findtext(NS + "amntTp")
            result[element.findtext(NS + "accID") or ""][0] += amount if side == "D" else -amount
        elif element.tag == NS + "trLine":
            amount = cents(element.findtext(NS + "amnt"))
            side = element.findtext(NS + "amntTp")
            result[element.findtext(NS + "accID") or ""][1 if side == "D" else 2] += amount
            element.clear()
    return {k: (v[0], v[1], v[2]) for k, v in result.items()}


def as_read(tb: TrialBalance) -> dict[str, tuple[int, int, int]]:
    return {a.code: (a.opening, a.debit, a.credit) for a in tb.accounts
            if a.opening or a.debit or a.credit}
