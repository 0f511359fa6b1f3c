"""The ``session`` group: record a treatment session (redeemed against a package, or to be
invoiced), list and delete."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ledger.base.codes import SessionStatus
from ledger.base.errors import SolebookError
from ledger.base.money import json_amount
from tui.cli import jsonout
from tui.cli.args import Commands, add_json, date_arg, id_arg
from tui.cli.lang import _, day, money, refusal, status_word
from tui.cli.output import Out, warn

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
                        "(--therapist ID after the id: give it to that therapist)", cmd_edit,
                        owner=True)
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
    p = session.command("plan", "book an appointment ahead", cmd_plan)
    p.add_argument("--client", required=True, type=id_arg("client"), metavar="ID")
    p.add_argument("--treatment", required=True, type=id_arg("treatment"), metavar="ID")
    p.add_argument("--date", required=True, type=date_arg("date"), metavar="DATE")
    p.add_argument("--time", required=True, metavar="HH:MM")
    p.add_argument("--duration", metavar="MINUTES")
    p.add_argument("--package", default="auto", metavar="ID|auto|none",
                   help="the series it holds a place on (default: the client's one series)")
    add_json(p)
    p = session.command("given", "a planned session took place (redeems its series)",
                        cmd_given)
    p.add_argument("id", type=id_arg("session"))
    p.add_argument("--package", metavar="ID|auto|none", help="default: the series it held")
    add_json(p)
    p = session.command("no-show", "the client did not come (the policy's fee)", cmd_no_show)
    p.add_argument("id", type=id_arg("session"))
    add_json(p)
    p = session.command("cancel", "cancel a planned session (late: the policy's fee)",
                        cmd_cancel)
    p.add_argument("id", type=id_arg("session"))
    p.add_argument("--late", action="store_true",
                   help="a late cancellation, whatever the clock says")
    add_json(p)
    p = session.command("move", "move a planned session", cmd_move)
    p.add_argument("id", type=id_arg("session"))
    p.add_argument("--date", required=True, type=date_arg("date"), metavar="DATE")
    p.add_argument("--time", required=True, metavar="HH:MM")
    add_json(p)


def cmd_add(args: argparse.Namespace, books: Books) -> None:
    from ledger.agenda.calendar import record_session
    from ledger.billing.session_fields import read_session

    typed = read_session({"time": args.time or None, "package": args.package,
                          "price": args.price, "duration": args.duration or None,
                          "status": args.status, "fee": args.fee,
                          "notes": args.notes or None})
    recorded = record_session(books, args.client, args.treatment, args.date, **typed)
    Out(args).result(jsonout.recorded(recorded), _said(recorded, changed=False))
    calendar_warning(recorded.calendar_error)


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
    from ledger.agenda.calendar import change_session
    from ledger.billing.session_fields import read_session

    typed = read_session({"time": args.time, "package": args.package, "price": args.price,
                          "duration": args.duration, "status": args.status, "fee": args.fee})
    if args.notes is not None:
        typed["notes"] = args.notes
    recorded = change_session(books, args.id, on=args.date, treatment_id=args.treatment,
                              therapist_id=getattr(args, "owner", None), **typed)
    Out(args).result(jsonout.recorded(recorded), _said(recorded, changed=True))
    calendar_warning(recorded.calendar_error)


def cmd_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.sessions import list_sessions

    rows = list_sessions(books, args.client, unbilled=args.unbilled, start=args.start,
                         end=args.end)
    Out(args).table(
        [jsonout.session(s) for s in rows],
        [(str(s.id), day(s.date), s.client_name, s.treatment_name,
          status_word(s.status), _("package {id}").format(id=s.package_id) if s.package_id else
          (s.invoice_number or money(s.billable_amount))) for s in rows],
        (_("id"), _("date"), _("client"), _("treatment"), _("status"), _("paid by")),
    )


def cmd_delete(args: argparse.Namespace, books: Books) -> None:
    from ledger.agenda.calendar import remove_session

    problem = remove_session(books, args.id)
    Out(args).result({"id": args.id, "deleted": True},
                     _("Session {id} deleted.").format(id=args.id))
    calendar_warning(problem)


def calendar_warning(error: SolebookError | None) -> None:
    """The calendar file could not be written after a change: the change stands."""
    if error is not None:
        warn(_("the change is saved, but the calendar file was not written: {reason}").format(
            reason=refusal(error)))


def _planned_said(recorded: Recorded, template: str) -> str:
    s = recorded.session
    text = template.format(id=s.id, client=s.client_name, treatment=s.treatment_name,
                           date=day(s.date, "long"),
                           time=s.start_time.strftime("%H:%M") if s.start_time else "")
    if recorded.package:
        p = recorded.package
        text += "; " + _("package {id}: {used} used, {planned} planned, {free} free").format(
            id=p.id, used=p.sessions_used, planned=p.sessions_planned, free=p.sessions_free)
    return text


def _after_booking(args: argparse.Namespace, books: Books, out: Out, session_id: int) -> None:
    """The confirmation e-mail, when the practice sends them (a failure is a warning: the
    appointment is saved)."""
    from ledger.agenda.reminders import confirm_if_wanted
    from ledger.base.errors import SolebookError

    try:
        sent = confirm_if_wanted(books, session_id)
    except SolebookError as exc:
        out.warn(_("The appointment is saved; the confirmation was not sent: {reason}").format(
            reason=exc.message))
        return
    if sent is not None:
        out.warn(_("Confirmation sent to {to}.").format(to=sent.recipient))


def cmd_plan(args: argparse.Namespace, books: Books) -> None:
    from ledger.agenda.planning import plan_session
    from ledger.billing.session_fields import read_session

    typed = read_session({"time": args.time, "package": args.package,
                          "duration": args.duration or None})
    recorded = plan_session(books, args.client, args.treatment, args.date,
                            typed["start_time"], duration_min=typed.get("duration_min"),
                            package=typed["package"])
    out = Out(args)
    out.result(jsonout.recorded(recorded), _planned_said(
        recorded, _("Session {id} planned: {client}, {treatment}, {date} {time}")))
    calendar_warning(recorded.calendar_error)
    _after_booking(args, books, out, recorded.session.id)


def cmd_move(args: argparse.Namespace, books: Books) -> None:
    from ledger.agenda.planning import move_session
    from ledger.billing.session_fields import read_session

    typed = read_session({"time": args.time})
    recorded = move_session(books, args.id, args.date, typed["start_time"])
    out = Out(args)
    out.result(jsonout.recorded(recorded), _planned_said(
        recorded, _("Session {id} moved: {client}, {treatment}, {date} {time}")))
    calendar_warning(recorded.calendar_error)
    _after_booking(args, books, out, recorded.session.id)


def cmd_given(args: argparse.Namespace, books: Books) -> None:
    from ledger.agenda.planning import mark_given
    from ledger.billing.session_fields import read_session

    package = read_session({"package": args.package})["package"] if args.package else None
    recorded = mark_given(books, args.id, package)
    Out(args).result(jsonout.recorded(recorded), _said(recorded, changed=True))
    calendar_warning(recorded.calendar_error)


def _cancelled(args: argparse.Namespace, cancelled: Any) -> None:
    s = cancelled.session
    data = {**jsonout.session(s), "late": cancelled.late,
            "fee": json_amount(cancelled.fee) if cancelled.late else None}
    if s.status == SessionStatus.NO_SHOW:
        text = _("Session {id}: {client} did not come; fee {fee}.")
    elif cancelled.late:
        text = _("Session {id} of {client} cancelled late; fee {fee}.")
    else:
        text = _("Session {id} of {client} cancelled in time; no fee.")
    Out(args).result(data, text.format(id=s.id, client=s.client_name,
                                       fee=money(cancelled.fee)))
    calendar_warning(cancelled.calendar_error)


def cmd_no_show(args: argparse.Namespace, books: Books) -> None:
    from ledger.agenda.planning import mark_no_show

    _cancelled(args, mark_no_show(books, args.id))


def cmd_cancel(args: argparse.Namespace, books: Books) -> None:
    from ledger.agenda.planning import cancel_session

    _cancelled(args, cancel_session(books, args.id, True if args.late else None))
