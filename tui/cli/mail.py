"""The ``mail`` group: what was e-mailed (or failed), and the editable message templates."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ledger.base.errors import InputError
from tui.cli import jsonout
from tui.cli.args import Commands, add_json
from tui.cli.lang import _, day, status_word
from tui.cli.output import Out

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books


def register(commands: Commands) -> None:
    mail = commands.group("mail", "e-mail log and message templates")
    p = mail.command("log", "what was e-mailed (or failed), newest first", cmd_log)
    p.add_argument("number", nargs="?", help="only this invoice")
    add_json(p)
    p = mail.command("template", "show or change a message template", cmd_template)
    p.add_argument("kind", choices=("invoice", "credit", "statement", "reminder_first",
                                    "reminder_fourteen_day", "appointment_confirmation",
                                    "appointment_reminder"))
    p.add_argument("--language", choices=("nl", "en"), default="nl")
    p.add_argument("--subject", metavar="TEXT")
    p.add_argument("--body", metavar="TEXT")
    p.add_argument("--body-file", metavar="FILE", help="read the body from a text file")
    p.add_argument("--reset", action="store_true", help="back to the default text")
    add_json(p)


def cmd_log(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.status import get_invoice
    from ledger.mail.smtp import mail_log

    invoice_id = get_invoice(books, args.number).id if args.number else None
    rows = mail_log(books, invoice_id=invoice_id)
    Out(args).table([jsonout.mail(r) for r in rows],
                    [(f"{day(r.at.date())} {r.at:%H:%M}", status_word(r.kind), r.recipient,
                      status_word(r.status), r.error or r.subject) for r in rows],
                    (_("when"), _("kind"), _("to"), _("status"), _("subject / reason")))


def cmd_template(args: argparse.Namespace, books: Books) -> None:
    from ledger.mail.templates import get_template, set_template

    body = args.body
    if args.body_file is not None:
        if body is not None:
            raise InputError("body", _("give --body or --body-file, not both"))
        try:
            body = Path(args.body_file).expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError("body-file", _("cannot read {file}: {reason}"),
                             file=args.body_file,
                             reason=getattr(exc, "strerror", None) or exc) from None
    if args.subject is None and body is None and not args.reset:
        template = get_template(books, args.kind, args.language)
    else:
        template = set_template(books, args.kind, args.language, subject=args.subject,
                                body=body, reset=args.reset)
    data = {"kind": template.kind, "language": template.language, "subject": template.subject,
            "body": template.body, "edited": template.edited, "fields": list(template.fields)}
    fields = ", ".join("{" + f + "}" for f in template.fields)
    Out(args).result(data, _("Subject: {subject}").format(subject=template.subject)
                     + f"\n\n{template.body}\n" + _("(fields: {fields})").format(fields=fields))
