"""Booking an appointment and handling one: the dialogs of the agenda.

:class:`BookDialog` books (client, treatment, date and time, duration, the series it holds
a place on: automatic, none or a chosen one) with ``ledger.agenda.planning.plan_session``;
the dialogs of one appointment are in :mod:`tui.screens.agenda_appointment`. A refusal
of the books (an overlap names the appointment it clashes with) is shown and the dialog
stays open. When the calendar file could not be written after a change, the change
stands: that is said as a warning, as is a confirmation mail that could not be sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Input, Label, Select
from textual.worker import get_current_worker

from ledger.base.codes import SessionStatus
from ledger.base.views import ClientInfo, PackageInfo, SessionInfo, TreatmentInfo
from ledger.billing.session_fields import session_fields
from ledger.books import Books
from tui.i18n import N_, _, day, language, money
from tui.labels import SESSION_STATUS, label, series_balance
from tui.screens.base import BooksDialog
from tui.widgets.client_picker import ClientPicker
from tui.widgets.dialogs import DIALOG_CSS
from tui.widgets.form import FieldForm, form_field

AUTO, NONE = "auto", "none"


@dataclass(frozen=True)
class Outcome:
    """What a change did: the appointment as it is now, what to tell, and a warning (the
    calendar file not written, the confirmation mail not sent: the change stands)."""

    session: SessionInfo
    text: str
    warning: str = ""


def calendar_warning(result: Any) -> str:
    """The calendar file not written after a change that is saved: a warning."""
    problem = result.calendar_error
    return problem.text(language()) if problem is not None else ""


def warnings(*texts: str) -> str:
    return "\n".join(t for t in texts if t)


def confirm(books: Books, session_id: int) -> str:
    """The confirmation mail, when the practice wants one; a failure is a warning."""
    from ledger.agenda.reminders import confirm_if_wanted
    from ledger.base.errors import SolebookError

    try:
        confirm_if_wanted(books, session_id)
    except SolebookError as exc:
        return exc.text(language())
    return ""


def when(s: SessionInfo) -> str:
    at = f" {s.start_time:%H:%M}" if s.start_time is not None else ""
    return f"{day(s.date, 'long')}{at}"


def booked(books: Books, client_id: int, treatment_id: int, on: date, at: time,
           duration: int | None, package: int | str) -> Outcome:
    from ledger.agenda.planning import plan_session

    recorded = plan_session(books, client_id, treatment_id, on, at, duration_min=duration,
                            package=package)  # type: ignore[arg-type]
    s = recorded.session
    text = _("{client}: appointment on {when}.").format(client=s.client_name, when=when(s))
    if recorded.package is not None:
        text += " " + f"{recorded.package.name}: {series_balance(recorded.package)}."
    return Outcome(s, text, warnings(calendar_warning(recorded), confirm(books, s.id)))


def moved(books: Books, session_id: int, on: date, at: time) -> Outcome:
    from ledger.agenda.planning import move_session

    recorded = move_session(books, session_id, on, at)
    s = recorded.session
    return Outcome(s, _("{client}: moved to {when}.").format(client=s.client_name,
                                                             when=when(s)),
                   warnings(calendar_warning(recorded), confirm(books, s.id)))


def marked(books: Books, session_id: int, how: str) -> Outcome:
    """``given``, ``no_show``, ``cancel`` (the clock and the setting decide whether it is
    late) or ``late``."""
    from ledger.agenda import planning

    if how == SessionStatus.GIVEN:
        recorded = planning.mark_given(books, session_id)
        s, package = recorded.session, recorded.package
        text = _("{client}: given.").format(client=s.client_name)
        if package is not None:
            text += " " + f"{package.name}: {series_balance(package)}."
        return Outcome(s, text, calendar_warning(recorded))
    calls = {"no_show": lambda: planning.mark_no_show(books, session_id),
             "cancel": lambda: planning.cancel_session(books, session_id),
             "late": lambda: planning.cancel_session(books, session_id, late=True)}
    cancelled = calls[how]()
    s = cancelled.session
    text = f"{s.client_name}: {label(SESSION_STATUS, s.status)}"
    if cancelled.fee:
        text += " · " + _("fee {amount}").format(amount=money(cancelled.fee))
    return Outcome(s, text + ".", calendar_warning(cancelled))


def outcome_notice(widget: Any, outcome: Outcome) -> None:
    widget.notify(outcome.text, title=_("Agenda"), timeout=6)
    if outcome.warning:
        widget.notify(outcome.warning, severity="warning", timeout=12, markup=False)


@dataclass(frozen=True)
class BookStart:
    treatments: list[TreatmentInfo]
    client: ClientInfo | None
    last_treatment: int | None


def read_book_start(books: Books, client_id: int | None) -> BookStart:
    from ledger.practice.catalogue import list_treatments
    from ledger.practice.clients import get_client
    from tui.screens.session_start import last_treatment

    client = get_client(books, client_id) if client_id is not None else None
    return BookStart(list_treatments(books), client, last_treatment(books, client_id))


def open_series(books: Books, client_id: int) -> list[PackageInfo]:
    from ledger.billing.packages import list_packages

    return [p for p in list_packages(books, client_id, status="active") if p.sessions_free]


class BookDialog(BooksDialog[Outcome | None]):
    """Book an appointment; ctrl+s or Enter in a field books it."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "BookDialog") + """
    BookDialog > Vertical { width: 76; }
    BookDialog VerticalScroll { height: auto; max-height: 100%; }
    BookDialog .buttons { dock: bottom; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", N_("Cancel")),
        Binding("ctrl+s", "save", N_("Book"), priority=True),
    ]

    class Series(Message):
        def __init__(self, client_id: int, packages: list[PackageInfo]) -> None:
            super().__init__()
            self.client_id = client_id
            self.packages = packages

    def __init__(self, *, on: date, at: time | None, client_id: int | None = None,
                 treatment_id: int | None = None) -> None:
        super().__init__()
        self.on, self.at = on, at
        self.client_id = client_id
        self.treatment_id = treatment_id
        self.treatments: dict[int, TreatmentInfo] = {}
        self.busy = False

    def compose(self) -> ComposeResult:
        fields = session_fields(self.solebook.clock.today())
        with Vertical():
            yield Label(_("Book an appointment"), classes="title")
            with VerticalScroll():
                yield Label(_("Client"), classes="field-label")
                yield ClientPicker(id="book-client")
                with FieldForm(id="book-form"):
                    yield form_field("treatment", _("Treatment"), None, choices=[])
                    with Horizontal(classes="form-columns"):
                        yield form_field("date", _("Date"), fields["date"], day(self.on))
                        yield form_field("time", _("Time"), fields["time"],
                                         self.at.strftime("%H:%M") if self.at else "",
                                         placeholder=_("hh:mm"))
                        yield form_field("duration", _("Minutes"), fields["duration"],
                                         optional=True)
                    yield form_field("series", _("Series"), None, AUTO, choices=[
                        (_("Automatic: the client's series, if any"), AUTO),
                        (_("No series: invoice it"), NONE)])
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Book"), id="confirm", variant="primary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(ClientPicker).focus()
        self.reload()

    def fetch(self, books: Books) -> BookStart:
        return read_book_start(books, self.client_id)

    def show(self, data: BookStart) -> None:
        self.treatments = {t.id: t for t in data.treatments}
        form = self.query_one(FieldForm)
        form.field("treatment").query_one(Select).set_options(
            [(t.name, str(t.id)) for t in data.treatments])
        chosen = next((t for t in (self.treatment_id, data.last_treatment)
                       if t in self.treatments), None)
        if chosen is None and data.treatments:
            chosen = data.treatments[0].id
        if chosen is not None:
            form.field("treatment").value = str(chosen)
            form.field("duration").value = str(self.treatments[chosen].duration_min)
        if data.client is not None:
            self.query_one(ClientPicker).pick(data.client)
            self.query_one("#field-time", Input).focus()
        form.mark_saved()

    @on(Select.Changed, "#field-treatment")
    def _treatment(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL and int(str(event.value)) in self.treatments:
            self.query_one(FieldForm).field("duration").value = str(
                self.treatments[int(str(event.value))].duration_min)

    @on(ClientPicker.Picked)
    def _picked(self, event: ClientPicker.Picked) -> None:
        self.client_id = event.client.id if event.client else None
        if self.client_id is not None:
            self._read_series(self.client_id)
        else:
            self._show_series([])

    @work(thread=True, exclusive=True, exit_on_error=False, group="series")
    def _read_series(self, client_id: int) -> None:
        found = open_series(self.books, client_id)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Series(client_id, found))

    @on(Series)
    def _series_read(self, message: Series) -> None:
        if message.client_id == self.client_id:
            self._show_series(message.packages)

    def _show_series(self, packages: list[PackageInfo]) -> None:
        form = self.query_one(FieldForm)
        treatment = form.field("treatment")
        if (packages and self.treatment_id is None
                and all(str(p.treatment_id) != treatment.value for p in packages)):
            treatment.value = str(packages[0].treatment_id)  # what her series is for
        field = form.field("series")
        keep = field.value or AUTO
        options = [(_("Automatic: the client's series, if any"), AUTO),
                   (_("No series: invoice it"), NONE)]
        options += [(f"{p.name} · {series_balance(p)}", str(p.id)) for p in packages]
        field.query_one(Select).set_options(options)
        field.value = keep if any(v == keep for _t, v in options) else AUTO

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        if event.input.id != "client-name":
            event.stop()
            self.action_save()

    @on(Button.Pressed, "#confirm")
    def action_save(self) -> None:
        if self.busy:
            return
        if self.client_id is None:
            self.notify(_("Choose a client first."), severity="warning")
            self.query_one(ClientPicker).focus()
            return
        form = self.query_one(FieldForm)
        problems = form.problems()
        if problems:
            form.first_problem_focus(list(problems))
            return
        fields = session_fields(self.solebook.clock.today())
        values = {f.key: f.value for f in form.form_fields}
        duration = values["duration"].strip()
        series = values["series"] or AUTO
        self.busy = True
        self.act("booked", booked, self.books, self.client_id, int(values["treatment"]),
                 fields["date"].read(values["date"]), fields["time"].read(values["time"]),
                 int(duration) if duration else None,
                 series if series in (AUTO, NONE) else int(series))

    def done_booked(self, outcome: Outcome) -> None:
        outcome_notice(self.app, outcome)
        self.dismiss(outcome)

    def worker_failed(self, worker: Any) -> None:
        self.busy = False

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
