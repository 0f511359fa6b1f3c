"""Backups: make one now, or put the books back as a backup had them.

Opened from the settings (ctrl+b). The list shows the copies in the backups folder next to
the database, newest first: the daily ones the first start of each day makes and those
made here or by ``solebook backup``. b copies the books now (``ledger.store.backup.backup_to``,
a consistent copy while the program runs) and says where the file went. Enter (or r)
restores the copy under the cursor after a clear warning; ``ledger.store.backup.restore``
checks it first and sets the current database aside, as ``solebook restore`` does. The app
then closes its connections to the old file and opens the restored books (migrated to
this version when older), and every part of the program is built anew on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from ledger.books import Books
from ledger.store.backup import BackupFile
from ledger.store.restored import Restored
from tui.i18n import N_, _, day
from tui.screens.base import BooksScreen
from tui.widgets.dialogs import ConfirmDialog
from tui.widgets.fit_table import Column, FitTable


@dataclass(frozen=True)
class BackupList:
    database: Path | None  # None: a database server (backups are made with pg_dump)
    backups: list[BackupFile]


def read_backups(books: Books) -> BackupList:
    from ledger.store.backup import list_backups

    path = books.db.path
    return BackupList(path, list_backups(path) if path is not None else [])


def backup_now(books: Books) -> Path:
    from ledger.store.backup import backup_to

    assert books.db.path is not None, "the screen offers this for a database file only"
    return backup_to(str(books.db.path), None, books.clock.now())


def restore_books(books: Books, source: Path) -> tuple[Books, Restored]:
    """Close the connections to the database, restore ``source`` over it (the books'
    checks, the current file set aside) and open the restored books. When the restore is
    refused nothing was replaced, and the old books simply open new connections."""
    from ledger.store.backup import restore

    path = books.db.path
    assert path is not None, "the screen offers this for a database file only"
    books.close()
    done = restore(str(path), source, books.clock.now())
    return Books.open(str(path), clock=books.clock, interface=books.interface), done


def size_text(size: int) -> str:
    return f"{size / 1024:.0f} kB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


class BackupsScreen(BooksScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "backup", N_("Back up now")),
        Binding("r", "restore", N_("Restore this backup")),
        Binding("escape", "close", N_("Back")),
    ]

    data: BackupList | None = None
    busy = False

    def compose(self) -> ComposeResult:
        yield Static(_("Backups"), classes="form-title")
        yield Static("", id="backups-where", classes="summary")
        with Vertical(classes="panel"):
            yield FitTable([Column(_("Made"), 16), Column(_("Kind"), 8),
                            Column(_("Size"), 8, right=True),
                            Column(_("File"), 20, flex=1)], id="backups-table")
        yield Static(_("b: back up now · Enter or r: put the books back as this backup had "
                       "them (the current books are kept aside)"), classes="hint")
        yield Footer()

    def fetch(self, books: Books) -> BackupList:
        return read_backups(books)

    def show(self, data: BackupList) -> None:
        self.data = data
        where = self.query_one("#backups-where", Static)
        if data.database is None:
            where.update(_("The books are on a database server; its backups are made with "
                           "pg_dump (solebook backup)."))
        elif not data.backups:
            where.update(_("No backups yet in {folder}.").format(
                folder=data.database.parent / "backups"))
        else:
            where.update(_("Backups in {folder}").format(folder=data.backups[0].path.parent))
        self.query_one(FitTable).fill(
            (str(b.path), (f"{day(b.made.date())} {b.made:%H:%M}",
                           _("daily") if b.daily else _("by hand"), size_text(b.size),
                           b.path.name))
            for b in data.backups)

    def action_backup(self) -> None:
        if not self.busy and self.data is not None and self.data.database is not None:
            self.busy = True
            self.act("made", backup_now, self.books)

    def done_made(self, path: Path) -> None:
        self.busy = False
        self.notify(_("Backup written to {path}").format(path=path), timeout=12)
        self.reload()

    @on(DataTable.RowSelected)
    def action_restore(self) -> None:
        key = self.query_one(FitTable).selected_key()
        if key is None or self.busy or self.data is None:
            return
        chosen = next(b for b in self.data.backups if str(b.path) == key)

        def answer(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self.act("restored", restore_books, self.books, chosen.path)

        self.app.push_screen(ConfirmDialog(
            _("Put the books back to {when}?").format(
                when=f"{day(chosen.made.date(), 'long')} {chosen.made:%H:%M}"),
            _("Everything recorded after this backup was made (sessions, invoices, payments, "
              "costs) will no longer be in the books. The books as they are now are kept "
              "aside in a separate file next to the database, so nothing is lost for good."),
            _("Restore"), danger=True), answer)

    def done_restored(self, result: tuple[Books, Restored]) -> None:
        books, done = result
        self.busy = False
        self.solebook.replace_books(books)
        self.notify(_("The books are back as in {file}. The books as they were are kept at "
                      "{aside}.").format(file=done.source.name, aside=done.replaced),
                    timeout=20)

    def worker_failed(self, worker: object) -> None:
        self.busy = False

    def action_close(self) -> None:
        self.dismiss(None)
