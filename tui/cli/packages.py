"""The ``package`` group: plans, selling (its invoice issued and archived), balances,
cancelling (the refund credited and archived), the claim statement (to a file or by
e-mail)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ledger.base.codes import PackageStatus
from tui.cli import jsonout
from tui.cli.args import Commands, add_json, count_arg, date_arg, id_arg
from tui.cli.lang import _, day, money, n_, status_word
from tui.cli.output import Out

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books


def register(commands: Commands) -> None:
    package = commands.group("package", "package plans and packages sold")
    p = package.command("plan-add", "add a package plan", cmd_plan_add)
    p.add_argument("--name", required=True)
    p.add_argument("--treatment", required=True, metavar="ID")
    p.add_argument("--sessions", required=True, metavar="N")
    p.add_argument("--price", required=True, metavar="AMOUNT")
    p.add_argument("--valid-days", default="365", metavar="DAYS")
    add_json(p)
    p = package.command("plan-list", "list package plans", cmd_plan_list)
    add_json(p)
    p = package.command("sell", "sell a package and issue its invoice", cmd_sell)
    p.add_argument("--client", required=True, type=id_arg("client"), metavar="ID")
    p.add_argument("--plan", required=True, type=id_arg("plan"), metavar="ID")
    p.add_argument("--date", type=date_arg("date"), metavar="DATE")
    add_json(p)
    p = package.command("list", "packages with their balance", cmd_list)
    p.add_argument("--client", type=id_arg("client"), metavar="ID")
    p.add_argument("--status", choices=tuple(PackageStatus))
    add_json(p)
    p = package.command("show", "one package", cmd_show)
    p.add_argument("id", type=id_arg("package"))
    add_json(p)
    p = package.command("cancel", "cancel a package; the unused part is credited", cmd_cancel)
    p.add_argument("id", type=id_arg("package"))
    p.add_argument("--date", type=date_arg("date"), metavar="DATE")
    p.add_argument("--preview", action="store_true", help="only show the refund")
    add_json(p)
    p = package.command("statement", "insurance claim statement for a package (PDF)",
                        cmd_statement)
    p.add_argument("id", type=id_arg("package"))
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    add_json(p)
    p = package.command("plan", "plan a series' free places (every N days, or towards a "
                        "race)", cmd_plan)
    p.add_argument("id", type=id_arg("package"))
    p.add_argument("--every", type=count_arg("every", 1), metavar="N",
                   help="days between sessions (default 7)")
    p.add_argument("--from", dest="start", type=date_arg("from"), metavar="DATE")
    p.add_argument("--race-date", type=date_arg("race date"), metavar="DATE")
    p.add_argument("--days-before", type=count_arg("days before", 0), metavar="N",
                   help="the last session this many days before the race")
    p.add_argument("--time", required=True, metavar="HH:MM")
    p.add_argument("--preview", action="store_true", help="only show the plan")
    add_json(p)
    p = package.command("send-statement", "e-mail the claim statement of a package",
                        cmd_send_statement)
    p.add_argument("id", type=id_arg("package"))
    p.add_argument("--to", metavar="ADDRESS")
    add_json(p)


def cmd_plan_add(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.catalogue import add_plan

    info = add_plan(books, {"name": args.name, "treatment_id": args.treatment,
                            "sessions": args.sessions, "price": args.price,
                            "valid_days": args.valid_days})
    Out(args).result(jsonout.plan(info), _(
        "Package plan {id} added: {name}, {sessions} x {treatment}, {price}").format(
        id=info.id, name=info.name, sessions=info.sessions, treatment=info.treatment_name,
        price=money(info.price)))


def cmd_plan_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.catalogue import list_plans

    rows = list_plans(books)
    Out(args).table(
        [jsonout.plan(p) for p in rows],
        [(str(p.id), p.name, p.treatment_name, str(p.sessions), money(p.price),
          n_("{n} day", "{n} days", p.valid_days).format(n=p.valid_days)) for p in rows],
        (_("id"), _("name"), _("treatment"), _("sessions"), _("price"), _("valid")),
    )


def _package_line(p: Any) -> str:
    if p.sessions_planned:
        return _("Package {id}: {name} for {client}, {used} used, {planned} planned, {free} "
                 "free of {total}, valid until {expires} ({status})").format(
            id=p.id, name=p.name, client=p.client_name, used=p.sessions_used,
            planned=p.sessions_planned, free=p.sessions_free, total=p.sessions_total,
            expires=day(p.expires, "long"), status=status_word(p.status))
    return _("Package {id}: {name} for {client}, {used} of {total} used, {left} left, valid "
             "until {expires} ({status})").format(
        id=p.id, name=p.name, client=p.client_name, used=p.sessions_used,
        total=p.sessions_total, left=p.sessions_left, expires=day(p.expires, "long"),
        status=status_word(p.status))


def cmd_sell(args: argparse.Namespace, books: Books) -> None:
    from invoices.steps.issuing import sell_and_archive

    sold = sell_and_archive(books, args.client, args.plan, args.date, backlog=True)
    info = sold.info
    out = Out(args)
    out.result(jsonout.package(info),
               _package_line(info) + "; " + _("invoice {number} issued.").format(
                   number=info.invoice_number))
    out.archived(sold.archived)


def cmd_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.packages import list_packages

    rows = list_packages(books, args.client, status=args.status)
    Out(args).table(
        [jsonout.package(p) for p in rows],
        [(str(p.id), p.client_name, p.name, f"{p.sessions_used}/{p.sessions_total}",
          day(p.expires), status_word(p.status)) for p in rows],
        (_("id"), _("client"), _("package"), _("used"), _("expires"), _("status")),
    )


def cmd_show(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.packages import get_package

    info = get_package(books, args.id)
    Out(args).result(jsonout.package(info), _package_line(info))


def cmd_cancel(args: argparse.Namespace, books: Books) -> None:
    out = Out(args)
    if args.preview:
        from ledger.billing.packages import cancellation_refund, get_package

        info = get_package(books, args.id)
        refund = cancellation_refund(books, args.id)
        data = {**jsonout.package(info), "refund": jsonout.json_amount(refund)}
        out.result(data, _("Cancelling package {id} would credit {amount}.").format(
            id=info.id, amount=money(refund)))
        return
    from invoices.steps.issuing import cancel_and_archive

    cancelled = cancel_and_archive(books, args.id, args.date, backlog=True)
    info = cancelled.info
    said = (_("Package {id} cancelled; credit note {number}.") if info.cancel_credit_number
            else _("Package {id} cancelled."))
    out.result(jsonout.package(info), said.format(id=info.id, number=info.cancel_credit_number))
    out.archived(cancelled.archived)


def cmd_statement(args: argparse.Namespace, books: Books) -> None:
    from invoices.steps.statements import package_statement_file

    done = package_statement_file(books, args.id, args.output)
    statement = done.statement
    Out(args).result({"package": args.id, "file": str(done.path),
                      "treatments": len(statement.rows),
                      "total": jsonout.json_amount(statement.total)},
                     n_("Claim statement for package {id} ({n} treatment) written to {path}.",
                        "Claim statement for package {id} ({n} treatments) written to {path}.",
                        len(statement.rows)).format(id=args.id, n=len(statement.rows),
                                                    path=done.path))


def cmd_send_statement(args: argparse.Namespace, books: Books) -> None:
    from invoices.steps.mail import send_statement

    record = send_statement(books, package_id=args.id, to=args.to)
    Out(args).result(jsonout.mail(record), _("Claim statement sent to {to} ({file}).").format(
        to=record.recipient, file=record.attachment))


def cmd_plan(args: argparse.Namespace, books: Books) -> None:
    from ledger.agenda.planning import plan_series
    from ledger.base.parse import parse_time

    plan = plan_series(books, args.id, at=parse_time(args.time), every_days=args.every,
                       start=args.start, race_date=args.race_date,
                       days_before=args.days_before, save=not args.preview)
    p = plan.package
    data = {"package": jsonout.package(p), "saved": plan.saved, "sessions": [
        {"date": s.date.isoformat(), "time": s.start_time.strftime("%H:%M"),
         "wanted": s.wanted.isoformat(), "moved": s.moved, "session_id": s.session_id}
        for s in plan.slots]}
    lines = [(_("{date} {time} (moved from {wanted})") if s.moved else _("{date} {time}")
              ).format(date=day(s.date, "long"), time=s.start_time.strftime("%H:%M"),
                       wanted=day(s.wanted, "long")) for s in plan.slots]
    head = (_("Planned for package {id}:") if plan.saved else
            _("Plan for package {id} (not saved):")).format(id=p.id)
    Out(args).result(data, "\n".join([head, *lines]))
    from tui.cli.sessions import calendar_warning

    calendar_warning(plan.calendar_error)
