"""Plan a sold series' free places in the agenda (``ledger.agenda.planning.plan_series``):
every N days from a start date, or backwards so that the last one falls N days before a
race. Enter shows the plan (a taken time moves to the next free slot, and the list says so);
only the plan shown is saved, with ctrl+s (all appointments or none)."""

from __future__ import annotations

from datetime import date, time
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, Select, Static

from ledger.agenda.planning import SeriesPlan
from ledger.base import parse
from ledger.base.forms import Field
from ledger.base.views import PackageInfo
from ledger.billing.session_fields import session_fields
from ledger.books import Books
from tui.i18n import N_, _, day, language, n_, weekday
from tui.labels import series_balance
from tui.screens.base import BooksDialog
from tui.widgets.dialogs import DIALOG_CSS
from tui.widgets.form import FieldForm, form_field

FROM, RACE = "from", "race"
Values = tuple[tuple[str, str], ...]


def plan(books: Books, package_id: int, at: time, every: int, start: date | None,
         race: date | None, days_before: int | None, save: bool) -> SeriesPlan:
    from ledger.agenda.planning import plan_series

    return plan_series(books, package_id, at=at, every_days=every, start=start,
                       race_date=race, days_before=days_before, save=save)


def plan_lines(result: SeriesPlan, at: time) -> str:
    """One line per appointment; one that could not have the day and time asked for says
    what was asked."""
    lines = []
    for number, slot in enumerate(result.slots, 1):
        text = f"{number}. {weekday(slot.date)} {slot.date.year} {slot.start_time:%H:%M}"
        if slot.moved or slot.start_time != at:
            text += "  " + _("(wanted {day}: taken or no working day)").format(
                day=f"{weekday(slot.wanted)} {at:%H:%M}")
        lines.append(text)
    return "\n".join(lines) or _("No free place left on this series.")


class SeriesPlanDialog(BooksDialog[SeriesPlan | None]):
    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "SeriesPlanDialog") + """
    SeriesPlanDialog > Vertical { width: 76; }
    SeriesPlanDialog VerticalScroll { height: auto; max-height: 100%; }
    SeriesPlanDialog .buttons { dock: bottom; }
    SeriesPlanDialog #plan-shown { height: auto; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", N_("Cancel")),
        Binding("ctrl+s", "save", N_("Save the plan"), priority=True),
    ]

    def __init__(self, package: PackageInfo) -> None:
        super().__init__()
        self.package = package
        self.shown_for: Values | None = None
        self.asked_at = time(0)
        self.busy = False

    def compose(self) -> ComposeResult:
        today = self.solebook.clock.today()
        fields = session_fields(today)
        count = Field(_("every"), lambda raw, label: parse.parse_int(raw, label, minimum=1,
                                                                      maximum=365), blank=None)
        before = Field(_("days before"), lambda raw, label: parse.parse_int(
            raw, label, minimum=0, maximum=365), blank=0)
        p = self.package
        with Vertical():
            yield Label(_("Plan the series {name} of {client}").format(
                name=p.name, client=p.client_name), classes="title")
            with VerticalScroll():
                yield Static(series_balance(p), classes="hint")
                with FieldForm(id="plan-form"):
                    yield form_field("how", _("Plan"), None, FROM, choices=[
                        (_("Every N days from a start date"), FROM),
                        (_("Back from a race date"), RACE)])
                    with Horizontal(classes="form-columns"):
                        yield form_field("time", _("Time"), fields["time"], "",
                                         placeholder=_("hh:mm"))
                        yield form_field("every", _("Every (days)"), count, "7")
                    with Horizontal(classes="form-columns"):
                        yield form_field("start", _("Start date"), fields["date"], day(today),
                                         optional=True)
                        yield form_field("race", _("Race date"), fields["date"], "",
                                         optional=True)
                        yield form_field("before", _("Days before the race"), before, "2",
                                         optional=True)
                yield Static(_("Enter shows the plan; ctrl+s saves the plan shown."),
                             id="plan-shown", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Show the plan"), id="preview")
                yield Button(_("Save the plan"), id="confirm", variant="primary",
                             disabled=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._how()
        self.query_one("#field-time", Input).focus()

    @on(Select.Changed, "#field-how")
    def _how(self) -> None:
        race = self.query_one(FieldForm).field("how").value == RACE
        self.query_one("#form-start").display = not race
        self.query_one("#form-race").display = race
        self.query_one("#form-before").display = race
        self._changed()

    @on(Input.Changed)
    def _changed(self) -> None:
        if self.shown_for is not None and self.shown_for != self._values():
            self.shown_for = None
            self.query_one("#confirm", Button).disabled = True

    def _values(self) -> Values:
        return tuple((f.key, f.value.strip()) for f in self.query_one(FieldForm).form_fields)

    def _call(self, save: bool) -> None:
        form = self.query_one(FieldForm)
        problems = form.problems()
        if problems:
            form.first_problem_focus(list(problems))
            return
        values = dict(self._values())
        fields = session_fields(self.solebook.clock.today())
        race = values["how"] == RACE

        def read_day(text: str) -> date | None:
            return fields["date"].read(text) if text else None

        self.asked_at = fields["time"].read(values["time"])
        self.busy = True
        self.act("saved" if save else "planned", plan, self.books, self.package.id,
                 fields["time"].read(values["time"]), int(values["every"]),
                 None if race else read_day(values["start"]),
                 read_day(values["race"]) if race else None,
                 int(values["before"] or 0) if race else None, save)

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_preview()

    @on(Button.Pressed, "#preview")
    def action_preview(self) -> None:
        if not self.busy:
            self._call(save=False)

    def done_planned(self, result: SeriesPlan) -> None:
        self.busy = False
        self.shown_for = self._values()
        self.query_one("#plan-shown", Static).update(plan_lines(result, self.asked_at))
        self.query_one("#confirm", Button).disabled = not result.slots

    @on(Button.Pressed, "#confirm")
    def action_save(self) -> None:
        if self.busy:
            return
        if self.shown_for != self._values():
            self._call(save=False)  # the plan is shown before it is saved
            return
        self._call(save=True)

    def done_saved(self, result: SeriesPlan) -> None:
        p = result.package
        self.notify(n_("{count} appointment planned for {name}: {balance}.",
                       "{count} appointments planned for {name}: {balance}.",
                       len(result.slots)).format(
            count=len(result.slots), name=p.name, balance=series_balance(p)),
            title=_("Agenda"), timeout=6)
        if result.calendar_error is not None:
            self.notify(result.calendar_error.text(language()), severity="warning",
                        timeout=12, markup=False)
        self.dismiss(result)

    def worker_failed(self, worker: Any) -> None:
        self.busy = False

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
