"""One planned appointment (Enter on it in the agenda): marked given, no-show or late,
cancelled (the clock and the late-cancellation hours decide whether it is late), moved
(:class:`MoveDialog`) or opened in the session form. The books decide; a refusal is shown
and the dialog stays open."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Label, Static

from ledger.base.dates import clock_text as clock
from ledger.base.dates import minute_of_day as minutes
from ledger.base.views import SessionInfo
from ledger.billing.session_fields import session_fields
from tui.i18n import N_, _, day, money, translate_bindings
from tui.labels import SESSION_STATUS, label
from tui.screens.agenda_dialogs import Outcome, marked, moved, outcome_notice, when
from tui.screens.base import BooksDialog
from tui.widgets.dialogs import DIALOG_CSS, ConfirmDialog, FormDialog
from tui.widgets.form import FieldForm, form_field


class MoveDialog(FormDialog):
    """A new date and time for an appointment."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "MoveDialog")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", N_("Cancel")),
        Binding("ctrl+s", "save", N_("Move"), priority=True),
    ]

    def __init__(self, session: SessionInfo, today: date) -> None:
        super().__init__()
        self.session = session
        self.today = today
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        fields = session_fields(self.today)
        s = self.session
        with Vertical():
            yield Label(_("Move the appointment of {client}").format(client=s.client_name),
                        classes="title")
            with FieldForm():
                yield form_field("date", _("Date"), fields["date"], day(s.date))
                yield form_field("time", _("Time"), fields["time"],
                                 s.start_time.strftime("%H:%M") if s.start_time else "")
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Move"), id="confirm", variant="primary")
        yield Footer(compact=True)


class AppointmentDialog(BooksDialog[Outcome | None]):
    """One planned appointment: mark it, cancel it, move it or change it in the form."""

    # Five actions do not fit in a row of a 64-column dialog: two columns of small buttons
    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "AppointmentDialog") + """
    AppointmentDialog .buttons { layout: grid; grid-size: 2; grid-gutter: 0 1; }
    AppointmentDialog .buttons Button { width: 100%; margin: 0 0 1 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", N_("Close")),
        Binding("g", "mark('given')", N_("Given")),
        Binding("x", "mark('no_show')", N_("No-show")),
        Binding("a", "mark('cancel')", N_("Cancel appointment")),
        Binding("l", "mark('late')", N_("Late cancellation")),
        Binding("v", "move", N_("Move")),
        Binding("e", "edit", N_("Change")),
    ]

    def __init__(self, session: SessionInfo) -> None:
        super().__init__()
        self.session = session
        self.busy = False

    def compose(self) -> ComposeResult:
        s = self.session
        assert s.start_time is not None
        until = clock(minutes(s.start_time) + s.duration_min)
        with Vertical():
            yield Label(s.client_name, classes="title")
            yield Static("\n".join((
                f"{when(s)}-{until} · {s.treatment_name} · {money(s.price)}",
                _("Status: {status}").format(status=label(SESSION_STATUS, s.status)),
                _("Holds a place on series {id}").format(id=s.reserved_package_id)
                if s.reserved_package_id else _("Holds no place on a series"),
            )), classes="body", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Given"), id="given", variant="primary", compact=True)
                yield Button(_("No-show"), id="no_show", compact=True)
                yield Button(_("Cancel appointment"), id="cancel", compact=True)
                yield Button(_("Late cancellation"), id="late", compact=True)
                yield Button(_("Move"), id="move", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#given", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "move":
            self.action_move()
        elif event.button.id:
            self.action_mark(event.button.id)

    def action_mark(self, how: str) -> None:
        """Mark the appointment; cancelling it or a no-show asks first (the appointment
        leaves the agenda, a fee may be charged): one key is easily pressed by mistake."""
        if self.busy:
            return
        question = {"cancel": _("Cancel the appointment of {client} on {when}?"),
                    "late": _("Record a late cancellation by {client} on {when}?"),
                    "no_show": _("Record that {client} did not come on {when}?")}.get(how)
        if question is None:
            self._mark(how)
            return
        s = self.session

        def answer(yes: bool | None) -> None:
            if yes:
                self._mark(how)

        self.app.push_screen(ConfirmDialog(
            question.format(client=s.client_name, when=when(s)),
            _("A late cancellation or a no-show may cost the fee of the cancellation "
              "policy; an appointment cancelled in time frees its time."),
            _("Yes"), cancel=_("No")), answer)

    def _mark(self, how: str) -> None:
        self.busy = True
        self.act("changed", marked, self.books, self.session.id, how)

    def action_move(self) -> None:
        def answer(values: dict[str, str] | None) -> None:
            if values is not None:
                fields = session_fields(self.solebook.clock.today())
                self.busy = True
                self.act("changed", moved, self.books, self.session.id,
                         fields["date"].read(values["date"]), fields["time"].read(values["time"]))

        self.app.push_screen(MoveDialog(self.session, self.solebook.clock.today()), answer)

    def action_edit(self) -> None:
        from tui.screens.session_form import SessionScreen

        self.dismiss(None)
        self.app.push_screen(SessionScreen(session_id=self.session.id))

    def done_changed(self, outcome: Outcome) -> None:
        outcome_notice(self.app, outcome)
        self.dismiss(outcome)

    def worker_failed(self, worker: Any) -> None:
        self.busy = False

