"""Sub-commands for documents: invoice PDFs, the archive check, claim statements, the logo.

Adds ``invoice pdf`` / ``invoice verify``, ``package statement``, ``client statement`` and
``practice set --logo``, and archives the PDF of whatever the commands that issue (invoice
issue, invoice create --issue, invoice credit, package sell, package cancel) just issued.
ReportLab is imported only when a document is actually made.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger.base.errors import InputError, RuleViolation, SolebookError
from tui.cli import jsonout
from tui.cli.output import Out, add_json, id_arg

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books

#: (group, action) of the commands after which new invoices are archived as PDF.
ISSUING = (("invoice", "issue"), ("invoice", "create"), ("invoice", "credit"),
           ("package", "sell"), ("package", "cancel"))


def _actions(commands: Any, name: str) -> Any:
    """The sub-command table of an existing group such as ``invoice``."""
    parser = commands.choices[name]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise LookupError(name)


def register(commands: Any, common: argparse.ArgumentParser, group: Any, command: Any) -> None:
    invoice = _actions(commands, "invoice")
    p = command(invoice, "pdf", "the PDF of an invoice (archived when issued), or of a year",
                cmd_invoice_pdf)
    p.add_argument("number", nargs="?", help="invoice number (or #ID for a draft's preview)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the PDF to FILE")
    p.add_argument("--year", type=int, help="every invoice and credit note of this year")
    p.add_argument("--out", metavar="DIR", help="with --year: the folder to write them to")
    p.set_defaults(parser=p, quick=quick_invoice_pdf)
    add_json(p)
    p = command(invoice, "verify", "re-render every archived PDF and compare it",
                cmd_invoice_verify)
    add_json(p)

    package = _actions(commands, "package")
    p = command(package, "statement", "insurance claim statement for a package (PDF)",
                cmd_package_statement)
    p.add_argument("id", type=id_arg("package"))
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    add_json(p)

    client = _actions(commands, "client")
    p = command(client, "statement", "a client's claim statement for a year (PDF)",
                cmd_client_statement)
    p.add_argument("id", type=id_arg("client"))
    p.add_argument("--year", required=True, type=int)
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    add_json(p)

    practice_set = _actions(commands, "practice").choices["set"]
    practice_set.add_argument("--logo", metavar="PATH",
                              help='a PNG or JPEG for the documents\' header ("" removes it)')
    practice_set.set_defaults(handler=_with_logo(practice_set.get_default("handler")))

    for group_name, action in ISSUING:
        parser = _actions(commands, group_name).choices[action]
        parser.set_defaults(handler=_archiving(parser.get_default("handler")))


# ------------------------------------------------------------------------------ hooks
def _archiving(handler: Any) -> Any:
    """Run ``handler``, then archive the PDF of anything it issued."""

    def run(args: argparse.Namespace, books: Books) -> None:
        handler(args, books)
        archive_after(books)

    run.__doc__ = handler.__doc__
    return run


def archive_after(books: Books) -> None:
    """Archive what is pending; a failure is a warning (the invoice itself is issued)."""
    from invoices.archive import archive_pending

    try:
        archive_pending(books)
    except SolebookError as exc:
        print(f"solebook: warning: the PDF was not archived ({exc.message}); it is archived "
              "by the next command that issues, or by `solebook invoice pdf NUMBER`",
              file=sys.stderr)


def _with_logo(handler: Any) -> Any:
    def run(args: argparse.Namespace, books: Books) -> None:
        logo = getattr(args, "logo", None)
        if logo is None:
            handler(args, books)
            return
        from invoices.logo import set_logo

        stored = set_logo(books, logo)
        from tui.cli.commands import PRACTICE_OPTIONS

        if any(getattr(args, key, None) is not None for key in PRACTICE_OPTIONS.values()):
            # the rest of the profile as usual
            handler(args, books)
        else:
            Out(args).result({"logo": stored or None},
                             f"Logo saved as {stored}." if stored else "Logo removed.")

    return run


# ------------------------------------------------------------------------------ commands
def _write(path: str, data: bytes) -> Path:
    from ledger.store.files import write_atomic

    return write_atomic(Path(path).expanduser(), data, 0o600, field="output")


def cmd_invoice_pdf(args: argparse.Namespace, books: Books) -> None:
    out = Out(args)
    if args.year is not None or args.out is not None:
        if args.number is not None or args.output is not None or args.year is None \
                or args.out is None:
            args.parser.error("use either NUMBER [-o FILE] or --year YEAR --out DIR")
        from invoices.archive import export_year

        paths = export_year(books, args.year, Path(args.out), progress=out.progress)
        out.result({"year": args.year, "folder": str(Path(args.out).expanduser()),
                    "files": [p.name for p in paths]},
                   f"{len(paths)} PDFs of {args.year} written to {args.out}.")
        return
    if args.number is None:
        args.parser.error("give an invoice NUMBER, or --year YEAR --out DIR")
    from invoices.archive import ensure_pdf, render_document
    from ledger.billing.status import get_invoice

    info = get_invoice(books, args.number)
    if info.is_draft:
        if args.output is None:
            raise RuleViolation(f"invoice: draft #{info.id} is not issued; give -o FILE for "
                                "a preview")
        path = _write(args.output, render_document(books, info.id))
        out.result({"number": None, "id": info.id, "file": str(path), "draft": True},
                   f"Preview of draft #{info.id} written to {path}.")
        return
    if args.output:  # refuse a bad -o before archiving anything
        from ledger.store.files import check_target

        check_target(args.output, "output")
    archived = ensure_pdf(books, info.number or "")
    path = _write(args.output, archived.read_bytes()) if args.output else archived
    out.result({"number": info.number, "file": str(path), "archived": str(archived)},
               f"{info.number}: {path}")


def quick_invoice_pdf(args: argparse.Namespace) -> bool:
    """``invoice pdf NUMBER [-o FILE]`` of an invoice whose PDF is archived and unchanged,
    served from the archive without SQLAlchemy or ReportLab (ledger.store.fastread): the same
    file, output and daily backup as :func:`cmd_invoice_pdf`. False: not this case (a
    server database, an older schema, a draft, nothing archived yet, a changed file...),
    and the command runs the ordinary way."""
    if args.year is not None or args.out is not None or not args.number:
        return False
    from ledger.store import fastread
    from tui.cli.safety import daily_copy_at_start

    database_file = fastread.current_sqlite_file(getattr(args, "db", None))
    if database_file is None:
        return False
    daily_copy_at_start(database_file)
    archived = fastread.archived_pdf(database_file, args.number)
    if archived is None:
        return False
    if args.output:
        from ledger.store.files import check_target

        check_target(args.output, "output")
    path = _write(args.output, archived.data) if args.output else archived.path
    Out(args).result({"number": archived.number, "file": str(path),
                      "archived": str(archived.path)}, f"{archived.number}: {path}")
    return True


def cmd_invoice_verify(args: argparse.Namespace, books: Books) -> None:
    from invoices.archive import verify
    from ledger.store.documents import archived_documents

    out = Out(args)
    problems = verify(books, progress=out.progress)
    count = len(archived_documents(books))
    rows = [{"number": p.number, "path": p.path, "problem": p.kind, "message": p.message}
            for p in problems]
    out.result({"documents": count, "problems": rows},
               "\n".join(f"{p.kind:10} {p.message}" for p in problems)
               if problems else f"All {count} archived documents match.")
    if problems:
        raise RuleViolation(f"archive: {len(problems)} problem(s) in the document archive")


def cmd_package_statement(args: argparse.Namespace, books: Books) -> None:
    from invoices.logo import LogoBook
    from invoices.statements import package_statement, render_statement

    statement = package_statement(books, args.id)
    path = _write(args.output, render_statement(statement, LogoBook(books).at(None)))
    Out(args).result({"package": args.id, "file": str(path), "treatments": len(statement.rows),
                      "total": jsonout.json_amount(statement.total)},
                     f"Claim statement for package {args.id} ({len(statement.rows)} "
                     f"treatments) written to {path}.")


def cmd_client_statement(args: argparse.Namespace, books: Books) -> None:
    from invoices.logo import LogoBook
    from invoices.statements import client_year_statement, render_statement

    if not 1900 <= args.year <= 2100:
        raise InputError("year", f"{args.year} is not a year between 1900 and 2100")
    statement = client_year_statement(books, args.id, args.year)
    path = _write(args.output, render_statement(statement, LogoBook(books).at(None)))
    Out(args).result({"client": args.id, "year": args.year, "file": str(path),
                      "treatments": len(statement.rows),
                      "total": jsonout.json_amount(statement.total)},
                     f"Annual statement {args.year} for client {args.id} "
                     f"({len(statement.rows)} treatments) written to {path}.")
