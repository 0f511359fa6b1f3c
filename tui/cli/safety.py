"""Sub-commands for the safety of the books: backup, restore, the audit log, and a
client's data (export and erasure under the AVG)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger.base.errors import InputError, RuleViolation, StorageError
from ledger.base.parse import parse_int
from tui.cli import jsonout
from tui.cli.output import Out, add_json, id_arg

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books


def register(commands: Any, common: argparse.ArgumentParser, group: Any, command: Any) -> None:
    p = commands.add_parser("backup", parents=[common],
                            help="copy the books now (SQLite: a consistent copy even while "
                                 "solebook runs; PostgreSQL: pg_dump)")
    p.add_argument("path", nargs="?", metavar="PATH",
                   help="file or folder (default: the backups folder next to the database)")
    p.set_defaults(handler=cmd_backup, no_db=True)
    add_json(p)
    p = commands.add_parser("restore", parents=[common],
                            help="replace the books by a backup (checked first; the current "
                                 "database is kept aside)")
    p.add_argument("path", metavar="PATH", help="a backup made by `solebook backup`")
    p.set_defaults(handler=cmd_restore, no_db=True)
    add_json(p)

    audit = group("audit", "the log of every change to the books")
    p = command(audit, "list", "show the log, newest first", cmd_audit_list)
    _filters(p)
    p.add_argument("--limit", type=_count("limit", 1), default=50, metavar="N",
                   help="at most N entries (default 50)")
    p.add_argument("--offset", type=_count("offset", 0), default=0, metavar="N",
                   help="skip the newest N")
    add_json(p)
    p = command(audit, "export", "write the whole log as CSV", cmd_audit_export)
    _filters(p)
    p.add_argument("-o", "--out", required=True, metavar="FILE")
    add_json(p)

    client = group("client", "clients")
    p = command(client, "export", "everything stored about a client, as JSON (AVG)",
                cmd_client_export)
    p.add_argument("id", type=id_arg("client"))
    p.add_argument("-o", "--out", metavar="FILE", help="write to FILE instead of stdout")
    p = command(client, "forget", "erase a client's data as far as the law allows (AVG)",
                cmd_client_forget)
    p.add_argument("id", type=id_arg("client"))
    p.add_argument("--yes", action="store_true", help="really erase (without: only show)")
    add_json(p)


def _count(field: str, minimum: int) -> Any:
    def convert(text: str) -> int:
        try:
            return parse_int(text, field, minimum=minimum, maximum=10**9)
        except InputError as exc:
            raise argparse.ArgumentTypeError(exc.reason) from exc

    convert.__name__ = field
    return convert


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--entity", metavar="TABLE", help="only this kind (client, invoice, ...)")
    p.add_argument("--id", dest="entity_id", metavar="ID", help="only this record")


def _url(args: argparse.Namespace) -> str:
    from ledger.store.db import resolve_url

    return resolve_url(getattr(args, "db", None))


def daily_backup_at_start(books: Books) -> None:
    """The first start of a day copies the books; a failure is a warning, not a stop."""
    from ledger.store.backup import daily_backup

    try:
        daily_backup(books.db, books.clock.today())
    except StorageError as exc:
        print(f"solebook: warning: the daily backup failed: {exc.message}", file=sys.stderr)


def daily_copy_at_start(database_file: Path) -> None:
    """The same, for a command that reads the SQLite file without opening the books."""
    from ledger.base.dates import SystemClock
    from ledger.store.backup import daily_copy

    try:
        daily_copy(database_file, SystemClock().today())
    except StorageError as exc:
        print(f"solebook: warning: the daily backup failed: {exc.message}", file=sys.stderr)


def cmd_backup(args: argparse.Namespace, _books: None) -> None:
    from ledger.store.backup import backup_to

    path = backup_to(_url(args), args.path, datetime.now())
    size = path.stat().st_size
    Out(args).result({"path": str(path), "bytes": size},
                     f"Backup written to {path} ({size:,} bytes).")


def cmd_restore(args: argparse.Namespace, _books: None) -> None:
    from ledger.store.backup import restore
    from ledger.store.db import open_database

    url = _url(args)
    done = restore(url, args.path, datetime.now())
    open_database(url).close()  # brings an older backup's schema up to date
    Out(args).result(
        {"restored_from": str(done.source), "database": done.database,
         "replaced_kept_at": str(done.replaced) if done.replaced else None,
         "schema": done.revision},
        f"Restored {done.database} from {done.source} (schema {done.revision})."
        + (f" The database it replaced is kept at {done.replaced}." if done.replaced else ""),
    )


def _entry_json(e: Any) -> dict[str, Any]:
    return {"id": e.id, "at": e.at.isoformat(timespec="seconds"), "interface": e.interface,
            "action": e.action, "entity": e.entity, "entity_id": e.entity_id,
            "before": e.before, "after": e.after}


def cmd_audit_list(args: argparse.Namespace, books: Books) -> None:
    from ledger.privacy.audit_log import list_entries

    rows = list_entries(books, args.limit, args.offset, entity=args.entity,
                        entity_id=args.entity_id)
    Out(args).table(
        [_entry_json(e) for e in rows],
        [(str(e.id), e.at.strftime("%d-%m-%Y %H:%M"), e.interface, e.action,
          f"{e.entity} {e.entity_id}", _short(e.summary)) for e in rows],
        ("id", "when", "from", "action", "record", "change"),
    )


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_audit_export(args: argparse.Namespace, books: Books) -> None:
    from ledger.privacy.audit_log import export_csv

    count = export_csv(books, Path(args.out), entity=args.entity, entity_id=args.entity_id)
    Out(args).result({"path": args.out, "entries": count},
                     f"{count} audit log entries written to {args.out}.")


def cmd_client_export(args: argparse.Namespace, books: Books) -> None:
    from ledger.privacy.erasure import export_client
    from ledger.store.files import write_atomic

    data = export_client(books, args.id)
    if args.out is None:
        jsonout.emit(data)
        return
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomic(Path(args.out), text.encode("utf-8"), field="out")
    print(f"Everything stored about client {args.id} written to {args.out}.")


def cmd_client_forget(args: argparse.Namespace, books: Books) -> None:
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
