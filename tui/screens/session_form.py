"""Record a session in a few keys: client (search as you type), Enter, ctrl+s.

Treatment (the client's last one), its price, today's date and "given" are filled in; the
client's package for that treatment is offered at once ("3 of 5 used") and pays unless
you choose otherwise. Saving shows the package's new balance.

The same form corrects, moves or deletes (ctrl+d) a session that is on no invoice yet
(:func:`open_session`); the books decide what may change (``edit_session``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Input, Label, Select, Static
from textual.worker import get_current_worker

from ledger.base.codes import SessionStatus
from ledger.base.errors import SolebookError
from ledger.base.views import ClientInfo, PackageInfo, SessionInfo, TreatmentInfo
from ledger.billing.session_fields import read_session, session_fields
from ledger.billing.sessions import Recorded
from ledger.books import Books
from tui.i18n import N_, _, amount_input, day, language
from tui.labels import SESSION_STATUS, balance, choices
from tui.screens.base import BooksScreen
from tui.screens.session_start import (
    Start,
    fitting_packages,
    last_treatment,
    read_start,
    saved_message,
)
from tui.widgets.client_picker import ClientPicker
from tui.widgets.dialogs import ConfirmDialog, discard_changes_dialog
from tui.widgets.form import FieldForm, form_field

NO_PACKAGE = "none"


class SessionScreen(BooksScreen[None]):
    FORM = True  # section keys and n are not taken while filling this in
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), priority=True),
        Binding("ctrl+n", "new_client", N_("New client"), priority=True),
        Binding("ctrl+d", "delete", N_("Delete session"), priority=True),
        Binding("ctrl+o", "save_and_book", N_("Save and book the next"), priority=True),
        Binding("escape", "close", N_("Close")),
    ]

    class Packages(Message):
        def __init__(self, key: tuple[int, int, date], packages: list[PackageInfo],
                     last: int | None) -> None:
            super().__init__()
            self.key = key
            self.packages = packages
            self.last = last

    def __init__(self, client_id: int | None = None, session_id: int | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.session_id = session_id
        self.editing: SessionInfo | None = None
        self.initial_client = client_id
        self.treatments: dict[int, TreatmentInfo] = {}
        self.packages: list[PackageInfo] = []
        self.saving = False
        self.book_next = False

    def compose(self) -> ComposeResult:
        today = self.solebook.clock.today()
        fields = session_fields(today)
        amount, fee, when = fields["price"], fields["fee"], fields["date"]
        start, note = fields["time"], fields["notes"]
        yield Static(_("Record a session") if self.session_id is None else
                     _("Change the session"), classes="form-title")
        with VerticalScroll(classes="form-scroll"):
            yield Label(_("Client"), classes="field-label")
            yield ClientPicker(id="session-client", can_add=True)
            yield Static("", id="client-problem", classes="problem-line", markup=False)
            with FieldForm(id="session-form"):
                with Horizontal(classes="form-columns"):
                    yield form_field("treatment", _("Treatment"), None, choices=[])
                    yield form_field("price", _("Price"), amount)
                with Horizontal(classes="form-columns"):
                    yield form_field("date", _("Date"), when, day(today))
                    yield form_field("time", _("Time (optional)"), start, optional=True,
                                     placeholder=_("hh:mm"))
                with Horizontal(classes="form-columns"):
                    yield form_field("status", _("Status"), None, "given",
                                     choices=choices(SESSION_STATUS))
                    yield form_field("fee", _("Fee for the missed appointment"), fee,
                                     optional=True)
                yield form_field("therapist", _("Therapist"), None, choices=[])
                yield form_field("package", _("Paid by"), None, NO_PACKAGE,
                                 choices=[(_("No package: invoice it"), NO_PACKAGE)])
                yield form_field("note", _("Private note (never on a document)"), note,
                                 optional=True)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Close"), id="close")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#form-fee").display = False
        self.query_one("#form-therapist").display = False
        self.query_one("#client-problem").display = False
        self.query_one(ClientPicker).focus()

    @property
    def form(self) -> FieldForm:
        return self.query_one(FieldForm)

    # ------------------------------------------------------------------ loading
    def on_screen_resume(self) -> None:
        if not self.treatments:
            self.reload()

    def fetch(self, books: Books) -> Start:
        return read_start(books, self.client_id, self.session_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete":
            return self.session_id is not None
        if action == "new_client":
            return self.session_id is None
        return True

    def show(self, data: Start) -> None:
        self.treatments = {t.id: t for t in data.treatments}
        options = [(t.name, str(t.id)) for t in data.treatments]
        select = self.form.field("treatment").query_one(Select)
        select.set_options(options)
        if not options:
            self.notify(_("Add a treatment first (Settings or solebook treatment add)."),
                        severity="warning")
            return
        chosen = data.last_treatment if data.last_treatment in self.treatments else None
        self._set_treatment(chosen or data.treatments[0].id)
        if data.client is not None:
            picker = self.query_one(ClientPicker)
            picker.pick(data.client)
            self.query_one("#field-treatment").focus()
        self._show_therapists(data)
        if data.session is not None:
            self._fill(data.session, data.note)
        self.form.mark_saved()

    def _show_therapists(self, data: Start) -> None:
        """Whose session it is: a choice only in a practice of more than one therapist."""
        if not data.therapists:
            return
        field = self.form.field("therapist")
        field.query_one(Select).set_options(
            [(t.name if t.active else f"{t.name} ({_('archived')})", str(t.id))
             for t in data.therapists])
        own = data.session.therapist_id if data.session is not None else data.working
        field.value = str(own)
        field.display = True

    def _fill(self, s: SessionInfo, note: str) -> None:
        """The session being corrected: its client stays, everything else can change."""
        self.editing, self.client_id, self.initial_client = s, s.client_id, s.client_id
        self.query_one(ClientPicker).input.disabled = True
        form = self.form
        if s.treatment_id in self.treatments:
            form.field("treatment").value = str(s.treatment_id)
        form.field("price").value = amount_input(s.price)
        form.field("date").value = day(s.date)
        form.field("time").value = s.start_time.strftime("%H:%M") if s.start_time else ""
        form.field("status").value = s.status
        form.field("fee").value = amount_input(s.fee) if s.fee else ""
        form.field("note").value = note
        self._show_packages(self.packages)

    def _set_treatment(self, treatment_id: int) -> None:
        field = self.form.field("treatment")
        field.value = str(treatment_id)
        self.form.field("price").value = amount_input(self.treatments[treatment_id].price)

    @on(ClientPicker.Picked)
    def _client_picked(self, event: ClientPicker.Picked) -> None:
        self.client_id = event.client.id if event.client else None
        self.query_one("#client-problem", Static).display = False
        self._packages_for(new_client=True)

    @on(Select.Changed, "#field-treatment")
    def _treatment_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL and int(str(event.value)) in self.treatments:
            treatment = self.treatments[int(str(event.value))]
            self.form.field("price").value = amount_input(treatment.price)
            self._packages_for()

    @on(Select.Changed, "#field-status")
    def _status_changed(self, event: Select.Changed) -> None:
        self.query_one("#form-fee").display = event.value != SessionStatus.GIVEN
        self.query_one("#form-package").display = event.value == SessionStatus.GIVEN

    @on(Input.Blurred, "#field-date")
    def _date_changed(self) -> None:
        self._packages_for()

    def _day(self) -> date | None:
        try:
            day_: date = session_fields(self.solebook.clock.today())["date"].read(
                self.form.field("date").value)
            return day_
        except Exception:
            return None

    def _packages_for(self, new_client: bool = False) -> None:
        treatment = self.form.field("treatment").value
        on = self._day()
        if self.client_id is None or not treatment or on is None:
            self._show_packages([])
            return
        self._read_packages(self.client_id, int(treatment), on, new_client)

    @work(thread=True, exclusive=True, exit_on_error=False, group="packages")
    def _read_packages(self, client_id: int, treatment_id: int, on: date,
                       new_client: bool) -> None:
        last = last_treatment(self.books, client_id) if new_client else None
        if last is not None and last in self.treatments:
            treatment_id = last  # the client's usual treatment
        found = fitting_packages(self.books, client_id, treatment_id, on)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Packages((client_id, treatment_id, on), found, last))

    @on(Packages)
    def _packages_read(self, message: Packages) -> None:
        client_id, treatment_id, _day = message.key
        if client_id != self.client_id:
            return
        if str(treatment_id) != self.form.field("treatment").value:
            if treatment_id != message.last:
                return  # the treatment was changed meanwhile; a newer answer follows
            with self.prevent(Select.Changed):
                self._set_treatment(treatment_id)
        self._show_packages(message.packages)

    def _show_packages(self, packages: list[PackageInfo]) -> None:
        self.packages = packages
        options = [(_("{package} · {balance} · until {date}").format(
            package=p.name, balance=balance(p), date=day(p.expires)), str(p.id))
                   for p in packages]
        options.append((_("No package: invoice it"), NO_PACKAGE))
        chosen = options[0][1]
        if self.editing is not None:  # what paid stays chosen (also when it is full now)
            paid = self.editing.package_id
            if paid is not None and all(p.id != paid for p in packages):
                options.insert(0, (_("The package that paid (id {id})").format(id=paid),
                                   str(paid)))
            chosen = str(paid) if paid is not None else NO_PACKAGE
        select = self.form.field("package").query_one(Select)
        select.set_options(options)
        select.value = chosen
        self.form.field("package").initial = chosen

    def action_new_client(self) -> None:
        """Add a client without leaving the session: the new client is chosen at once."""
        from tui.screens.client_form import ClientFormScreen

        picker = self.query_one(ClientPicker)
        typed = "" if picker.client is not None else picker.input.value.strip()

        def added(client: ClientInfo | None) -> None:
            if client is not None:
                picker.pick(client)
                self.query_one("#field-treatment").focus()

        self.app.push_screen(ClientFormScreen(None, name=typed), added)

    # ------------------------------------------------------------------ saving
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.saving:
            return
        problems = self.form.problems()
        if self.client_id is None:
            problem = self.query_one("#client-problem", Static)
            problem.update(_("Choose a client first, or add a new one with ctrl+n."))
            problem.display = True
            self.query_one(ClientPicker).focus()
            return
        if problems:
            self.form.first_problem_focus(list(problems))
            return
        values = {f.key: f.value for f in self.form.form_fields}
        today = self.solebook.clock.today()
        status = values["status"]
        package = values["package"] if status == SessionStatus.GIVEN else NO_PACKAGE
        typed = read_session({
            "date": values["date"], "price": values["price"], "status": status,
            "package": "none" if package == NO_PACKAGE else package,
            "notes": values["note"],
            "time": values["time"] if values["time"].strip() else None,
            "fee": values["fee"] if status != SessionStatus.GIVEN and values["fee"].strip()
            else None,
        }, today)
        from ledger.agenda.calendar import change_session, record_session

        therapist = self.form.field("therapist")
        if therapist.display and therapist.value and (
                self.editing is None or therapist.dirty):
            typed["therapist_id"] = int(therapist.value)

        self.saving = True
        self.query_one("#save", Button).disabled = True
        if self.session_id is not None:
            typed.setdefault("start_time", None)  # a time wiped out is no time
            self.act("saved", change_session, self.books, self.session_id,
                     treatment_id=int(values["treatment"]), **typed)
            return
        self.act("saved", record_session, self.books, self.client_id, int(values["treatment"]),
                 **typed)

    def action_save_and_book(self) -> None:
        """Save, and when the session was given, book the client's next appointment."""
        self.book_next = True
        self.action_save()
        if not self.saving:
            self.book_next = False

    def action_delete(self) -> None:
        from ledger.agenda.calendar import remove_session

        if self.session_id is None:
            return

        def answer(sure: bool | None) -> None:
            if sure and self.session_id is not None:
                self.act("deleted", remove_session, self.books, self.session_id)

        self.app.push_screen(ConfirmDialog(
            _("Delete the session?"),
            _("The session is removed from the books; a package it used gets the use back."),
            _("Delete session"), danger=True), answer)

    def done_deleted(self, problem: SolebookError | None) -> None:
        self.form.mark_saved()
        self.notify(_("Session deleted."))
        self._calendar_warning(problem)
        self.dismiss()

    def _calendar_warning(self, problem: SolebookError | None) -> None:
        """The calendar file not written after a change that is saved: a warning."""
        if problem is not None:
            self.notify(problem.text(language()), severity="warning", timeout=12)

    def done_saved(self, recorded: Recorded) -> None:
        self.form.mark_saved()
        title = _("Session saved") if self.session_id is None else _("Session changed")
        self.notify(saved_message(recorded), title=title, timeout=6)
        self._calendar_warning(recorded.calendar_error)
        self.dismiss()
        s = recorded.session
        if self.book_next and s.status == SessionStatus.GIVEN:
            from tui.screens.agenda_dialogs import BookDialog

            next_day = max(s.date, self.solebook.clock.today()) + timedelta(days=7)
            self.app.push_screen(BookDialog(on=next_day, at=s.start_time,
                                            client_id=s.client_id,
                                            treatment_id=s.treatment_id))

    def worker_failed(self, worker: Any) -> None:
        self.saving = False
        self.book_next = False
        self.query_one("#save", Button).disabled = False

    # ------------------------------------------------------------------ leaving
    @property
    def dirty(self) -> bool:
        return not self.saving and (self.form.dirty or self.client_id != self.initial_client)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        if not self.dirty:
            self.dismiss()
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss()

        self.app.push_screen(discard_changes_dialog(), answer)
