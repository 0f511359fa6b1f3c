"""The practice's therapists: who works here, with the details insurers check.

Opened from the settings (ctrl+g). A therapist is added (a) and changed (Enter or e) with
their own AGB code, association and membership number, register number, e-mail and (on a
shared PostgreSQL database) the login they connect as; x archives one (or restores an
archived one): sessions and invoices keep naming them. w makes the selected therapist the
one working here from now on: new sessions and private notes are theirs (on PostgreSQL the
login decides). The practice's own AGB code stays under the settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Label, Static

from ledger.books import Books
from ledger.practice.therapists import THERAPIST_FIELDS, TherapistInfo
from tui.i18n import N_, _
from tui.screens.base import BooksScreen
from tui.screens.form_screen import FormScreen, SaveCall
from tui.widgets.fit_table import Column, FitTable
from tui.widgets.form import FieldForm, FormField, form_field


@dataclass(frozen=True)
class Team:
    therapists: list[TherapistInfo]
    working: int


def read_team(books: Books) -> Team:
    from ledger.practice.therapists import list_therapists, working_therapist_info

    return Team(list_therapists(books, include_archived=True),
                working_therapist_info(books).id)


def set_archived(books: Books, therapist_id: int, archived: bool) -> TherapistInfo:
    from ledger.practice.therapists import archive_therapist

    return archive_therapist(books, therapist_id, archived=archived)


class TherapistsScreen(BooksScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", N_("Add therapist")),
        Binding("e", "edit", N_("Change")),
        Binding("w", "working", N_("Works here now")),
        Binding("x", "archive", N_("Archive / restore")),
        Binding("escape", "close", N_("Back")),
    ]

    data: Team | None = None

    def compose(self) -> ComposeResult:
        yield Static(_("Therapists"), classes="form-title")
        with Vertical(classes="panel"):
            yield Label(_("Who works in the practice"), classes="panel-title")
            yield FitTable([Column(_("Name"), 14, 2), Column(_("AGB code"), 9),
                            Column(_("Association"), 12, 1), Column(_("Login"), 8),
                            Column(_("Status"), 12)], id="therapist-list")
        yield Static(_("The therapist marked as working records the new sessions and private "
                       "notes. Each invoice carries the AGB code of the therapist who gave "
                       "its treatments; the practice's AGB code is under Settings."),
                     classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#therapist-list", FitTable).focus()

    def fetch(self, books: Books) -> Team:
        return read_team(books)

    def show(self, data: Team) -> None:
        self.data = data

        def status(t: TherapistInfo) -> str:
            if not t.active:
                return _("archived")
            return _("working") if t.id == data.working else _("active")

        self.query_one("#therapist-list", FitTable).fill(
            (str(t.id), (t.name, t.agb_code,
                         " ".join(x for x in (t.association, t.membership_number) if x),
                         t.login or "", status(t)))
            for t in data.therapists)

    def selected(self) -> TherapistInfo | None:
        key = self.query_one("#therapist-list", FitTable).selected_key()
        if self.data is None or key is None:
            return None
        return next((t for t in self.data.therapists if str(t.id) == key), None)

    def action_add(self) -> None:
        self.app.push_screen(TherapistFormScreen(None), lambda _saved: self.reload())

    @on(FitTable.RowSelected, "#therapist-list")
    def action_edit(self) -> None:
        therapist = self.selected()
        if therapist is not None:
            self.app.push_screen(TherapistFormScreen(therapist), lambda _saved: self.reload())

    def action_archive(self) -> None:
        therapist = self.selected()
        if therapist is not None:
            self.act("archived", set_archived, self.books, therapist.id, therapist.active)

    def done_archived(self, therapist: TherapistInfo) -> None:
        self.notify((_("{name} works here again.") if therapist.active else
                     _("{name} is archived; sessions and invoices keep their name."))
                    .format(name=therapist.name))
        self.reload()

    def action_working(self) -> None:
        from ledger.practice.therapists import use_therapist

        therapist = self.selected()
        if therapist is not None:
            self.act("working", use_therapist, self.books, therapist.id)

    def done_working(self, therapist: TherapistInfo) -> None:
        self.notify(_("{name} is working from now on.").format(name=therapist.name))
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)


LABELS = {
    "name": N_("Name"), "agb_code": N_("AGB code therapist"),
    "association": N_("Professional association"), "membership_number": N_("Membership number"),
    "register_number": N_("Register number"), "email": N_("E-mail"),
    "login": N_("Database login (PostgreSQL)"),
}
OPTIONAL = ("agb_code", "association", "membership_number", "register_number", "email",
            "login")


class TherapistFormScreen(FormScreen[TherapistInfo]):
    def __init__(self, therapist: TherapistInfo | None) -> None:
        super().__init__()
        self.therapist = therapist

    def compose(self) -> ComposeResult:
        t = self.therapist
        values = {} if t is None else {
            "name": t.name, "agb_code": t.agb_code, "association": t.association,
            "membership_number": t.membership_number, "register_number": t.register_number,
            "email": t.email, "login": t.login or ""}
        title = _("New therapist") if t is None else _("Change {name}").format(name=t.name)
        yield Static(title, classes="form-title")
        with VerticalScroll(classes="form-scroll"), FieldForm(id="therapist-form"):
            with Horizontal(classes="form-columns"):
                yield self._field("name", values)
                yield self._field("agb_code", values)
            with Horizontal(classes="form-columns"):
                yield self._field("association", values)
                yield self._field("membership_number", values)
            with Horizontal(classes="form-columns"):
                yield self._field("register_number", values)
                yield self._field("email", values)
            yield self._field("login", values)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Close"), id="close")
        yield Footer(compact=True)

    @staticmethod
    def _field(key: str, values: dict[str, str]) -> FormField:
        return form_field(key, _(LABELS[key]), THERAPIST_FIELDS[key], values.get(key, ""),
                          optional=key in OPTIONAL)

    def on_mount(self) -> None:
        self.query_one("#field-name").focus()

    def save_call(self) -> SaveCall:
        from ledger.practice.therapists import add_therapist, update_therapist

        if self.therapist is None:
            return add_therapist, (self.books, self.form.values())
        return update_therapist, (self.books, self.therapist.id,
                                  self.form.values(changed_only=True))

    def saved_text(self, result: TherapistInfo) -> str:
        return _("{name} saved.").format(name=result.name)
