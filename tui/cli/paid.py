"""Sub-commands for getting paid: e-mail, reminders, mail settings and templates.

Adds ``invoice send``, ``package send-statement``, ``client send-statement``,
``reminder list`` / ``reminder send``, ``mail log`` / ``mail template``, the SMTP options of
``practice set`` (shown by ``practice show``, never a password), and the ``bank`` commands
(:mod:`tui.cli.bank`). ReportLab is imported only when a document is actually made.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger.base.dates import format_date
from ledger.base.errors import InputError
from ledger.base.money import format_money
from tui.cli import bank as cli_bank
from tui.cli.jsonout import json_amount
from tui.cli.output import Out, add_json, id_arg

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books

MAIL_OPTIONS = {"--smtp-host": "smtp_host", "--smtp-port": "smtp_port",
                "--smtp-security": "smtp_security", "--smtp-user": "smtp_user",
                "--email-from": "email_from"}
MAIL_HELP = ("mail server for sending documents", "its port (default 587, 465 with ssl)",
             "none, starttls (default) or ssl", "user name for the mail server (the password "
             "comes from $SOLEBOOK_SMTP_PASSWORD or the system keyring)",
             "the sender address of the e-mails")


def _actions(commands: Any, name: str) -> Any:
    for action in commands.choices[name]._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise LookupError(name)


def register(commands: Any, common: argparse.ArgumentParser, group: Any, command: Any) -> None:
    invoice = _actions(commands, "invoice")
    p = command(invoice, "send", "e-mail an invoice or credit note (its archived PDF)",
                cmd_invoice_send)
    p.add_argument("number")
    p.add_argument("--to", metavar="ADDRESS", help="instead of the client's e-mail address")
    add_json(p)
    for name, kw in (("package", {}), ("client", {"year": True})):
        p = command(_actions(commands, name), "send-statement",
                    f"e-mail the claim statement of a {name}" + (" for a year" if kw else ""),
                    cmd_send_statement)
        p.add_argument("id", type=id_arg(name))
        if kw:
            p.add_argument("--year", required=True, type=int)
        p.add_argument("--to", metavar="ADDRESS")
        p.set_defaults(statement_of=name)
        add_json(p)

    reminder = group("reminder", "overdue invoices and reminders")
    p = command(reminder, "list", "overdue invoices, days overdue and reminders sent",
                cmd_reminder_list)
    add_json(p)
    p = command(reminder, "send", "a payment reminder or the fourteen-day letter (PDF)",
                cmd_reminder_send)
    p.add_argument("number")
    p.add_argument("--kind", choices=("first", "fourteen_day"), default="first",
                   help="first reminder, or the statutory fourteen-day letter")
    p.add_argument("--pdf", metavar="FILE", help="also write the letter to FILE")
    p.add_argument("--email", action="store_true", help="e-mail it to the client")
    p.add_argument("--to", metavar="ADDRESS", help="with --email: instead of the client's")
    add_json(p)

    mail = group("mail", "e-mail log and message templates")
    p = command(mail, "log", "what was e-mailed (or failed), newest first", cmd_mail_log)
    p.add_argument("number", nargs="?", help="only this invoice")
    add_json(p)
    p = command(mail, "template", "show or change a message template", cmd_mail_template)
    p.add_argument("kind", choices=("invoice", "credit", "statement", "reminder_first",
                                    "reminder_fourteen_day"))
    p.add_argument("--language", choices=("nl", "en"), default="nl")
    p.add_argument("--subject", metavar="TEXT")
    p.add_argument("--body", metavar="TEXT")
    p.add_argument("--body-file", metavar="FILE", help="read the body from a text file")
    p.add_argument("--reset", action="store_true", help="back to the default text")
    add_json(p)

    practice = _actions(commands, "practice")
    practice_set = practice.choices["set"]
    for (option, key), help_ in zip(MAIL_OPTIONS.items(), MAIL_HELP, strict=True):
        practice_set.add_argument(option, dest=key, metavar="VALUE", help=help_)
    practice_set.set_defaults(handler=_with_mail(practice_set.get_default("handler")))
    show = practice.choices["show"]
    show.set_defaults(handler=_show_with_mail)

    cli_bank.register(commands, common, group, command)


# ------------------------------------------------------------------------ practice hooks
def _with_mail(handler: Any) -> Any:
    """``practice set`` with SMTP options: checked with the profile, saved before it."""

    def run(args: argparse.Namespace, books: Books) -> None:
        from ledger.mail.smtp import update_mail_settings
        from ledger.practice.profile import PRACTICE_FIELDS
        from tui.cli.commands import PRACTICE_OPTIONS, _raw

        raw = {key: getattr(args, key) for key in MAIL_OPTIONS.values()
               if getattr(args, key, None) is not None}
        if not raw:
            handler(args, books)
            return
        from ledger.base.forms import parse_form
        from ledger.mail.smtp import MAIL_FIELDS

        parse_form(MAIL_FIELDS, raw)  # refuse bad mail settings before anything is saved
        profile = _raw(args, PRACTICE_OPTIONS.values())
        parse_form(PRACTICE_FIELDS, profile)  # and a bad profile value too
        settings = update_mail_settings(books, raw)
        if profile or getattr(args, "logo", None) is not None:
            handler(args, books)
            return
        Out(args).result(settings.public(), "Mail settings saved.\n" + _mail_text(settings))

    run.__doc__ = handler.__doc__
    return run


def _mail_text(settings: Any) -> str:
    return "\n".join(f"{k:18} {v if v is not None else ''}" for k, v in settings.public().items())


def _show_with_mail(args: argparse.Namespace, books: Books) -> None:
    from ledger.mail.smtp import get_mail_settings
    from ledger.practice.profile import get_practice
    from tui.cli import jsonout
    from tui.cli.commands import _practice_text

    info = get_practice(books)
    settings = get_mail_settings(books)
    Out(args).result({**jsonout.practice(info), **settings.public()},
                     _practice_text(info) + "\n" + _mail_text(settings))


# ------------------------------------------------------------------------------ e-mail
def mail_json(record: Any) -> dict[str, Any]:
    return {"id": record.id, "kind": record.kind, "to": record.recipient,
            "subject": record.subject, "status": record.status, "error": record.error,
            "attachment": record.attachment, "attachment_sha256": record.attachment_sha256,
            "at": record.at.isoformat(timespec="seconds"), "invoice_id": record.invoice_id,
            "client_id": record.client_id}


def cmd_invoice_send(args: argparse.Namespace, books: Books) -> None:
    from invoices.mailing import send_invoice

    record = send_invoice(books, args.number, args.to)
    Out(args).result({"number": args.number, **mail_json(record)},
                     f"{args.number} sent to {record.recipient} ({record.attachment}).")


def cmd_send_statement(args: argparse.Namespace, books: Books) -> None:
    from invoices.mailing import send_statement

    if args.statement_of == "package":
        record = send_statement(books, package_id=args.id, to=args.to)
    else:
        record = send_statement(books, client_id=args.id, year=args.year, to=args.to)
    Out(args).result(mail_json(record), f"Claim statement sent to {record.recipient} "
                                        f"({record.attachment}).")


def cmd_mail_log(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.status import get_invoice
    from ledger.mail.smtp import mail_log

    invoice_id = get_invoice(books, args.number).id if args.number else None
    rows = mail_log(books, invoice_id=invoice_id)
    Out(args).table([mail_json(r) for r in rows],
                    [(r.at.strftime("%d-%m-%Y %H:%M"), r.kind, r.recipient, r.status,
                      r.error or r.subject) for r in rows],
                    ("when", "kind", "to", "status", "subject / reason"))


def cmd_mail_template(args: argparse.Namespace, books: Books) -> None:
    from ledger.mail.templates import get_template, set_template

    body = args.body
    if args.body_file is not None:
        if body is not None:
            raise InputError("body", "give --body or --body-file, not both")
        try:
            body = Path(args.body_file).expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError("body-file", f"cannot read {args.body_file}: "
                                          f"{getattr(exc, 'strerror', None) or exc}") from None
    if args.subject is None and body is None and not args.reset:
        template = get_template(books, args.kind, args.language)
    else:
        template = set_template(books, args.kind, args.language, subject=args.subject,
                                body=body, reset=args.reset)
    data = {"kind": template.kind, "language": template.language, "subject": template.subject,
            "body": template.body, "edited": template.edited, "fields": list(template.fields)}
    Out(args).result(data, f"Subject: {template.subject}\n\n{template.body}\n"
                           f"(fields: {', '.join('{' + f + '}' for f in template.fields)})")


# ------------------------------------------------------------------------------ reminders
def _reminder_json(r: Any) -> dict[str, Any]:
    return {"id": r.id, "kind": r.kind, "date": r.date.isoformat(),
            "amount": json_amount(r.principal), "costs": json_amount(r.costs),
            "pay_by": r.pay_by.isoformat(), "channel": r.channel, "document": r.document_path}


def cmd_reminder_list(args: argparse.Namespace, books: Books) -> None:
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


def cmd_reminder_send(args: argparse.Namespace, books: Books) -> None:
    from invoices.mailing import send_reminder

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
            "mail": mail_json(outcome.mail) if outcome.mail else None}
    Out(args).result(data, "\n".join(text))
