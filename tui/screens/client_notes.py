"""A client's private (health) notes: read back, add, change and delete them.

Opened only from the client's own page (key p); no other screen, list, document or export
shows a note's text. The list is newest first: the day it was written, the session it was
typed with (if any) and the text; the note under the cursor is shown in full below the list.
a adds a note, Enter or e changes the one under the cursor (also a session's note), d
deletes it after asking. Every read and write runs in a worker through
``ledger.practice.clients`` (one transaction each; the audit log records that a note
changed, never what it says).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Footer, Input, Label, Static

from ledger.base.views import NoteInfo
from ledger.books import Books
from ledger.practice.clients import NOTE_FIELD
from tui.failures import Guarded
from tui.i18n import N_, _, day, n_, translate_bindings
from tui.screens.base import BooksScreen
from tui.widgets.dialogs import DIALOG_CSS, ConfirmDialog, discard_changes_dialog
from tui.widgets.fit_table import Column, FitTable
from tui.widgets.form import FieldForm, form_field


def read_notes(books: Books, client_id: int) -> tuple[str, list[NoteInfo]]:
    from ledger.practice.clients import client_notes, get_client

    return get_client(books, client_id).name, client_notes(books, client_id)


def session_text(note: NoteInfo) -> str:
    """Which session a note was typed with ("" for a note of the client)."""
    if note.session_date is None:
        return ""
    return f"{day(note.session_date)} {note.treatment_name}".strip()


class NotesScreen(BooksScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", N_("New note")),
        Binding("e", "edit", N_("Change note")),
        Binding("d", "delete", N_("Delete")),
        Binding("escape", "close", N_("Back")),
    ]

    notes: list[NoteInfo] | None = None

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id

    def compose(self) -> ComposeResult:
        yield Static(_("Private notes"), id="notes-title", classes="form-title")
        yield Static(_("Only shown here: never on an invoice, a statement or an export."),
                     classes="hint")
        with Vertical(classes="panel"):
            yield FitTable([Column(_("Written"), 10), Column(_("Session"), 12, 1),
                            Column(_("Note"), 20, 3)], id="notes-table")
        yield Static("", id="note-full", classes="summary", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(FitTable).focus()

    def fetch(self, books: Books) -> tuple[str, list[NoteInfo]]:
        return read_notes(books, self.client_id)

    def show(self, data: tuple[str, list[NoteInfo]]) -> None:
        name, self.notes = data
        count = len(self.notes)
        self.query_one("#notes-title", Static).update(
            _("Private notes of {name}").format(name=name) + " · "
            + n_("{count} note", "{count} notes", count).format(count=count))
        self.query_one(FitTable).fill(
            (str(n.id), (day(n.written_at.date()), session_text(n),
                         " ".join(n.text.split())))
            for n in self.notes)
        self._show_selected()

    @on(DataTable.RowHighlighted)
    def _show_selected(self) -> None:
        note = self.selected()
        self.query_one("#note-full", Static).update(
            note.text if note else _("No private notes yet: a adds one."))

    def selected(self) -> NoteInfo | None:
        key = self.query_one(FitTable).selected_key()
        if self.notes is None or key is None:
            return None
        return next((n for n in self.notes if str(n.id) == key), None)

    def action_add(self) -> None:
        def answer(text: str | None) -> None:
            if text is not None:
                from ledger.practice.clients import add_note

                self.act("saved", add_note, self.books, self.client_id, text)

        self.app.push_screen(NoteDialog(_("New private note")), answer)

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        note = self.selected()
        if note is None:
            return

        def answer(text: str | None) -> None:
            if text is not None:
                from ledger.practice.clients import change_note

                self.act("saved", change_note, self.books, self.client_id, note.id, text)

        self.app.push_screen(NoteDialog(_("Change private note"), note.text), answer)

    def done_saved(self, _note: NoteInfo) -> None:
        self.notify(_("Private note saved."))
        self.reload()

    def action_delete(self) -> None:
        note = self.selected()
        if note is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                from ledger.practice.clients import delete_note

                self.act("deleted", delete_note, self.books, self.client_id, note.id)

        written = day(note.written_at.date())
        self.app.push_screen(ConfirmDialog(
            _("Delete this private note?"),
            _("Written {date}: {text}").format(date=written, text=note.text),
            _("Delete"), danger=True), answer)

    def done_deleted(self, _result: None) -> None:
        self.notify(_("Private note deleted."))
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)

    def worker_failed(self, worker: Any) -> None:
        """Nothing to undo: the list shows what is stored."""


class NoteDialog(Guarded, ModalScreen[str | None]):
    """The text of one private note; Enter or ctrl+s saves (an empty note is refused under
    the field), Escape closes (asking first when something was typed)."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "NoteDialog").replace("width: 64;", "width: 90;")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Cancel")),
        Binding("ctrl+s", "save", N_("Save"), priority=True),
    ]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            with FieldForm():
                yield form_field("text", _("Private note (never on a document)"), NOTE_FIELD,
                                 self.text)
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Save"), id="confirm", variant="primary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#field-text", Input).focus()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#confirm")
    def action_save(self) -> None:
        form = self.query_one(FieldForm)
        if form.problems():
            form.first_problem_focus(["text"])
            return
        self.dismiss(form.field("text").value)

    @on(Button.Pressed, "#cancel")
    def action_close(self) -> None:
        if not self.query_one(FieldForm).dirty:
            self.dismiss(None)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(discard_changes_dialog(), answer)
