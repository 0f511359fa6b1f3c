"""The tax-year export from the year screen: choose a folder, watch the progress, done.

The export itself (``ledger.yearend.export.export_year`` with the PDFs from
``invoices.year_documents.PdfDocuments``) is the same as ``solebook export year``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Label, ProgressBar, Static

from ledger.books import Books
from tui.i18n import N_, _
from tui.screens.base import BooksDialog
from tui.widgets.dialogs import DIALOG_CSS
from tui.widgets.form import FieldForm, form_field


def default_folder() -> Path:
    return Path.home()


class ExportDialog(BooksDialog[None]):
    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "ExportDialog")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", N_("Close")),
                Binding("ctrl+s", "export", N_("Export"), priority=True)]

    class Progress(Message):
        def __init__(self, done: int, total: int, what: str) -> None:
            super().__init__()
            self.done = done
            self.total = total
            self.what = what

    def __init__(self, year: int) -> None:
        super().__init__()
        self.year = year
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Export {year} for the bookkeeper").format(year=self.year),
                        classes="title")
            yield Static(_("Writes the folder solebook-{year} (workbook, CSV, annual report, "
                           "every invoice PDF, receipts, manifest) and a zip of it.").format(
                year=self.year), classes="body")
            with FieldForm():
                yield form_field("folder", _("Into folder"), None, str(default_folder()))
            yield ProgressBar(id="export-progress", show_eta=False)
            yield Static("", id="export-result", classes="body", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Close"), id="close")
                yield Button(_("Export"), id="export", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#export-progress").display = False
        self.query_one("#export", Button).focus()

    def on_screen_resume(self) -> None:
        """Nothing to read before the export starts."""

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        if self.running:
            return
        folder = Path(self.query_one(FieldForm).field("folder").value.strip() or ".")
        self.running = True
        self.query_one("#export", Button).disabled = True
        self.query_one("#export-progress").display = True
        self.act("exported", self._export, self.books, self.year, folder.expanduser())

    def _export(self, books: Books, year: int, folder: Path) -> Any:
        from invoices.year_documents import PdfDocuments
        from ledger.yearend.export import export_year

        def progress(done: int, total: int, what: str) -> None:
            self.post_message(self.Progress(done, total, what))

        return export_year(books, year, folder, documents=PdfDocuments(books), progress=progress)

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self.query_one(ProgressBar).update(total=max(message.total, 1), progress=message.done)

    def done_exported(self, result: Any) -> None:
        self.running = False
        self.query_one("#export-result", Static).update(
            _("Written: {folder}\nand {zip}").format(folder=result.folder, zip=result.zip_path))
        self.notify(_("Export of {year} written to {zip}").format(year=self.year,
                                                                  zip=result.zip_path))

    def worker_failed(self, worker: Any) -> None:
        self.running = False
        self.query_one("#export", Button).disabled = False
        self.query_one("#export-progress").display = False

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        if not self.running:
            self.dismiss(None)
