"""The ``client`` group: details, archive, the AVG export and erasure, the claim statement
of a year (to a file or by e-mail)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from ledger.base.errors import RuleViolation
from tui.cli import jsonout
from tui.cli.args import Commands, add_json, given, id_arg
from tui.cli.lang import _, language, n_
from tui.cli.output import Out, fields_text

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books

CLIENT_OPTIONS = {
    "--address": "address", "--postcode": "postcode", "--city": "city", "--email": "email",
    "--phone": "phone", "--birth-date": "birth_date", "--language": "language",
    "--notes": "notes", "--salutation": "salutation", "--formal-name": "formal_name",
}


def register(commands: Commands) -> None:
    client = commands.group("client", "clients")
    p = client.command("add", "add a client", cmd_add)
    p.add_argument("--name", required=True)
    _client_options(p)
    add_json(p)
    p = client.command("edit", "change a client's details", cmd_edit)
    p.add_argument("id", type=id_arg("client"))
    p.add_argument("--name")
    _client_options(p)
    add_json(p)
    p = client.command("list", "list clients", cmd_list)
    p.add_argument("--search", default="", help="part of the name")
    p.add_argument("--archived", action="store_true", help="include archived clients")
    add_json(p)
    p = client.command("show", "one client", cmd_show)
    p.add_argument("id", type=id_arg("client"))
    add_json(p)
    for name, archived in (("archive", True), ("unarchive", False)):
        p = client.command(name, f"{name} a client", cmd_archive)
        p.add_argument("id", type=id_arg("client"))
        p.set_defaults(archived=archived)
        add_json(p)
    p = client.command("delete", "delete a client without any records", cmd_delete)
    p.add_argument("id", type=id_arg("client"))
    p = client.command("export", "everything stored about a client, as JSON (AVG)", cmd_export)
    p.add_argument("id", type=id_arg("client"))
    p.add_argument("-o", "--out", metavar="FILE", help="write to FILE instead of stdout")
    p = client.command("forget", "erase a client's data as far as the law allows (AVG)",
                       cmd_forget)
    p.add_argument("id", type=id_arg("client"))
    p.add_argument("--yes", action="store_true", help="really erase (without: only show)")
    add_json(p)
    p = client.command("statement", "a client's claim statement for a year (PDF)",
                       cmd_statement)
    p.add_argument("id", type=id_arg("client"))
    p.add_argument("--year", required=True, type=int)
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    add_json(p)
    p = client.command("send-statement", "e-mail the claim statement of a client for a year",
                       cmd_send_statement)
    p.add_argument("id", type=id_arg("client"))
    p.add_argument("--year", required=True, type=int)
    p.add_argument("--to", metavar="ADDRESS")
    add_json(p)


def _client_options(p: argparse.ArgumentParser) -> None:
    for option, key in CLIENT_OPTIONS.items():
        p.add_argument(option, dest=key, metavar="VALUE")


def cmd_add(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import add_client

    info = add_client(books, {"name": args.name, **given(args, CLIENT_OPTIONS.values())})
    Out(args).result(jsonout.client(info), _("Client {id} added: {name}").format(
        id=info.id, name=info.name))


def cmd_edit(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import update_client

    info = update_client(books, args.id, given(args, ["name", *CLIENT_OPTIONS.values()]))
    Out(args).result(jsonout.client(info), _("Client {id} saved: {name}").format(
        id=info.id, name=info.name))


def cmd_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import list_clients

    clients = list_clients(books, args.search, include_archived=args.archived)
    Out(args).table(
        [jsonout.client(c) for c in clients],
        [(str(c.id), c.name, c.city, c.email, _("archived") if c.archived else "")
         for c in clients],
        (_("id"), _("name"), _("city"), _("e-mail"), ""),
    )


def cmd_show(args: argparse.Namespace, books: Books) -> None:
    from ledger.base.errors import translate
    from ledger.practice.clients import CLIENT_FIELDS, get_client

    data = jsonout.client(get_client(books, args.id))
    labels = {key: translate(field.label, language()) for key, field in CLIENT_FIELDS.items()}
    labels.update(id=_("id"), country=_("country"), archived=_("archived"))
    Out(args).result(data, fields_text(data, labels, ("salutation",)))


def cmd_archive(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import archive_client

    info = archive_client(books, args.id, archived=args.archived)
    said = (_("Client {id} ({name}) is archived.") if info.archived
            else _("Client {id} ({name}) is active again."))
    Out(args).result(jsonout.client(info), said.format(id=info.id, name=info.name))


def cmd_delete(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import delete_client

    delete_client(books, args.id)
    Out(args).result({"id": args.id, "deleted": True}, _("Client {id} deleted.").format(id=args.id))


def cmd_export(args: argparse.Namespace, books: Books) -> None:
    from ledger.privacy.erasure import export_client
    from ledger.store.files import write_atomic

    data = export_client(books, args.id)
    if args.out is None:
        jsonout.emit(data)
        return
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomic(Path(args.out), text.encode("utf-8"), field="out")
    print(_("Everything stored about client {id} written to {path}.").format(id=args.id,
                                                                             path=args.out))


def cmd_forget(args: argparse.Namespace, books: Books) -> None:
    from ledger.privacy.erasure import forget_client

    report = forget_client(books, args.id, apply=args.yes)
    data = {"client_id": report.client_id, "outcome": report.outcome, "done": report.done,
            "erased": list(report.erased), "notes_erased": report.notes_erased,
            "kept": [{"what": what, "why": why} for what, why in report.kept],
            "kept_until": report.kept_until.isoformat() if report.kept_until else None}
    said = {"deleted": (_("Client {id} is deleted."), _("Client {id} would be deleted.")),
            "anonymised": (_("Client {id} is anonymised."),
                           _("Client {id} would be anonymised.")),
            "restricted": (_("Client {id} is restricted to what the law requires."),
                           _("Client {id} would be restricted to what the law requires."))
            }[report.outcome][0 if report.done else 1]
    lines = [said.format(id=args.id),
             _("Erased: {what}").format(what=", ".join(report.erased)) + " ("
             + n_("{n} private note", "{n} private notes", report.notes_erased).format(
                 n=report.notes_erased) + ")."]
    lines += [_("Kept: {what}: {why}.").format(what=what, why=why) for what, why in report.kept]
    Out(args).result(data, "\n".join(lines))
    if not report.done:
        raise RuleViolation(_("client: nothing was changed; add --yes to erase what is "
                              "listed"))


def cmd_statement(args: argparse.Namespace, books: Books) -> None:
    from invoices.steps.statements import client_statement_file

    done = client_statement_file(books, args.id, args.year, args.output)
    statement = done.statement
    Out(args).result({"client": args.id, "year": args.year, "file": str(done.path),
                      "treatments": len(statement.rows),
                      "total": jsonout.json_amount(statement.total)},
                     n_("Annual statement {year} for client {id} ({n} treatment) written to "
                        "{path}.", "Annual statement {year} for client {id} ({n} treatments) "
                        "written to {path}.", len(statement.rows)).format(
                         year=args.year, id=args.id, n=len(statement.rows), path=done.path))


def cmd_send_statement(args: argparse.Namespace, books: Books) -> None:
    from invoices.steps.mail import send_statement

    record = send_statement(books, client_id=args.id, year=args.year, to=args.to)
    Out(args).result(jsonout.mail(record), _("Claim statement sent to {to} ({file}).").format(
        to=record.recipient, file=record.attachment))
