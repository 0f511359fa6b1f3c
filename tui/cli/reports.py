"""The ``report`` group: the year's figures (turnover, VAT by quarter, costs, result)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ledger.base.money import format_money
from tui.cli import jsonout
from tui.cli.args import Commands, add_json
from tui.cli.output import Out

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books


def register(commands: Commands) -> None:
    report = commands.group("report", "the year's figures")
    p = report.command("year", "turnover, VAT, payments and what is open", cmd_year)
    p.add_argument("year", type=int)
    add_json(p)


def cmd_year(args: argparse.Namespace, books: Books) -> None:
    from ledger.yearend.figures import year_end

    figures = year_end(books, args.year)
    totals = figures.totals
    text = [f"{totals.year}: turnover {format_money(totals.turnover_net)} excl. VAT, "
            f"VAT {format_money(totals.vat)}, gross {format_money(totals.turnover_gross)}",
            f"received {format_money(totals.payments_received)}, open at year end "
            f"{format_money(totals.open_at_year_end)}, to pay back "
            f"{format_money(totals.to_refund_at_year_end)}"]
    for q in totals.by_quarter:
        text.append(f"  Q{q.period}: {format_money(q.net)} + VAT {format_money(q.vat)}")
    text += [f"costs {format_money(figures.costs_expense)} (excl. deductible VAT), "
             f"kilometres {format_money(figures.km_amount)}, result "
             f"{format_money(figures.result)}",
             f"prepaid sessions not yet given: {figures.sessions_left} worth "
             f"{format_money(figures.liability)}; {figures.sessions_given} sessions, "
             f"{figures.treatment_hours} hours of treatment"]
    if figures.kor.over_limit or (figures.kor.applies and figures.kor.near_limit):
        Out(args).warn(f"turnover is near or over the KOR limit of "
                       f"{format_money(figures.kor.limit)}")
    Out(args).result({**jsonout.year(totals), **jsonout.year_end(figures)}, "\n".join(text))
