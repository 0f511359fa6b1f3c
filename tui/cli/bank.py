"""Sub-commands for bank statements: import, review, confirm, reject.

``bank import FILE`` only proposes; with ``--yes`` it books the certain matches (invoice
number in the description and the amount fits) and leaves the rest for review, which
``bank list --review`` shows and ``bank confirm`` / ``bank reject`` (or the TUI) settle.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from tui.cli.args import Commands, add_json, count_arg, id_arg
from tui.cli.jsonout import json_amount
from tui.cli.lang import _, day, language, money, n_, status_word
from tui.cli.output import Out

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books

STATUSES = ("booked", "proposed", "unmatched", "debit", "ignored", "other")


def register(commands: Commands) -> None:
    bank = commands.group("bank", "bank statements: import and match payments")
    p = bank.command("import", "read a CAMT.053 or MT940 file or a bank's CSV export",
                     cmd_import)
    p.add_argument("file")
    p.add_argument("--yes", action="store_true",
                   help="book the certain matches (invoice number and amount fit)")
    add_json(p)
    p = bank.command("list", "imported statement lines", cmd_list)
    p.add_argument("--review", action="store_true", help="only lines awaiting review")
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--limit", type=count_arg("limit", 1), default=500, metavar="N",
                   help="at most N lines (default 500)")
    p.add_argument("--offset", type=count_arg("offset", 0), default=0, metavar="N",
                   help="skip the newest N")
    add_json(p)
    p = bank.command("confirm", "book a line as payment(s): as proposed, or as given",
                cmd_confirm)
    p.add_argument("line", type=id_arg("line"))
    p.add_argument("--invoice", action="append", metavar="NUMBER[=AMOUNT]",
                   help="the invoice it pays (repeat for more; without an amount: what is "
                        "open, at most the rest of the line)")
    add_json(p)
    p = bank.command("reject", "turn down what was proposed for a line", cmd_reject)
    p.add_argument("line", type=id_arg("line"))
    p.add_argument("--ignore", action="store_true", help="not a payment of an invoice")
    add_json(p)


def line_json(v: Any) -> dict[str, Any]:
    return {
        "id": v.id, "date": v.booking_date.isoformat(), "amount": json_amount(v.amount),
        "name": v.counterparty_name, "iban": v.counterparty_iban,
        "description": v.description, "reference": v.bank_ref, "status": v.status,
        "note": v.note, "invoice_numbers": list(v.invoice_numbers), "account": v.account,
        "matches": [{"invoice_number": m.invoice_number, "amount": json_amount(m.amount),
                     "rule": m.rule, "status": m.status, "payment_id": m.payment_id}
                    for m in v.matches],
    }


def _rows(lines: Any) -> list[tuple[str, ...]]:
    """The table's rows; with an account column when the lines are of more than one
    account (or of an account that is not the practice's)."""
    accounts = _with_accounts(lines)
    return [(str(v.id), day(v.booking_date), money(v.amount), v.counterparty_name[:28],
             ", ".join(v.invoice_numbers) or "-", status_word(v.status),
             v.note_in(language())[:60],
             *((v.account,) if accounts else ())) for v in lines]


def _with_accounts(lines: Any) -> bool:
    return len({v.account for v in lines}) > 1 or any(v.status == "other" for v in lines)


def _header(lines: Any = ()) -> tuple[str, ...]:
    return (_("line"), _("date"), _("amount"), _("payer"), _("invoices"), _("status"),
            _("note"), *((_("account"),) if _with_accounts(lines) else ()))


def cmd_import(args: argparse.Namespace, books: Books) -> None:
    from ledger.bank.importing import import_statement

    result = import_statement(books, args.file, book_certain=args.yes)
    counts = {s: result.count(s) for s in ("booked", "proposed", "unmatched", "debit",
                                           "duplicate", "other")}
    out = Out(args)
    if out.json:
        out.result({"format": result.format, "import_id": result.import_id,
                    "counts": counts, "lines": [line_json(v) for v in result.lines]}, "")
        return
    out.table([], _rows(result.lines), _header(result.lines))
    new = len(result.lines) - counts["duplicate"]
    summary = (result.format + ": " + n_("{n} new line", "{n} new lines", new).format(n=new)
               + ": " + _("{booked} booked, {proposed} proposed, {unmatched} unmatched, "
                          "{debit} paid out; {duplicate} imported before.").format(**counts))
    if counts["other"]:
        summary += " " + n_("{n} line is of another account than the practice's (shown as "
                            "other, not matched; add the account with `solebook practice set "
                            "--bank-accounts`).", "{n} lines are of other accounts than the "
                            "practice's (shown as other, not matched; add the account with "
                            "`solebook practice set --bank-accounts`).",
                            counts["other"]).format(n=counts["other"])
    if counts["proposed"] or counts["unmatched"]:
        summary += " " + (_("Review with `solebook bank list --review`, then `bank confirm "
                            "LINE` or `bank reject LINE`.") if args.yes else
                          _("Review with `solebook bank list --review`, then `bank confirm "
                            "LINE` or `bank reject LINE`, or import with --yes."))
    print(summary)


def cmd_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.bank.booking import count_lines, list_lines

    status = "review" if args.review else args.status
    lines = list_lines(books, status=status, limit=args.limit, offset=args.offset)
    out = Out(args)
    out.table([line_json(v) for v in lines], _rows(lines), _header(lines))
    if out.json:
        return
    total = count_lines(books, status=status)
    if lines:
        shown = _("Lines {first}-{last} of {total}.").format(
            first=args.offset + 1, last=args.offset + len(lines), total=total)
        if args.offset + len(lines) < total:
            shown += " " + _("Next page: --offset {offset}.").format(
                offset=args.offset + len(lines))
        print(shown)
    elif total:
        print(_("{total} lines in all; none from offset {offset}.").format(
            total=total, offset=args.offset))


def _allocations(values: list[str] | None) -> list[tuple[str, int | None]] | None:
    from ledger.bank.booking import parse_allocations

    if not values:
        return None
    return [item for value in values for item in parse_allocations(value, "invoice")]


def cmd_confirm(args: argparse.Namespace, books: Books) -> None:
    from ledger.bank.booking import confirm_line

    view = confirm_line(books, args.line, _allocations(args.invoice))
    booked = ", ".join(_("{amount} on {number}").format(amount=money(m.amount),
                                                         number=m.invoice_number)
                       for m in view.matches if m.status == "confirmed")
    Out(args).result(line_json(view), _("Line {id} booked: {booked}.").format(
        id=view.id, booked=booked) + (f" {view.note_in(language())}." if view.note else ""))


def cmd_reject(args: argparse.Namespace, books: Books) -> None:
    from ledger.bank.booking import reject_line

    view = reject_line(books, args.line, ignore=args.ignore)
    Out(args).result(line_json(view), _("Line {id} is {status}.").format(
        id=view.id, status=status_word(view.status)))
