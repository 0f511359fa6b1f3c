"""The ``session`` group: record a treatment session (redeemed against a package, or to be
invoiced), list and delete."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tui.cli import jsonout
from tui.cli.args import Commands, add_json, date_arg, id_arg
from tui.cli.lang import _, day, money
from tui.cli.output import Out

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.billing.sessions import Recorded
    from ledger.books import Books


def register(commands: Commands) -> None:
    session = commands.group("session", "treatment sessions")
    p = session.command("add", "record a session", cmd_add)
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
    p = session.command("list", "list sessions", cmd_list)
    p.add_argument("--client", type=id_arg("client"), metavar="ID")
    p.add_argument("--unbilled", action="store_true", help="only sessions still to invoice")
    p.add_argument("--from", dest="start", type=date_arg("from"), metavar="DATE")
    p.add_argument("--to", dest="end", type=date_arg("to"), metavar="DATE")
    add_json(p)
    p = session.command("edit", "correct or move a session that is on no invoice yet "
                        "(--therapist ID: give it to that therapist)", cmd_edit)
    p.add_argument("id", type=id_arg("session"))
    p.add_argument("--date", type=date_arg("date"), metavar="DATE")
    p.add_argument("--time", metavar="HH:MM")
    p.add_argument("--treatment", type=id_arg("treatment"), metavar="ID",
                   help="with its catalogue price, unless --price is given")
    p.add_argument("--package", metavar="ID|auto|none", help="default: what paid stays")
    p.add_argument("--price", metavar="AMOUNT")
    p.add_argument("--duration", metavar="MINUTES")
    p.add_argument("--status", metavar="given|no_show|late_cancel")
    p.add_argument("--fee", metavar="AMOUNT", help="fee for a no-show or late cancellation")
    p.add_argument("--notes", help="replaces the private note (\"\" removes it)")
    add_json(p)
    p = session.command("delete", "undo a session recorded by mistake", cmd_delete)
    p.add_argument("id", type=id_arg("session"))


def cmd_add(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.session_fields import read_session
    from ledger.billing.sessions import add_session

    typed = read_session({"time": args.time or None, "package": args.package,
                          "price": args.price, "duration": args.duration or None,
                          "status": args.status, "fee": args.fee,
                          "notes": args.notes or None})
    recorded = add_session(books, args.client, args.treatment, args.date, **typed)
    Out(args).result(jsonout.recorded(recorded), _said(recorded, changed=False))


def _said(recorded: Recorded, *, changed: bool) -> str:
    """The sentence for a session recorded or changed, with the package balance after it."""
    s = recorded.session
    template = (_("Session {id} changed: {client}, {treatment}, {date}") if changed
                else _("Session {id} recorded: {client}, {treatment}, {date}"))
    text = template.format(id=s.id, client=s.client_name, treatment=s.treatment_name,
                           date=day(s.date, "long"))
    if recorded.package:
        p = recorded.package
        text += "; " + _("package {id}: {used} of {total} used").format(
            id=p.id, used=p.sessions_used, total=p.sessions_total)
    elif s.billable_amount:
        text += "; " + _("to invoice: {amount}").format(amount=money(s.billable_amount))
    return text


def cmd_edit(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.session_fields import read_session
    from ledger.billing.sessions import edit_session

    typed = read_session({"time": args.time, "package": args.package, "price": args.price,
                          "duration": args.duration, "status": args.status, "fee": args.fee})
    if args.notes is not None:
        typed["notes"] = args.notes
    recorded = edit_session(books, args.id, on=args.date, treatment_id=args.treatment,
                            therapist_id=getattr(args, "therapist", None), **typed)
    Out(args).result(jsonout.recorded(recorded), _said(recorded, changed=True))


def cmd_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.sessions import list_sessions

    rows = list_sessions(books, args.client, unbilled=args.unbilled, start=args.start,
                         end=args.end)
    Out(args).table(
        [jsonout.session(s) for s in rows],
        [(str(s.id), day(s.date), s.client_name, s.treatment_name,
          s.status, _("package {id}").format(id=s.package_id) if s.package_id else
          (s.invoice_number or money(s.billable_amount))) for s in rows],
        (_("id"), _("date"), _("client"), _("treatment"), _("status"), _("paid by")),
    )


def cmd_delete(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.sessions import delete_session

    delete_session(books, args.id)
    Out(args).result({"id": args.id, "deleted": True},
                     _("Session {id} deleted.").format(id=args.id))
