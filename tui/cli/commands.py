"""Sub-commands for the practice, clients, catalogue, packages and sessions."""

from __future__ import annotations

import argparse
import importlib
from typing import TYPE_CHECKING, Any

from ledger.base import parse
from ledger.base.dates import format_date
from ledger.base.money import format_money
from tui.cli import jsonout
from tui.cli.output import Out, add_json, date_arg, id_arg

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books

# Modules that add their own sub-commands: each has register(commands, common, group, command).
COMMAND_MODULES = ("tui.cli.invoice", "tui.cli.safety", "tui.cli.documents", "tui.cli.yearend",
                   "tui.cli.paid")


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    groups: dict[str, Any] = {}

    def group(name: str, help_: str) -> Any:
        if name in groups:  # a module adding actions to an existing group (client ...)
            return groups[name]
        parser = commands.add_parser(name, help=help_, parents=[common])
        groups[name] = parser.add_subparsers(dest="action", metavar="ACTION",
                                             parser_class=type(parser))
        return groups[name]

    def command(sub: Any, name: str, help_: str, handler: Any, **kw: Any) -> Any:
        parser = sub.add_parser(name, help=help_, parents=[common], **kw)
        parser.set_defaults(handler=handler)
        return parser

    p = commands.add_parser("init", help="create the database and show where it is",
                            parents=[common])
    p.set_defaults(handler=cmd_init)
    add_json(p)
    p = commands.add_parser("demo", help="fill an empty database with a fictional practice",
                            parents=[common])
    p.add_argument("--year", type=int, help="the year of sessions (default: this year)")
    p.add_argument("--clients", type=int, default=36, help="number of clients (default 36)")
    p.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same data)")
    p.set_defaults(handler=cmd_demo)
    add_json(p)

    practice = group("practice", "the practice profile")
    p = command(practice, "show", "show the profile", cmd_practice_show)
    add_json(p)
    p = command(practice, "set", "change any part of the profile", cmd_practice_set)
    for option, key in PRACTICE_OPTIONS.items():
        p.add_argument(option, dest=key, metavar="VALUE")
    add_json(p)

    client = group("client", "clients")
    p = command(client, "add", "add a client", cmd_client_add)
    p.add_argument("--name", required=True)
    _client_options(p)
    add_json(p)
    p = command(client, "edit", "change a client's details", cmd_client_edit)
    p.add_argument("id", type=id_arg("client"))
    p.add_argument("--name")
    _client_options(p)
    add_json(p)
    p = command(client, "list", "list clients", cmd_client_list)
    p.add_argument("--search", default="", help="part of the name")
    p.add_argument("--archived", action="store_true", help="include archived clients")
    add_json(p)
    p = command(client, "show", "one client", cmd_client_show)
    p.add_argument("id", type=id_arg("client"))
    add_json(p)
    for name, archived in (("archive", True), ("unarchive", False)):
        p = command(client, name, f"{name} a client", cmd_client_archive)
        p.add_argument("id", type=id_arg("client"))
        p.set_defaults(archived=archived)
        add_json(p)
    p = command(client, "delete", "delete a client without any records", cmd_client_delete)
    p.add_argument("id", type=id_arg("client"))

    treatment = group("treatment", "the treatment catalogue")
    p = command(treatment, "add", "add a treatment", cmd_treatment_add)
    p.add_argument("--name", required=True)
    _treatment_options(p, required_price=True)
    add_json(p)
    p = command(treatment, "edit", "change a treatment (past sessions keep their price)",
                cmd_treatment_edit)
    p.add_argument("id", type=id_arg("treatment"))
    p.add_argument("--name")
    _treatment_options(p, required_price=False)
    p.add_argument("--inactive", action="store_true", help="no longer offered")
    add_json(p)
    p = command(treatment, "list", "list treatments", cmd_treatment_list)
    p.add_argument("--all", action="store_true", help="include ones no longer offered")
    add_json(p)

    package = group("package", "package plans and packages sold")
    p = command(package, "plan-add", "add a package plan", cmd_plan_add)
    p.add_argument("--name", required=True)
    p.add_argument("--treatment", required=True, metavar="ID")
    p.add_argument("--sessions", required=True, metavar="N")
    p.add_argument("--price", required=True, metavar="AMOUNT")
    p.add_argument("--valid-days", default="365", metavar="DAYS")
    add_json(p)
    p = command(package, "plan-list", "list package plans", cmd_plan_list)
    add_json(p)
    p = command(package, "sell", "sell a package and issue its invoice", cmd_package_sell)
    p.add_argument("--client", required=True, type=id_arg("client"), metavar="ID")
    p.add_argument("--plan", required=True, type=id_arg("plan"), metavar="ID")
    p.add_argument("--date", type=date_arg("date"), metavar="DATE")
    add_json(p)
    p = command(package, "list", "packages with their balance", cmd_package_list)
    p.add_argument("--client", type=id_arg("client"), metavar="ID")
    p.add_argument("--status", choices=("active", "used_up", "expired", "cancelled"))
    add_json(p)
    p = command(package, "show", "one package", cmd_package_show)
    p.add_argument("id", type=id_arg("package"))
    add_json(p)
    p = command(package, "cancel", "cancel a package; the unused part is credited",
                cmd_package_cancel)
    p.add_argument("id", type=id_arg("package"))
    p.add_argument("--date", type=date_arg("date"), metavar="DATE")
    p.add_argument("--preview", action="store_true", help="only show the refund")
    add_json(p)

    session = group("session", "treatment sessions")
    p = command(session, "add", "record a session", cmd_session_add)
    p.add_argument("--client", required=True, type=id_arg("client"), metavar="ID")
    p.add_argument("--treatment", required=True, type=id_arg("treatment"), metavar="ID")
    p.add_argument("--date", type=date_arg("date"), metavar="DATE")
    p.add_argument("--time", metavar="HH:MM")
    p.add_argument("--package", default="auto", metavar="ID|auto|none")
    p.add_argument("--price", metavar="AMOUNT", help="instead of the catalogue price")
    p.add_argument("--duration", metavar="MINUTES")
    p.add_argument("--status", default="given", metavar="given|no_show|late_cancel")
    p.add_argument("--fee", metavar="AMOUNT", help="fee for a no-show or late cancellation")
    p.add_argument("--notes", default="", help="private notes (never printed on documents)")
    add_json(p)
    p = command(session, "list", "list sessions", cmd_session_list)
    p.add_argument("--client", type=id_arg("client"), metavar="ID")
    p.add_argument("--unbilled", action="store_true", help="only sessions still to invoice")
    p.add_argument("--from", dest="start", type=date_arg("from"), metavar="DATE")
    p.add_argument("--to", dest="end", type=date_arg("to"), metavar="DATE")
    add_json(p)
    p = command(session, "delete", "undo a session recorded by mistake", cmd_session_delete)
    p.add_argument("id", type=id_arg("session"))

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands, common, group, command)


