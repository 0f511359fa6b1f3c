"""Treatments and series: what the practice offers, at what price.

Opened from the settings (ctrl+t) or with p on the packages screen. A treatment can be
added (a), changed (Enter) (a new price applies to what is recorded from now on:
sessions and packages keep the price they were recorded or sold at) and archived, so it
is no longer offered but stays on everything it was used for. A series (a package plan,
e.g. five treatments for the marathon runners) is added for a treatment.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Label, Static

from ledger.base.views import PlanInfo, TreatmentInfo
from ledger.books import Books
from ledger.practice.catalogue import PLAN_FIELDS, TREATMENT_FIELDS
from tui.i18n import N_, _, amount_input, money, rate
from tui.screens.base import BooksScreen
from tui.screens.form_screen import FormScreen, SaveCall
from tui.widgets.fit_table import Column, FitTable
from tui.widgets.form import FieldForm, FormField, form_field


@dataclass(frozen=True)
class Catalogue:
    treatments: list[TreatmentInfo]
    plans: list[PlanInfo]


def read_catalogue(books: Books) -> Catalogue:
    from ledger.practice.catalogue import list_plans, list_treatments

    return Catalogue(list_treatments(books, include_inactive=True),
                     list_plans(books, include_inactive=True))


def rate_input(value: Decimal) -> str:
    """A VAT rate as typed back into a field: ``21``, ``5,5``."""
    return rate(value).rstrip("%")


def set_active(books: Books, treatment_id: int, active: bool) -> TreatmentInfo:
    from ledger.practice.catalogue import update_treatment

    return update_treatment(books, treatment_id, {}, active=active)


class TreatmentsScreen(BooksScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", N_("Add treatment")),
        Binding("x", "archive", N_("Archive / restore")),
        Binding("p", "add_plan", N_("Add series")),
        Binding("escape", "close", N_("Back")),
    ]

    data: Catalogue | None = None

    def compose(self) -> ComposeResult:
        yield Static(_("Treatments and series"), classes="form-title")
        with Vertical(classes="panel"):
            yield Label(_("Treatments"), classes="panel-title")
            yield FitTable([Column(_("Treatment"), 14, 2), Column(_("Minutes"), 7, right=True),
                            Column(_("Price"), 11, right=True), Column(_("VAT"), 5, right=True),
                            Column(_("Code"), 6), Column(_("Status"), 12)],
                           id="treatment-list")
        with Vertical(classes="panel"):
            yield Label(_("Series on offer"), classes="panel-title")
            yield FitTable([Column(_("Series"), 12, 1), Column(_("Treatment"), 12, 1),
                            Column(_("Sessions"), 8, right=True),
                            Column(_("Price"), 11, right=True),
                            Column(_("Valid (days)"), 12, right=True), Column(_("Status"), 12)],
                           id="plan-list")
        yield Static(_("Enter changes the selected treatment. A new price applies to what is "
                       "recorded from now on; sessions and packages keep the price they had."),
                     classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#treatment-list", FitTable).focus()

    def fetch(self, books: Books) -> Catalogue:
        return read_catalogue(books)

    def show(self, data: Catalogue) -> None:
        self.data = data
        status = {True: _("offered"), False: _("archived")}
        self.query_one("#treatment-list", FitTable).fill(
            (str(t.id), (t.name, str(t.duration_min), money(t.price), rate(t.vat_rate),
                         t.performance_code, status[t.active]))
            for t in data.treatments)
        self.query_one("#plan-list", FitTable).fill(
            (str(p.id), (p.name, p.treatment_name, str(p.sessions), money(p.price),
                         str(p.valid_days), status[p.active]))
            for p in data.plans)

    def selected(self) -> TreatmentInfo | None:
        key = self.query_one("#treatment-list", FitTable).selected_key()
        if self.data is None or key is None:
            return None
        return next((t for t in self.data.treatments if str(t.id) == key), None)

    def action_add(self) -> None:
        self.app.push_screen(TreatmentFormScreen(None), lambda _saved: self.reload())

    @on(FitTable.RowSelected, "#treatment-list")
    def action_edit(self) -> None:
        treatment = self.selected()
        if treatment is not None:
            self.app.push_screen(TreatmentFormScreen(treatment), lambda _saved: self.reload())

    def action_archive(self) -> None:
        treatment = self.selected()
        if treatment is not None:
            self.act("archived", set_active, self.books, treatment.id, not treatment.active)

    def done_archived(self, treatment: TreatmentInfo) -> None:
        self.notify((_("{name} is offered again.") if treatment.active else
                     _("{name} is archived: no longer offered, kept on what it was used for."))
                    .format(name=treatment.name))
        self.reload()

    def action_add_plan(self) -> None:
        if self.data is None:
            return
        offered = [t for t in self.data.treatments if t.active]
        if not offered:
            self.notify(_("Add a treatment first."), severity="warning")
            return
        self.app.push_screen(PlanFormScreen(offered), lambda _saved: self.reload())

    def action_close(self) -> None:
        self.dismiss(None)


TREATMENT_LABELS = {
    "name": N_("Name"), "price": N_("Price"), "vat_rate": N_("VAT rate (%)"),
    "duration_min": N_("Minutes"), "performance_code": N_("Performance code (insurers)"),
}


class TreatmentFormScreen(FormScreen[TreatmentInfo]):
    def __init__(self, treatment: TreatmentInfo | None) -> None:
        super().__init__()
        self.treatment = treatment

    def compose(self) -> ComposeResult:
        t = self.treatment
        values = {} if t is None else {
            "name": t.name, "price": amount_input(t.price), "vat_rate": rate_input(t.vat_rate),
            "duration_min": str(t.duration_min), "performance_code": t.performance_code}
        title = _("New treatment") if t is None else _("Change {name}").format(name=t.name)
        yield Static(title, classes="form-title")
        with VerticalScroll(classes="form-scroll"), FieldForm(id="treatment-form"):
            yield self._field("name", values)
            with Horizontal(classes="form-columns"):
                yield self._field("price", values)
                yield self._field("vat_rate", values, default="21")
            with Horizontal(classes="form-columns"):
                yield self._field("duration_min", values, default="60")
                yield self._field("performance_code", values, optional=True)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Close"), id="close")
        yield Footer(compact=True)

    @staticmethod
    def _field(key: str, values: dict[str, str], default: str = "",
               optional: bool = False) -> FormField:
        return form_field(key, _(TREATMENT_LABELS[key]), TREATMENT_FIELDS[key],
                          values.get(key, default), optional=optional)

    def on_mount(self) -> None:
        self.query_one("#field-name").focus()

    def save_call(self) -> SaveCall:
        from ledger.practice.catalogue import add_treatment, update_treatment

        if self.treatment is None:
            return add_treatment, (self.books, self.form.values())
        return update_treatment, (self.books, self.treatment.id,
                                  self.form.values(changed_only=True))

    def saved_text(self, result: TreatmentInfo) -> str:
        return _("{name} saved.").format(name=result.name)


PLAN_LABELS = {
    "name": N_("Name of the series"), "treatment_id": N_("Treatment"),
    "sessions": N_("Number of treatments"), "price": N_("Price of the series"),
    "valid_days": N_("Valid for (days)"),
}


def plan_label(key: str) -> str:
    return _(PLAN_LABELS[key])


class PlanFormScreen(FormScreen[PlanInfo]):
    def __init__(self, treatments: list[TreatmentInfo]) -> None:
        super().__init__()
        self.treatments = treatments

    def compose(self) -> ComposeResult:
        choices = [(f"{t.name} ({money(t.price)})", str(t.id)) for t in self.treatments]
        yield Static(_("New series"), classes="form-title")
        with VerticalScroll(classes="form-scroll"), FieldForm(id="plan-form"):
            yield form_field("name", plan_label("name"), PLAN_FIELDS["name"])
            yield form_field("treatment_id", plan_label("treatment_id"), None,
                             choices[0][1], choices=choices)
            with Horizontal(classes="form-columns"):
                yield form_field("sessions", plan_label("sessions"), PLAN_FIELDS["sessions"],
                                 "5")
                yield form_field("price", plan_label("price"), PLAN_FIELDS["price"])
                yield form_field("valid_days", plan_label("valid_days"),
                                 PLAN_FIELDS["valid_days"], "365")
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Close"), id="close")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#field-name").focus()

    def save_call(self) -> SaveCall:
        from ledger.practice.catalogue import add_plan

        return add_plan, (self.books, self.form.values())

    def saved_text(self, result: PlanInfo) -> str:
        return _("Series {name} saved.").format(name=result.name)
