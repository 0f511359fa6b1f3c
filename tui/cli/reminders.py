"""The ``reminder`` group: overdue invoices, a payment reminder or the fourteen-day letter
(archived as PDF, e-mailed when asked)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ledger.base.errors import InputError
from ledger.base.money import json_amount
from tui.cli import jsonout
from tui.cli.args import Commands, add_json
from tui.cli.lang import _, day, money, status_word
from tui.cli.output import Out

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books


def register(commands: Commands) -> None:
    reminder = commands.group("reminder", "overdue invoices and reminders")
    p = reminder.command("list", "overdue invoices, days overdue and reminders sent", cmd_list)
    add_json(p)
    p = reminder.command("send", "a payment reminder or the fourteen-day letter (PDF)",
                         cmd_send)
    p.add_argument("number")
    p.add_argument("--kind", choices=("first", "fourteen_day"), default="first",
                   help="first reminder, or the statutory fourteen-day letter")
    p.add_argument("--pdf", metavar="FILE", help="also write the letter to FILE")
    p.add_argument("--email", action="store_true", help="e-mail it to the client")
    p.add_argument("--to", metavar="ADDRESS", help="with --email: instead of the client's")
    add_json(p)


def _reminder_json(r: Any) -> dict[str, Any]:
    return {"id": r.id, "kind": r.kind, "date": r.date.isoformat(),
            "amount": json_amount(r.principal), "costs": json_amount(r.costs),
            "pay_by": r.pay_by.isoformat(), "channel": r.channel, "document": r.document_path}


def cmd_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.reminders import overdue_invoices

    rows = overdue_invoices(books)
    data = [{"number": o.invoice.number, "client_id": o.invoice.client_id,
             "client_name": o.invoice.client_name,
             "date": o.invoice.date.isoformat() if o.invoice.date else None,
             "due_date": o.invoice.due_date.isoformat() if o.invoice.due_date else None,
             "days_overdue": o.days_overdue, "total": json_amount(o.invoice.total),
             "open": json_amount(o.invoice.open), "next_step": o.next_step,
             "collection_costs": json_amount(o.costs_if_unpaid),
             "reminders": [_reminder_json(r) for r in o.reminders]} for o in rows]
    Out(args).table(data, [
        (o.invoice.number or "", o.invoice.client_name, day(o.invoice.due_date),
         str(o.days_overdue), money(o.invoice.open),
         ", ".join(f"{status_word(r.kind)} {day(r.date)}" for r in o.reminders) or "-",
         status_word(o.next_step)) for o in rows],
        (_("number"), _("client"), _("due"), _("days"), _("open"), _("reminders"),
         _("next step")))


def cmd_send(args: argparse.Namespace, books: Books) -> None:
    from invoices.steps.mail import send_reminder

    if args.to and not args.email:
        raise InputError("to", _("only with --email"))
    outcome = send_reminder(books, args.number, args.kind, email=args.email, to=args.to,
                            pdf=args.pdf)
    r = outcome.reminder
    fourteen_day = r.kind == "fourteen_day"
    what = (_("Fourteen-day letter for {number} recorded: {amount} open.") if fourteen_day
            else _("Payment reminder for {number} recorded: {amount} open."))
    text = [what.format(number=r.invoice_number, amount=money(r.principal))]
    if fourteen_day:
        text.append(_("Collection costs if still unpaid after the term: {costs} (the term has "
                      "surely passed after {date}).").format(costs=money(r.costs),
                                                            date=day(r.pay_by, "long")))
    else:
        text.append(_("New term: pay by {date}.").format(date=day(r.pay_by, "long")))
    if outcome.mail is not None:
        text.append(_("E-mailed to {to}.").format(to=outcome.mail.recipient))
    text.append(_("PDF: {file}").format(file=outcome.copy or outcome.archived))
    data = {"number": r.invoice_number, **_reminder_json(r), "file": str(outcome.archived),
            "copy": str(outcome.copy) if outcome.copy else None,
            "mail": jsonout.mail(outcome.mail) if outcome.mail else None}
    Out(args).result(data, "\n".join(text))