PRACTICE_OPTIONS = {
    "--name": "name", "--address": "address", "--postcode": "postcode", "--city": "city",
    "--email": "email", "--phone": "phone", "--kvk": "kvk", "--vat-id": "vat_id",
    "--iban": "iban", "--account-holder": "account_holder",
    "--agb-therapist": "agb_therapist", "--agb-practice": "agb_practice",
    "--therapist-name": "therapist_name", "--association": "association",
    "--membership-number": "membership_number", "--register-number": "register_number",
    "--vat-regime": "vat_regime", "--exempt-text": "exempt_text", "--kor-text": "kor_text",
    "--payment-term": "payment_term", "--number-pattern": "number_pattern",
    "--language": "language", "--cancel-policy": "cancel_policy",
}
CLIENT_OPTIONS = {
    "--address": "address", "--postcode": "postcode", "--city": "city", "--email": "email",
    "--phone": "phone", "--birth-date": "birth_date", "--language": "language",
    "--notes": "notes",
}


def _client_options(p: argparse.ArgumentParser) -> None:
    for option, key in CLIENT_OPTIONS.items():
        p.add_argument(option, dest=key, metavar="VALUE")


def _treatment_options(p: argparse.ArgumentParser, *, required_price: bool) -> None:
    p.add_argument("--price", required=required_price, metavar="AMOUNT",
                   help="price including VAT")
    p.add_argument("--vat", metavar="RATE", help="VAT rate in percent (default 21)")
    p.add_argument("--code", metavar="CODE", help="insurance performance code (prestatiecode)")
    p.add_argument("--duration", metavar="MINUTES", help="default 60")


