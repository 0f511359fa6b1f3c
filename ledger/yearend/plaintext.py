"""The year's journals as a beancount file (plain-text double entry), so that an
independent engine checks ours and the year can be opened in fava or queried with
bean-query. Same entries as the audit file (:mod:`ledger.journals.projection`), the same
opening balance, amounts in EUR with two decimals.

Account names: the beancount root by the account's place in the chart (``Assets``,
``Liabilities``, ``Equity``, ``Income``, ``Expenses``), then the account number and its
name, e.g. ``Assets:1300-Debiteuren``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from ledger.base.errors import N_
from ledger.base.money import json_amount
from ledger.base.parse import check_year
from ledger.books import Books
from ledger.journals import chart as c
from ledger.journals.chart import Chart, chart_in
from ledger.journals.projection import entries, words
from ledger.journals.trial_balance import opening_balances
from ledger.practice.profile import practice_info

LIABILITIES = {c.VAT_PAYABLE, c.PREPAID}


def account_name(chart: Chart, code: str) -> str:
    """``Assets:1300-Debiteuren``: a valid beancount account for chart account ``code``."""
    account = chart.get(code)
    name = account.name if account else code
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-")
    if code.startswith("0"):
        root = "Equity"
    elif code in LIABILITIES:
        root = "Liabilities"
    elif code.startswith("1"):
        root = "Assets"
    elif code.startswith("8"):
        root = "Income"
    else:
        root = "Expenses"
    return f"{root}:{code}-{slug}" if slug else f"{root}:{code}"


def _quote(text: str) -> str:
    clean = " ".join((text or "").split())
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_beancount(books: Books, year: int, path: Path | str,
                    language: str | None = None) -> int:
    """Write ``year`` as a beancount file at ``path``, its descriptions in ``language``
    (by default the practice's); returns the number of entries."""
    from ledger.yearend.streamed import streamed_file

    check_year(year)
    count = 0
    with books.db.read() as session, streamed_file(path, N_("beancount file")) as raw:
        chart = chart_in(session)
        practice = practice_info(session)
        w = words(language or practice.language)

        def put(text: str) -> None:
            raw.write(text.encode("utf-8"))

        put(f"; {w.written.format(name=practice.name, year=year)}\n")
        put(f'option "title" {_quote(f"{practice.name} {year}")}\n')
        put('option "operating_currency" "EUR"\n\n')
        opened = date(year, 1, 1).isoformat()
        names = {code: account_name(chart, code) for code in chart.accounts}  # once each
        for code, account in chart.accounts.items():
            put(f"{opened} open {names[code]} EUR\n")
            put(f"  rgs: {_quote(account.rgs)}\n")
        opening = {k: v for k, v in sorted(opening_balances(session, year).items()) if v}
        if opening:
            put(f"\n{opened} * {_quote(w.opening.format(year=year))}\n")
            for code, amount in opening.items():
                put(f"  {names.get(code) or account_name(chart, code)}  "
                    f"{json_amount(amount)} EUR\n")
        for entry in entries(session, year, language):
            put(f"\n{entry.date.isoformat()} * {_quote(entry.document)} "
                f"{_quote(entry.description)}\n")
            put(f"  journal: {_quote(str(entry.journal))}\n  nr: {_quote(entry.number)}\n")
            if entry.reference:
                put(f"  reference: {_quote(entry.reference)}\n")
            for line in entry.lines:
                if line.amount:
                    put(f"  {names.get(line.account) or account_name(chart, line.account)}  "
                        f"{json_amount(line.amount)} EUR\n")
            count += 1
    return count


__all__ = ["account_name", "write_beancount"]
