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
from tui.cli.output import Out

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books

CLIENT_OPTIONS = {
    "--address": "address", "--postcode": "postcode", "--city": "city", "--email": "email",
    "--phone": "phone", "--birth-date": "birth_date", "--language": "language",
    "--notes": "notes",
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
    Out(args).result(jsonout.client(info), f"Client {info.id} added: {info.name}")


def cmd_edit(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import update_client

    info = update_client(books, args.id, given(args, ["name", *CLIENT_OPTIONS.values()]))
    Out(args).result(jsonout.client(info), f"Client {info.id} saved: {info.name}")


def cmd_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import list_clients

    clients = list_clients(books, args.search, include_archived=args.archived)
    Out(args).table(
        [jsonout.client(c) for c in clients],
        [(str(c.id), c.name, c.city, c.email, "archived" if c.archived else "") for c in clients],
        ("id", "name", "city", "e-mail", ""),
    )


def cmd_show(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import get_client

    data = jsonout.client(get_client(books, args.id))
    Out(args).result(data, "\n".join(f"{k:12} {v if v is not None else ''}"
                                     for k, v in data.items()))


def cmd_archive(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import archive_client

    info = archive_client(books, args.id, archived=args.archived)
    state = "archived" if info.archived else "active again"
    Out(args).result(jsonout.client(info), f"Client {info.id} ({info.name}) is {state}.")


def cmd_delete(args: argparse.Namespace, books: Books) -> None:
    from ledger.practice.clients import delete_client

    delete_client(books, args.id)
    Out(args).result({"id": args.id, "deleted": True}, f"Client {args.id} deleted.")


def cmd_export(args: argparse.Namespace, books: Books) -> None:
    from ledger.privacy.erasure import export_client
    from ledger.store.files import write_atomic

    data = export_client(books, args.id)
    if args.out is None:
        jsonout.emit(data)
        return
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomic(Path(args.out), text.encode("utf-8"), field="out")
    print(f"Everything stored about client {args.id} written to {args.out}.")


def cmd_forget(args: argparse.Namespace, books: Books) -> None:
    from ledger.privacy.erasure import forget_client

    report = forget_client(books, args.id, apply=args.yes)
    data = {"client_id": report.client_id, "outcome": report.outcome, "done": report.done,
            "erased": list(report.erased), "notes_erased": report.notes_erased,
            "kept": [{"what": what, "why": why} for what, why in report.kept],
            "kept_until": report.kept_until.isoformat() if report.kept_until else None}
    verb = {"deleted": "deleted", "anonymised": "anonymised",
            "restricted": "restricted to what the law requires"}[report.outcome]
    lines = [f"Client {args.id} {'is' if report.done else 'would be'} {verb}.",
             f"Erased: {', '.join(report.erased)} ({report.notes_erased} private notes)."]
    lines += [f"Kept: {what}: {why}." for what, why in report.kept]
    Out(args).result(data, "\n".join(lines))
    if not report.done:
        raise RuleViolation("client: nothing was changed; add --yes to erase what is listed")


def cmd_statement(args: argparse.Namespace, books: Books) -> None:
    from invoices.steps.statements import client_statement_file

    done = client_statement_file(books, args.id, args.year, args.output)
    statement = done.statement
    Out(args).result({"client": args.id, "year": args.year, "file": str(done.path),
                      "treatments": len(statement.rows),
                      "total": jsonout.json_amount(statement.total)},
                     f"Annual statement {args.year} for client {args.id} "
                     f"({len(statement.rows)} treatments) written to {done.path}.")


def cmd_send_statement(args: argparse.Namespace, books: Books) -> None:
    from invoices.steps.mail import send_statement

    record = send_statement(books, client_id=args.id, year=args.year, to=args.to)
    Out(args).result(jsonout.mail(record), f"Claim statement sent to {record.recipient} "
                                           f"({record.attachment}).")
