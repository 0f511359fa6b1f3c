"""The ``invoice`` group: drafts, issuing (and archiving the PDF), payments, credit notes,
the PDFs and their archive check, sending by e-mail. ReportLab is imported only when a
document is actually made."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from ledger.base import parse
from ledger.base.codes import InvoiceStatus
from ledger.base.errors import translate
from tui.cli import jsonout
from tui.cli.args import Commands, add_json, date_arg, id_arg
from tui.cli.lang import _, day, language, money, status_word
from tui.cli.output import Out
from tui.cli.pdfs import cmd_pdf, cmd_verify, quick_pdf

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books


def register(commands: Commands) -> None:
    invoice = commands.group("invoice", "invoices and credit notes")
    p = invoice.command("create", "draft invoice from a client's unbilled sessions", cmd_create)
    p.add_argument("--client", required=True, type=id_arg("client"), metavar="ID")
    p.add_argument("--sessions", metavar="ID,ID", help="only these sessions")
    p.add_argument("--issue", action="store_true", help="issue it straight away")
    add_json(p)
    p = invoice.command("add-line", "add a line by hand to a draft", cmd_add_line)
    p.add_argument("id", metavar="DRAFT_ID")
    p.add_argument("--description", required=True)
    p.add_argument("--amount", required=True, metavar="AMOUNT", help="price including VAT")
    p.add_argument("--quantity", default="1")
    p.add_argument("--vat", default="21", metavar="RATE")
    p.add_argument("--date", type=date_arg("date"), metavar="DATE")
    add_json(p)
    p = invoice.command("remove-line", "remove a line from a draft", cmd_remove_line)
    p.add_argument("id", metavar="DRAFT_ID")
    p.add_argument("line", metavar="LINE", help="the line's number on the draft")
    add_json(p)
    p = invoice.command("issue", "issue a draft: it gets its number and is final", cmd_issue)
    p.add_argument("id", metavar="DRAFT_ID")
    p.add_argument("--date", type=date_arg("date"), metavar="DATE")
    add_json(p)
    p = invoice.command("delete", "delete a draft", cmd_delete)
    p.add_argument("id", metavar="DRAFT_ID")
    p = invoice.command("show", "one invoice", cmd_show)
    p.add_argument("number")
    add_json(p)
    p = invoice.command("list", "list invoices", cmd_list)
    p.add_argument("--year", type=int)
    p.add_argument("--status", choices=tuple(InvoiceStatus))
    p.add_argument("--client", type=id_arg("client"), metavar="ID")
    add_json(p)
    p = invoice.command("pay", "register a payment (negative: a refund)", cmd_pay)
    p.add_argument("number")
    p.add_argument("--amount", required=True, metavar="AMOUNT")
    p.add_argument("--date", type=date_arg("date"), metavar="DATE")
    p.add_argument("--method", default="bank", metavar="bank|pin|cash")
    p.add_argument("--reference", default="")
    add_json(p)
    p = invoice.command("credit", "credit note for an invoice (all or some lines)", cmd_credit)
    p.add_argument("number")
    p.add_argument("--lines", metavar="N,N", help="line numbers to credit (default: all)")
    p.add_argument("--date", type=date_arg("date"), metavar="DATE")
    add_json(p)
    p = invoice.command("pdf", "the PDF of an invoice (archived when issued), or of a year",
                        cmd_pdf)
    p.add_argument("number", nargs="?", help="invoice number (or #ID for a draft's preview)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the PDF to FILE")
    p.add_argument("--year", type=int, help="every invoice and credit note of this year")
    p.add_argument("--out", metavar="DIR", help="with --year: the folder to write them to")
    p.set_defaults(parser=p, quick=quick_pdf)
    add_json(p)
    p = invoice.command("verify", "re-render every archived PDF and compare it", cmd_verify)
    add_json(p)
    p = invoice.command("send", "e-mail an invoice or credit note (its archived PDF)", cmd_send)
    p.add_argument("number")
    p.add_argument("--to", metavar="ADDRESS", help="instead of the client's e-mail address")
    add_json(p)


def _warn_missing(out: Out, info: Any) -> None:
    from ledger.base.views import PracticeInfo
    from ledger.billing.issuing import missing_invoice_details

    if info.number is None or not info.practice:
        return
    fields = PracticeInfo.__dataclass_fields__
    practice = PracticeInfo(**{k: v for k, v in info.practice.items() if k in fields})
    missing = missing_invoice_details(practice, info.client)
    if missing:
        out.warn(_("invoice {number} lacks {missing} (required on a Dutch invoice; see "
                   "`solebook practice set`)").format(
            number=info.number, missing=", ".join(translate(m, language()) for m in missing)))


def _summary(info: Any) -> str:
    title = (_("Credit note {ident} for {client}") if info.kind == "credit" else
             _("Draft {ident} for {client}") if info.is_draft else
             _("Invoice {ident} for {client}"))
    lines = [title.format(ident=info.number or f"#{info.id}", client=info.client_name)
             + (", " + _("{date}, due {due}").format(date=day(info.date, "long"),
                                                     due=day(info.due_date, "long"))
                if info.date and info.due_date else "")]
    for line in info.lines:
        lines.append(f"  {line.position:>2}. {day(line.supply_date):10} {line.description}  "
                     f"{line.quantity} x {money(line.unit_price)} = {money(line.gross)}")
    lines.append("  " + _("net {net}, VAT {vat}, total {total}; paid {paid}, open {open} "
                          "({status})").format(
        net=money(info.net), vat=money(info.vat), total=money(info.total),
        paid=money(info.paid), open=money(info.open), status=status_word(info.status)))
    return "\n".join(lines)


def _id_list(text: str | None, field: str) -> list[int] | None:
    if text is None:
        return None
    return [parse.parse_int(part, field, minimum=1) for part in text.split(",") if part.strip()]


def cmd_create(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.sessions import create_invoice

    info = create_invoice(books, args.client, _id_list(args.sessions, "sessions"))
    if args.issue:
        _issue(args, books, info.id, None)
    else:
        Out(args).result(jsonout.invoice(info), _summary(info))


def cmd_issue(args: argparse.Namespace, books: Books) -> None:
    _issue(args, books, args.id, args.date)


def _issue(args: argparse.Namespace, books: Books, draft: str | int, on: date | None) -> None:
    """Issue and archive; say what a Dutch invoice lacks, and when the PDF is not archived."""
    from invoices.steps.issuing import issue_and_archive

    out = Out(args)
    issued = issue_and_archive(books, draft, on, backlog=True)
    _warn_missing(out, issued.info)
    out.result(jsonout.invoice(issued.info), _summary(issued.info))
    out.archived(issued.archived)


def cmd_add_line(args: argparse.Namespace, books: Books) -> None:
    from ledger.base.forms import parse_form
    from ledger.billing.drafts import LINE_FIELDS, add_free_line

    values = parse_form(LINE_FIELDS, {"description": args.description, "amount": args.amount,
                                      "quantity": args.quantity, "vat_rate": args.vat})
    info = add_free_line(books, args.id, description=values["description"],
                         amount=values["amount"], quantity=values["quantity"],
                         vat_rate=values["vat_rate"], supply_date=args.date)
    Out(args).result(jsonout.invoice(info), _summary(info))


def cmd_remove_line(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.drafts import remove_line

    info = remove_line(books, args.id, parse.parse_int(args.line, "line", minimum=1))
    Out(args).result(jsonout.invoice(info), _summary(info))


def cmd_delete(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.drafts import delete_draft

    delete_draft(books, args.id)
    Out(args).result({"id": args.id, "deleted": True}, _("Draft {id} deleted.").format(id=args.id))


def cmd_show(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.status import get_invoice

    info = get_invoice(books, args.number)
    Out(args).result(jsonout.invoice(info), _summary(info))


def cmd_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.status import list_invoices

    rows = list_invoices(books, year=args.year, status=args.status, client_id=args.client)
    Out(args).table(
        [jsonout.invoice(i) for i in rows],
        [(i.number or f"#{i.id}", day(i.date), i.client_name, money(i.total), money(i.open),
          status_word(i.status)) for i in rows],
        (_("number"), _("date"), _("client"), _("total"), _("open"), _("status")),
    )


def cmd_pay(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.payments import parse_method, register_payment

    amount = parse.parse_amount(args.amount, "amount", allow_negative=True)
    info = register_payment(books, args.number, amount, on=args.date,
                            method=parse_method(args.method),
                            reference=parse.parse_text(args.reference, "reference",
                                                       max_length=200))
    Out(args).result(jsonout.invoice(info),
                     _("Payment of {amount} registered on {number}; open {open} "
                       "({status}).").format(amount=money(amount), number=info.number,
                                             open=money(info.open),
                                             status=status_word(info.status)))


def cmd_credit(args: argparse.Namespace, books: Books) -> None:
    from invoices.steps.issuing import credit_and_archive

    out = Out(args)
    credited = credit_and_archive(books, args.number, _id_list(args.lines, "lines"), args.date,
                                  backlog=True)
    out.result(jsonout.invoice(credited.info), _summary(credited.info))
    out.archived(credited.archived)


def cmd_send(args: argparse.Namespace, books: Books) -> None:
    from invoices.steps.mail import send_invoice

    record = send_invoice(books, args.number, args.to)
    Out(args).result({"number": args.number, **jsonout.mail(record)},
                     _("{number} sent to {to} ({file}).").format(
                         number=args.number, to=record.recipient, file=record.attachment))
