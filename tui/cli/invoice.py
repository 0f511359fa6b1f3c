"""Sub-commands for invoices, payments and the year's figures."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ledger.base import parse
from ledger.base.dates import format_date
from ledger.base.money import format_money
from tui.cli import jsonout
from tui.cli.output import Out, add_json, date_arg, id_arg

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books


def register(commands: Any, common: argparse.ArgumentParser, group: Any, command: Any) -> None:
    invoice = group("invoice", "invoices and credit notes")
    p = command(invoice, "create", "draft invoice from a client's unbilled sessions",
                cmd_create)
    p.add_argument("--client", required=True, type=id_arg("client"), metavar="ID")
    p.add_argument("--sessions", metavar="ID,ID", help="only these sessions")
    p.add_argument("--issue", action="store_true", help="issue it straight away")
    add_json(p)
    p = command(invoice, "add-line", "add a line by hand to a draft", cmd_add_line)
    p.add_argument("id", metavar="DRAFT_ID")
    p.add_argument("--description", required=True)
    p.add_argument("--amount", required=True, metavar="AMOUNT", help="price including VAT")
    p.add_argument("--quantity", default="1")
    p.add_argument("--vat", default="21", metavar="RATE")
    p.add_argument("--date", type=date_arg("date"), metavar="DATE")
    add_json(p)
    p = command(invoice, "issue", "issue a draft: it gets its number and is final", cmd_issue)
    p.add_argument("id", metavar="DRAFT_ID")
    p.add_argument("--date", type=date_arg("date"), metavar="DATE")
    add_json(p)
    p = command(invoice, "delete", "delete a draft", cmd_delete)
    p.add_argument("id", metavar="DRAFT_ID")
    p = command(invoice, "show", "one invoice", cmd_show)
    p.add_argument("number")
    add_json(p)
    p = command(invoice, "list", "list invoices", cmd_list)
    p.add_argument("--year", type=int)
    p.add_argument("--status", choices=("draft", "open", "partly_paid", "paid", "overdue",
                                        "credited", "settled"))
    p.add_argument("--client", type=id_arg("client"), metavar="ID")
    add_json(p)
    p = command(invoice, "pay", "register a payment (negative: a refund)", cmd_pay)
    p.add_argument("number")
    p.add_argument("--amount", required=True, metavar="AMOUNT")
    p.add_argument("--date", type=date_arg("date"), metavar="DATE")
    p.add_argument("--method", default="bank", metavar="bank|pin|cash")
    p.add_argument("--reference", default="")
    add_json(p)
    p = command(invoice, "credit", "credit note for an invoice (all or some lines)", cmd_credit)
    p.add_argument("number")
    p.add_argument("--lines", metavar="N,N", help="line numbers to credit (default: all)")
    p.add_argument("--date", type=date_arg("date"), metavar="DATE")
    add_json(p)

    report = group("report", "the year's figures")
    p = command(report, "year", "turnover, VAT, payments and what is open", cmd_report_year)
    p.add_argument("year", type=int)
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
        out.warn(f"invoice {info.number} lacks {', '.join(missing)} "
                 "(required on a Dutch invoice; see `solebook practice set`)")


def _summary(info: Any) -> str:
    title = "Credit note" if info.kind == "credit" else ("Draft" if info.is_draft else "Invoice")
    ident = info.number or f"#{info.id}"
    lines = [f"{title} {ident} for {info.client_name}"
             + (f", {format_date(info.date)}, due {format_date(info.due_date)}"
                if info.date and info.due_date else "")]
    for line in info.lines:
        when = format_date(line.supply_date, style="short") if line.supply_date else ""
        lines.append(f"  {line.position:>2}. {when:10} {line.description}  "
                     f"{line.quantity} x {format_money(line.unit_price)} = "
                     f"{format_money(line.gross)}")
    lines.append(f"  net {format_money(info.net)}, VAT {format_money(info.vat)}, "
                 f"total {format_money(info.total)}; paid {format_money(info.paid)}, "
                 f"open {format_money(info.open)} ({info.status})")
    return "\n".join(lines)


def _id_list(text: str | None, field: str) -> list[int] | None:
    if text is None:
        return None
    return [parse.parse_int(part, field, minimum=1) for part in text.split(",") if part.strip()]


def cmd_create(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.issuing import issue_invoice
    from ledger.billing.sessions import create_invoice

    out = Out(args)
    info = create_invoice(books, args.client, _id_list(args.sessions, "sessions"))
    if args.issue:
        info = issue_invoice(books, info.id)
        _warn_missing(out, info)
    out.result(jsonout.invoice(info), _summary(info))


def cmd_add_line(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.drafts import add_free_line

    info = add_free_line(
        books, args.id, description=parse.parse_name(args.description, "description",
                                                     max_length=500),
        amount=parse.parse_amount(args.amount, "amount", allow_negative=True),
        quantity=parse.parse_int(args.quantity, "quantity", minimum=1, maximum=1000),
        vat_rate=parse.parse_vat_rate(args.vat, "VAT rate"), supply_date=args.date,
    )
    Out(args).result(jsonout.invoice(info), _summary(info))


def cmd_issue(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.issuing import issue_invoice

    out = Out(args)
    info = issue_invoice(books, args.id, args.date)
    _warn_missing(out, info)
    out.result(jsonout.invoice(info), _summary(info))


def cmd_delete(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.drafts import delete_draft

    delete_draft(books, args.id)
    Out(args).result({"id": args.id, "deleted": True}, f"Draft {args.id} deleted.")


def cmd_show(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.status import get_invoice

    info = get_invoice(books, args.number)
    Out(args).result(jsonout.invoice(info), _summary(info))


def cmd_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.status import list_invoices

    rows = list_invoices(books, year=args.year, status=args.status, client_id=args.client)
    Out(args).table(
        [jsonout.invoice(i) for i in rows],
        [(i.number or f"#{i.id}", format_date(i.date, style="short") if i.date else "",
          i.client_name, format_money(i.total), format_money(i.open), i.status) for i in rows],
        ("number", "date", "client", "total", "open", "status"),
    )


def cmd_pay(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.payments import parse_method, register_payment

    amount = parse.parse_amount(args.amount, "amount", allow_negative=True)
    info = register_payment(books, args.number, amount, on=args.date,
                            method=parse_method(args.method),
                            reference=parse.parse_text(args.reference, "reference",
                                                       max_length=200))
    Out(args).result(jsonout.invoice(info),
                     f"Payment of {format_money(amount)} registered on {info.number}; "
                     f"open {format_money(info.open)} ({info.status}).")


def cmd_credit(args: argparse.Namespace, books: Books) -> None:
    from ledger.billing.credits import credit_invoice

    info = credit_invoice(books, args.number, _id_list(args.lines, "lines"), args.date)
    Out(args).result(jsonout.invoice(info), _summary(info))


def cmd_report_year(args: argparse.Namespace, books: Books) -> None:
    from ledger.yearend.figures import year_end

    if not 1900 <= args.year <= 2100:
        raise parse.InputError("year", f"{args.year} is not a year between 1900 and 2100")
    figures = year_end(books, args.year)
    totals = figures.totals
    text = [f"{totals.year}: turnover {format_money(totals.turnover_net)} excl. VAT, "
            f"VAT {format_money(totals.vat)}, gross {format_money(totals.turnover_gross)}",
            f"received {format_money(totals.payments_received)}, open at year end "
            f"{format_money(totals.open_at_year_end)}"]
    for q in totals.by_quarter:
        text.append(f"  Q{q.period}: {format_money(q.net)} + VAT {format_money(q.vat)}")
    text += [f"costs {format_money(figures.costs_expense)} (excl. deductible VAT), "
             f"kilometres {format_money(figures.km_amount)}, result "
             f"{format_money(figures.result)}",
             f"prepaid sessions not yet given: {figures.sessions_left} worth "
             f"{format_money(figures.liability)}; {figures.sessions_given} sessions, "
             f"{figures.treatment_hours} hours of treatment"]
    if figures.kor.over_limit or (figures.kor.applies and figures.kor.near_limit):
        Out(args).warn(f"turnover is near or over the KOR limit of "
                       f"{format_money(figures.kor.limit)}")
    Out(args).result({**jsonout.year(totals), **jsonout.year_end(figures)}, "\n".join(text))