def _raw(args: argparse.Namespace, keys: Any) -> dict[str, str | None]:
    return {key: getattr(args, key, None) for key in keys if getattr(args, key, None) is not None}


# ----------------------------------------------------------------------------- handlers
def cmd_init(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.profile import get_practice

    out = Out(args)
    info = get_practice(books)
    where = str(books.db.path or books.db.engine.url.render_as_string(hide_password=True))
    out.result({"database": where, "set_up": info.is_set_up},
               f"The books are ready at {where}."
               + ("" if info.is_set_up else
                  " Next: `solebook practice set --name ...` or `solebook demo`."))


def cmd_demo(args: argparse.Namespace, books: Books) -> None:
    from ledger.demo import load_demo

    out = Out(args)
    summary = load_demo(books, year=args.year, clients=args.clients, seed=args.seed,
                        progress=out.progress)
    out.result(summary, "Demo practice loaded: " + ", ".join(
        f"{value} {key}" for key, value in summary.items()))


def cmd_practice_show(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.profile import get_practice

    info = get_practice(books)
    Out(args).result(jsonout.practice(info), _practice_text(info))


def cmd_practice_set(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.profile import update_practice

    raw = _raw(args, PRACTICE_OPTIONS.values())
    if not raw:
        raise parse.InputError("practice", "give at least one option to change, e.g. --name")
    info = update_practice(books, raw)
    Out(args).result(jsonout.practice(info), "Practice profile saved.\n" + _practice_text(info))


def _practice_text(info: Any) -> str:
    rows = jsonout.practice(info)
    return "\n".join(f"{key:18} {value}" for key, value in rows.items() if key != "id")


def cmd_client_add(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import add_client

    info = add_client(books, {"name": args.name, **_raw(args, CLIENT_OPTIONS.values())})
    Out(args).result(jsonout.client(info), f"Client {info.id} added: {info.name}")


def cmd_client_edit(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import update_client

    raw = _raw(args, ["name", *CLIENT_OPTIONS.values()])
    info = update_client(books, args.id, raw)
    Out(args).result(jsonout.client(info), f"Client {info.id} saved: {info.name}")


def cmd_client_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import list_clients

    clients = list_clients(books, args.search, include_archived=args.archived)
    Out(args).table(
        [jsonout.client(c) for c in clients],
        [(str(c.id), c.name, c.city, c.email, "archived" if c.archived else "") for c in clients],
        ("id", "name", "city", "e-mail", ""),
    )


def cmd_client_show(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import get_client

    info = get_client(books, args.id)
    data = jsonout.client(info)
    Out(args).result(data, "\n".join(f"{k:12} {v if v is not None else ''}"
                                     for k, v in data.items()))


def cmd_client_archive(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import archive_client

    info = archive_client(books, args.id, archived=args.archived)
    state = "archived" if info.archived else "active again"
    Out(args).result(jsonout.client(info), f"Client {info.id} ({info.name}) is {state}.")


def cmd_client_delete(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import delete_client

    delete_client(books, args.id)
    Out(args).result({"id": args.id, "deleted": True}, f"Client {args.id} deleted.")


def cmd_treatment_add(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.catalogue import add_treatment

    info = add_treatment(books, _treatment_raw(args))
    Out(args).result(jsonout.treatment(info),
                     f"Treatment {info.id} added: {info.name}, {format_money(info.price)}")


def _treatment_raw(args: argparse.Namespace) -> dict[str, str | None]:
    return {
        key: value for key, value in {
            "name": args.name, "price": args.price, "vat_rate": args.vat,
            "performance_code": args.code, "duration_min": args.duration,
        }.items() if value is not None
    }


def cmd_treatment_edit(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.catalogue import update_treatment

    info = update_treatment(books, args.id, _treatment_raw(args),
                            active=False if args.inactive else None)
    Out(args).result(jsonout.treatment(info), f"Treatment {info.id} saved.")


def cmd_treatment_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.catalogue import list_treatments

    rows = list_treatments(books, include_inactive=args.all)
    Out(args).table(
        [jsonout.treatment(t) for t in rows],
        [(str(t.id), t.name, f"{t.duration_min} min", format_money(t.price),
          f"{jsonout._rate(t.vat_rate)}%", t.performance_code) for t in rows],
        ("id", "name", "duration", "price", "VAT", "code"),
    )


def cmd_plan_add(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.catalogue import add_plan

    info = add_plan(books, {"name": args.name, "treatment_id": args.treatment,
                            "sessions": args.sessions, "price": args.price,
                            "valid_days": args.valid_days})
    Out(args).result(jsonout.plan(info), f"Package plan {info.id} added: {info.name}, "
                     f"{info.sessions} x {info.treatment_name}, {format_money(info.price)}")


def cmd_plan_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.catalogue import list_plans

    rows = list_plans(books)
    Out(args).table(
        [jsonout.plan(p) for p in rows],
        [(str(p.id), p.name, p.treatment_name, str(p.sessions), format_money(p.price),
          f"{p.valid_days} days") for p in rows],
        ("id", "name", "treatment", "sessions", "price", "valid"),
    )


def _package_line(p: Any) -> str:
    return (f"Package {p.id}: {p.name} for {p.client_name}, {p.sessions_used} of "
            f"{p.sessions_total} used, {p.sessions_left} left, valid until "
            f"{format_date(p.expires)} ({p.status})")


def cmd_package_sell(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.packages import sell_package

    info = sell_package(books, args.client, args.plan, args.date)
    Out(args).result(jsonout.package(info),
                     _package_line(info) + f"; invoice {info.invoice_number} issued.")


def cmd_package_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.packages import list_packages

    rows = list_packages(books, args.client, status=args.status)
    Out(args).table(
        [jsonout.package(p) for p in rows],
        [(str(p.id), p.client_name, p.name, f"{p.sessions_used}/{p.sessions_total}",
          format_date(p.expires, style="short"), p.status) for p in rows],
        ("id", "client", "package", "used", "expires", "status"),
    )


def cmd_package_show(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.packages import get_package

    info = get_package(books, args.id)
    Out(args).result(jsonout.package(info), _package_line(info))


def cmd_package_cancel(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.packages import cancel_package, cancellation_refund, get_package

    if args.preview:
        info = get_package(books, args.id)
        refund = cancellation_refund(books, args.id)
        data = {**jsonout.package(info), "refund": jsonout.json_amount(refund)}
        Out(args).result(data, f"Cancelling package {info.id} would credit "
                               f"{format_money(refund)}.")
        return
    info = cancel_package(books, args.id, args.date)
    credit = f"; credit note {info.cancel_credit_number}" if info.cancel_credit_number else ""
    Out(args).result(jsonout.package(info), f"Package {info.id} cancelled{credit}.")


def cmd_session_add(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.sessions import STATUSES, add_session

    package: Any = args.package.strip().lower()
    if package not in ("auto", "none"):
        package = parse.parse_int(package, "package", minimum=1)
    status = parse.parse_choice(args.status, "status", STATUSES)
    recorded = add_session(
        books, args.client, args.treatment, args.date,
        start_time=parse.parse_time(args.time) if args.time else None,
        package=package,
        price=parse.parse_amount(args.price, "price") if args.price is not None else None,
        duration_min=parse.parse_int(args.duration, "duration", minimum=1, maximum=600)
        if args.duration else None,
        status=status,
        fee=parse.parse_amount(args.fee, "fee") if args.fee is not None else None,
        notes=parse.parse_text(args.notes, "notes") if args.notes else "",
    )
    s = recorded.session
    text = (f"Session {s.id} recorded: {s.client_name}, {s.treatment_name}, "
            f"{format_date(s.date)}")
    if recorded.package:
        p = recorded.package
        text += f"; package {p.id}: {p.sessions_used} of {p.sessions_total} used"
    elif s.billable_amount:
        text += f"; to invoice: {format_money(s.billable_amount)}"
    Out(args).result(jsonout.recorded(recorded), text)


def cmd_session_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.sessions import list_sessions

    rows = list_sessions(books, args.client, unbilled=args.unbilled, start=args.start,
                         end=args.end)
    Out(args).table(
        [jsonout.session(s) for s in rows],
        [(str(s.id), format_date(s.date, style="short"), s.client_name, s.treatment_name,
          s.status, f"package {s.package_id}" if s.package_id else
          (s.invoice_number or format_money(s.billable_amount))) for s in rows],
        ("id", "date", "client", "treatment", "status", "paid by"),
    )


def cmd_session_delete(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.sessions import delete_session

    delete_session(books, args.id)
    Out(args).result({"id": args.id, "deleted": True}, f"Session {args.id} deleted.")
