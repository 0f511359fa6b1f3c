"""``backup`` and ``restore``, and the daily copy of the books that the first command of a
day makes."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ledger.base.errors import Phrase, StorageError
from tui.cli.args import Commands, add_json
from tui.cli.lang import _, language, refusal
from tui.cli.output import Out, warn

if TYPE_CHECKING:  # building the parser imports no SQLAlchemy
    from ledger.books import Books


def register(commands: Commands) -> None:
    p = commands.command("backup", "copy the books now (SQLite: a consistent copy even while "
                                   "solebook runs; PostgreSQL: pg_dump)", cmd_backup)
    p.add_argument("path", nargs="?", metavar="PATH",
                   help="file or folder (default: the backups folder next to the database)")
    p.set_defaults(no_db=True)
    add_json(p)
    p = commands.command("restore", "replace the books by a backup (checked first; the current "
                                    "database is kept aside)", cmd_restore)
    p.add_argument("path", metavar="PATH", help="a backup made by `solebook backup`")
    p.set_defaults(no_db=True)
    add_json(p)


def _bytes(size: int) -> str:
    """``12,345`` (en) / ``12.345`` (nl)."""
    from babel.numbers import format_decimal

    from ledger.base.money import babel_locale

    return format_decimal(size, locale=babel_locale(language()))


def _url(args: argparse.Namespace) -> str:
    from ledger.store.db import resolve_url

    return resolve_url(getattr(args, "db", None))


def daily_backup_at_start(books: Books) -> None:
    """The first start of a day copies the books; a failure is a warning, not a stop.
    Books on read-only storage are not copied: a note says so."""
    from ledger.store.backup import daily_backup

    if books.db.read_only is not None:
        _read_only_note(books.db.read_only)
        return
    try:
        daily_backup(books.db, books.clock.today())
    except StorageError as exc:
        _daily_backup_failed(exc)


def _read_only_note(reason: Phrase) -> None:
    print("solebook: " + _("note: the books are on read-only storage ({reason}): they can be "
                           "read, not changed; no daily backup is made").format(
        reason=reason.text(language())), file=sys.stderr)


def daily_copy_at_start(database_file: Path) -> None:
    """The same, for a command that reads the SQLite file without opening the books."""
    from ledger.base.dates import SystemClock
    from ledger.store.backup import daily_copy
    from ledger.store.sqlite_file import read_only_reason

    reason = read_only_reason(database_file)
    if reason is not None:
        _read_only_note(reason)
        return
    try:
        daily_copy(database_file, SystemClock().today())
    except StorageError as exc:
        _daily_backup_failed(exc)


def _daily_backup_failed(exc: StorageError) -> None:
    warn(_("the daily backup failed: {problem}").format(problem=refusal(exc)))


def cmd_backup(args: argparse.Namespace, _books: None) -> None:
    from ledger.store.backup import backup_to

    path = backup_to(_url(args), args.path, datetime.now())
    size = path.stat().st_size
    Out(args).result({"path": str(path), "bytes": size},
                     _("Backup written to {path} ({size} bytes).").format(
                         path=path, size=_bytes(size)))


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
        _("Restored {database} from {source} (schema {schema}).").format(
            database=done.database, source=done.source, schema=done.revision)
        + (" " + _("The database it replaced is kept at {path}.").format(path=done.replaced)
           if done.replaced else ""),
    )
