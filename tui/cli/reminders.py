"""The ``reminder`` group: overdue invoices, a payment reminder or the fourteen-day letter
(archived as PDF, e-mailed when asked)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ledger.base.dates import format_date
from ledger.base.errors import InputError
from ledger.base.money import format_money, json_amount
from tui.cli import jsonout
from tui.cli.args import Commands, add_json
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
        (o.invoice.number or "", o.invoice.client_name,
         format_date(o.invoice.due_date, style="short") if o.invoice.due_date else "",
         str(o.days_overdue), format_money(o.invoice.open),
         ", ".join(f"{r.kind} {format_date(r.date, style='short')}" for r in o.reminders)
         or "-", o.next_step.replace("_", " ")) for o in rows],
        ("number", "client", "due", "days", "open", "reminders", "next"))


def cmd_send(args: argparse.Namespace, books: Books) -> None:
    from invoices.steps.mail import send_reminder

    if args.to and not args.email:
        raise InputError("to", "only with --email")
    outcome = send_reminder(books, args.number, args.kind, email=args.email, to=args.to,
                            pdf=args.pdf)
    r = outcome.reminder
    what = "Fourteen-day letter" if r.kind == "fourteen_day" else "Payment reminder"
    text = [f"{what} for {r.invoice_number} recorded: {format_money(r.principal)} open."]
    if r.kind == "fourteen_day":
        text.append(f"Collection costs if still unpaid after the term: {format_money(r.costs)} "
                    f"(the term has surely passed after {format_date(r.pay_by)}).")
    else:
        text.append(f"New term: pay by {format_date(r.pay_by)}.")
    if outcome.mail is not None:
        text.append(f"E-mailed to {outcome.mail.recipient}.")
    text.append(f"PDF: {outcome.copy or outcome.archived}")
    data = {"number": r.invoice_number, **_reminder_json(r), "file": str(outcome.archived),
            "copy": str(outcome.copy) if outcome.copy else None,
            "mail": jsonout.mail(outcome.mail) if outcome.mail else None}
    Out(args).result(data, "\n".join(text))
