"""The ``export`` group: the tax-year folder and zip for the bookkeeper."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tui.cli.args import Commands, add_json
from tui.cli.lang import _, language, n_
from tui.cli.output import Out

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books


def register(commands: Commands) -> None:
    export = commands.group("export", "exports for the bookkeeper")
    p = export.command("year", "the tax-year folder and zip", cmd_year)
    p.add_argument("year", type=int)
    p.add_argument("-o", "--out", required=True, metavar="DIR", help="folder to write into")
    add_json(p)
    p = export.command("auditfile", "the year as an XML Auditfile Financieel 3.2",
                       cmd_auditfile)
    p.add_argument("year", type=int)
    p.add_argument("-o", "--out", required=True, metavar="FILE", help="the .xaf file to write")
    add_json(p)
    p = export.command("beancount", "the year's journals as a beancount file", cmd_beancount)
    p.add_argument("year", type=int)
    p.add_argument("-o", "--out", required=True, metavar="FILE", help="the file to write")
    add_json(p)


def cmd_year(args: argparse.Namespace, books: Books) -> None:
    from pathlib import Path

    from invoices.year_documents import PdfDocuments
    from ledger.yearend.export import export_year

    out = Out(args)
    result = export_year(books, args.year, Path(args.out),
                         documents=PdfDocuments(books, parallel=True), progress=out.progress)
    out.result(
        {"year": args.year, "folder": str(result.folder), "zip": str(result.zip_path),
         "files": list(result.files)},
        n_("Export {year}: {n} file in {folder}", "Export {year}: {n} files in {folder}",
           len(result.files)).format(year=args.year, n=len(result.files), folder=result.folder)
        + "\n" + _("zip: {path}").format(path=result.zip_path),
    )


def cmd_auditfile(args: argparse.Namespace, books: Books) -> None:
    from pathlib import Path

    from ledger.base.money import json_amount
    from ledger.yearend.auditfile import write_auditfile

    counts = write_auditfile(books, args.year, Path(args.out), language())
    path = Path(args.out).expanduser()
    Out(args).result(
        {"year": args.year, "file": str(path), "entries": counts["entries"],
         "lines": counts["lines"], "total_debit": json_amount(counts["debit"]),
         "total_credit": json_amount(counts["credit"])},
        n_("Audit file {year}: {n} entry in {path}", "Audit file {year}: {n} entries in {path}",
           counts["entries"]).format(year=args.year, n=counts["entries"], path=path))


def cmd_beancount(args: argparse.Namespace, books: Books) -> None:
    from pathlib import Path

    from ledger.yearend.plaintext import write_beancount

    count = write_beancount(books, args.year, Path(args.out), language())
    path = Path(args.out).expanduser()
    Out(args).result(
        {"year": args.year, "file": str(path), "entries": count},
        n_("Beancount {year}: {n} entry in {path}", "Beancount {year}: {n} entries in {path}",
           count).format(year=args.year, n=count, path=path))
