"""``invoice pdf`` and ``invoice verify``: an invoice's archived PDF (or a draft's preview,
or a year's PDFs) and the check of the whole archive. Part of :mod:`tui.cli.invoices`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ledger.base.errors import RuleViolation
from tui.cli.lang import _, n_
from tui.cli.output import Out

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books


def _write(path: str, data: bytes) -> Path:
    from ledger.store.files import write_atomic

    return write_atomic(Path(path).expanduser(), data, 0o600, field="output")


def cmd_pdf(args: argparse.Namespace, books: Books) -> None:
    out = Out(args)
    if args.year is not None or args.out is not None:
        if args.number is not None or args.output is not None or args.year is None \
                or args.out is None:
            args.parser.error(_("use either NUMBER [-o FILE] or --year YEAR --out DIR"))
        from invoices.archive import export_year

        paths = export_year(books, args.year, Path(args.out), progress=out.progress)
        out.result({"year": args.year, "folder": str(Path(args.out).expanduser()),
                    "files": [p.name for p in paths]},
                   n_("{n} PDF of {year} written to {folder}.",
                      "{n} PDFs of {year} written to {folder}.", len(paths)).format(
                       n=len(paths), year=args.year, folder=args.out))
        return
    if args.number is None:
        args.parser.error(_("give an invoice NUMBER, or --year YEAR --out DIR"))
    from invoices.archive import ensure_pdf, render_document
    from ledger.billing.status import get_invoice

    info = get_invoice(books, args.number)
    if info.is_draft:
        if args.output is None:
            raise RuleViolation(_("invoice: draft #{id} is not issued; give -o FILE for a "
                                  "preview"), id=info.id)
        path = _write(args.output, render_document(books, info.id))
        out.result({"number": None, "id": info.id, "file": str(path), "draft": True},
                   _("Preview of draft #{id} written to {path}.").format(id=info.id,
                                                                          path=path))
        return
    if args.output:  # refuse a bad -o before archiving anything
        from ledger.store.files import check_target

        check_target(args.output, "output")
    archived = ensure_pdf(books, info.number or "")
    path = _write(args.output, archived.read_bytes()) if args.output else archived
    out.result({"number": info.number, "file": str(path), "archived": str(archived)},
               f"{info.number}: {path}")


def quick_pdf(args: argparse.Namespace) -> bool:
    """``invoice pdf NUMBER [-o FILE]`` of an invoice whose PDF is archived and unchanged,
    served from the archive without SQLAlchemy or ReportLab (ledger.store.fastread): the same
    file, output and daily backup as :func:`cmd_pdf`. False: not this case (a
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


def cmd_verify(args: argparse.Namespace, books: Books) -> None:
    from invoices.archive import verify
    from ledger.billing.documents import archived_documents

    out = Out(args)
    problems = verify(books, progress=out.progress)
    count = len(archived_documents(books))
    rows = [{"number": p.number, "path": p.path, "problem": p.kind, "message": p.message}
            for p in problems]
    out.result({"documents": count, "problems": rows},
               "\n".join(f"{p.kind:10} {p.message}" for p in problems)
               if problems else n_("{n} archived document matches.",
                                   "All {n} archived documents match.", count).format(n=count))
    if problems:
        raise RuleViolation(n_("archive: {n} problem in the document archive",
                               "archive: {n} problems in the document archive",
                               len(problems)), n=len(problems))
