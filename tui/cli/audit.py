"""The ``audit`` group: the log of every change to the books, shown or written as CSV."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.cli.args import Commands, add_json, count_arg
from tui.cli.lang import _, day, n_, status_word
from tui.cli.output import Out

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books


def register(commands: Commands) -> None:
    audit = commands.group("audit", "the log of every change to the books")
    p = audit.command("list", "show the log, newest first", cmd_list)
    _filters(p)
    p.add_argument("--limit", type=count_arg("limit", 1), default=50, metavar="N",
                   help="at most N entries (default 50)")
    p.add_argument("--offset", type=count_arg("offset", 0), default=0, metavar="N",
                   help="skip the newest N")
    add_json(p)
    p = audit.command("export", "write the whole log as CSV", cmd_export)
    _filters(p)
    p.add_argument("-o", "--out", required=True, metavar="FILE")
    add_json(p)


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--entity", metavar="TABLE", help="only this kind (client, invoice, ...)")
    p.add_argument("--id", dest="entity_id", metavar="ID", help="only this record")


def _entry_json(e: Any) -> dict[str, Any]:
    return {"id": e.id, "at": e.at.isoformat(timespec="seconds"), "interface": e.interface,
            "action": e.action, "entity": e.entity, "entity_id": e.entity_id,
            "before": e.before, "after": e.after, "db_role": e.db_role}


def cmd_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.privacy.audit_log import list_entries

    rows = list_entries(books, args.limit, args.offset, entity=args.entity,
                        entity_id=args.entity_id)
    Out(args).table(
        [_entry_json(e) for e in rows],
        [(str(e.id), f"{day(e.at.date())} {e.at:%H:%M}", _interface(e.interface),
          status_word(e.action), f"{e.entity} {e.entity_id}", _short(e.summary))
         for e in rows],
        (_("id"), _("when"), _("from"), _("action"), _("record"), _("change")),
    )


def _interface(code: str) -> str:
    return {"cli": _("command line"), "tui": _("interface")}.get(code, code)


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_export(args: argparse.Namespace, books: Books) -> None:
    from ledger.privacy.audit_log import export_csv

    count = export_csv(books, Path(args.out), entity=args.entity, entity_id=args.entity_id)
    Out(args).result({"path": args.out, "entries": count},
                     n_("{n} audit log entry written to {path}.",
                        "{n} audit log entries written to {path}.", count).format(
                         n=count, path=args.out))
