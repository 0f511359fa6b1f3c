"""The ``report`` group: the year's figures (turnover, VAT by quarter, costs, result)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tui.cli import jsonout
from tui.cli.args import Commands, add_json
from tui.cli.lang import _, day, language, money, n_, number
from tui.cli.output import Out

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books
    from ledger.yearend.by_therapist import TherapistYear


def register(commands: Commands) -> None:
    report = commands.group("report", "the year's figures")
    p = report.command("year", "turnover, VAT, payments and what is open", cmd_year)
    p.add_argument("year", type=int)
    add_json(p)
    p = report.command("ledger", "the trial balance, or one account's card", cmd_ledger)
    p.add_argument("year", type=int)
    p.add_argument("--account", metavar="CODE", help="show this account's card")
    add_json(p)
    chart = commands.group("chart", "the chart of accounts and its RGS codes")
    p = chart.command("list", "every account with its kind and RGS code", cmd_chart_list)
    add_json(p)
    p = chart.command("set", "change an account's name or RGS code (empty: the default)",
                      cmd_chart_set)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--name")
    p.add_argument("--rgs", metavar="RGS")
    add_json(p)


def cmd_year(args: argparse.Namespace, books: Books) -> None:
    if getattr(args, "therapist", None):
        _therapist_year(args, books)
        return
    from ledger.yearend.figures import year_end

    figures = year_end(books, args.year)
    totals = figures.totals
    text = [_("{year}: turnover {net} excl. VAT, VAT {vat}, gross {gross}").format(
                year=totals.year, net=money(totals.turnover_net), vat=money(totals.vat),
                gross=money(totals.turnover_gross)),
            _("received {received}, open at year end {open}, to pay back {refund}").format(
                received=money(totals.payments_received), open=money(totals.open_at_year_end),
                refund=money(totals.to_refund_at_year_end))]
    for q in totals.by_quarter:
        text.append("  " + _("Q{quarter}: {net} + VAT {vat}").format(
            quarter=q.period, net=money(q.net), vat=money(q.vat)))
    text += [_("costs {costs} (excl. deductible VAT), kilometres {km}, result {result}").format(
                 costs=money(figures.costs_expense), km=money(figures.km_amount),
                 result=money(figures.result)),
             _("prepaid sessions not yet given: {n} worth {amount}").format(
                 n=figures.sessions_left, amount=money(figures.liability))
             + "; " + n_("{n} session", "{n} sessions", figures.sessions_given).format(
                 n=figures.sessions_given)
             + ", " + _("{hours} hours of treatment").format(hours=number(figures.treatment_hours))]
    if figures.kor.over_limit or (figures.kor.applies and figures.kor.near_limit):
        Out(args).warn(_("turnover is near or over the KOR limit of {limit}").format(
            limit=money(figures.kor.limit)))
    Out(args).result({**jsonout.year(totals), **jsonout.year_end(figures)}, "\n".join(text))


def therapist_year_json(y: TherapistYear) -> dict[str, Any]:
    from ledger.yearend.figures import HOURS_CRITERION

    return {"year": y.year, "therapist": {"id": y.therapist_id, "name": y.name},
            "turnover_net": jsonout.json_amount(y.turnover_net),
            "vat": jsonout.json_amount(y.vat),
            "turnover_gross": jsonout.json_amount(y.turnover_gross),
            "sessions_given": y.sessions_given, "sessions_missed": y.sessions_missed,
            "treatment_hours": str(y.treatment_hours), "hours_criterion": HOURS_CRITERION,
            "open_at_year_end": jsonout.json_amount(y.open_at_year_end),
            "open_invoices": y.open_invoices}


def _therapist_year(args: argparse.Namespace, books: Books) -> None:
    """``report year YEAR --therapist ID``: one therapist's part of the year."""
    from ledger.yearend.by_therapist import therapist_year
    from ledger.yearend.figures import HOURS_CRITERION

    y = therapist_year(books, args.year, args.therapist)
    text = [_("{year}, {name}: turnover {net} excl. VAT, VAT {vat}, gross {gross}").format(
                year=y.year, name=y.name, net=money(y.turnover_net), vat=money(y.vat),
                gross=money(y.turnover_gross)),
            n_("{n} session", "{n} sessions", y.sessions_given).format(n=y.sessions_given)
            + ", " + _("{hours} hours of treatment (criterion {criterion})").format(
                hours=number(y.treatment_hours), criterion=HOURS_CRITERION),
            n_("{n} invoice open at year end: {amount}", "{n} invoices open at year end: "
               "{amount}", y.open_invoices).format(n=y.open_invoices,
                                                   amount=money(y.open_at_year_end))]
    Out(args).result(therapist_year_json(y), "\n".join(text))


def cmd_ledger(args: argparse.Namespace, books: Books) -> None:
    from ledger.base.parse import check_year
    from ledger.journals.trial_balance import account_card, trial_balance

    check_year(args.year)
    if args.account:
        # the descriptions in the run's language; --json in the practice's (its bytes do
        # not depend on --lang)
        card = account_card(books, args.year, args.account,
                            None if getattr(args, "json", False) else language())
        a = card.account
        rows = [[day(line.date), line.journal, line.number, line.document,
                 line.description[:50], money(line.debit) if line.debit else "",
                 money(line.credit) if line.credit else "", money(line.balance)]
                for line in card.lines]
        out = Out(args)
        if out.json:
            jsonout.emit(jsonout.account_card(card))
            return
        print(_("{code} {name} (RGS {rgs}), {year}: opening {opening}").format(
            code=a.code, name=a.name, rgs=a.rgs, year=args.year, opening=money(a.opening)))
        out.table([], rows, [_("date"), _("journal"), _("entry"), _("document"),
                             _("description"), _("debit"), _("credit"), _("balance")])
        print(_("debit {debit}, credit {credit}, closing {closing}").format(
            debit=money(a.debit), credit=money(a.credit), closing=money(a.closing)))
        return
    tb = trial_balance(books, args.year)
    out = Out(args)
    if out.json:
        jsonout.emit(jsonout.trial_balance(tb))
        return
    rows = [[a.code, a.name, a.rgs, money(a.opening), money(a.debit), money(a.credit),
             money(a.closing)] for a in tb.accounts]
    rows.append(["", _("total"), "", "", money(tb.debit), money(tb.credit), ""])
    out.table([], rows, [_("account"), _("name"), "RGS", _("opening"), _("debit"),
                         _("credit"), _("closing")])


def _account_json(a: Any) -> dict[str, str]:
    return {"code": a.code, "name": a.name, "kind": str(a.kind), "rgs": a.rgs}


def cmd_chart_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.journals.chart import chart

    accounts = list(chart(books).accounts.values())
    Out(args).table([_account_json(a) for a in accounts],
                    [[a.code, a.name, str(a.kind), a.rgs] for a in accounts],
                    [_("account"), _("name"), _("kind"), "RGS"])


def cmd_chart_set(args: argparse.Namespace, books: Books) -> None:
    from ledger.journals.chart import change_account

    account = change_account(books, args.code, name=args.name, rgs=args.rgs)
    Out(args).result(_account_json(account), _("{code} {name}: RGS {rgs}").format(
        code=account.code, name=account.name, rgs=account.rgs))
