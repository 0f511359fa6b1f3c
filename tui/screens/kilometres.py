"""The kilometre log of a year: the business trips, each with its allowance, and the total.

Opened from the costs screen (key k). Each trip's amount is the books' one rule
(``ledger.costs.entries.trip_amount``, through ``TripInfo.amount``) and the total is the sum
of those lines, as in the year's figures. a logs a trip, Enter (or e) changes the one under
the cursor (it keeps the rate it was logged with), d removes it after asking; the fields
are checked by the books' own parsers (``ledger.costs.editing.TRIP_FIELDS``), the same as
``solebook km add``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Static

from ledger.books import Books
from ledger.costs.editing import TRIP_FIELDS
from ledger.costs.entries import TripInfo
from tui.i18n import N_, _, day, money, n_, number
from tui.screens.form_screen import FormScreen, SaveCall
from tui.screens.year_list import YEAR_KEYS, YearListScreen
from tui.widgets.dialogs import ConfirmDialog
from tui.widgets.fit_table import Column, FitTable
from tui.widgets.form import FieldForm, form_field


@dataclass(frozen=True)
class YearTrips:
    year: int
    trips: list[TripInfo]
    rate: int  # cents per km for trips logged now


def read_trips(books: Books, year: int) -> YearTrips:
    from ledger.costs.entries import get_km_rate, list_trips

    return YearTrips(year, list_trips(books, year), get_km_rate(books))


class KilometresScreen(YearListScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", N_("New trip")),
        Binding("e", "edit", N_("Edit")),
        Binding("d", "delete", N_("Delete")),
        *YEAR_KEYS,
    ]

    data: YearTrips | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="km-title", classes="form-title")
        yield Static("", id="km-summary", classes="summary")
        with Vertical(classes="panel"):
            yield FitTable([Column(_("Date"), 10), Column(_("km"), 6, right=True),
                            Column(_("Route or purpose"), 16, flex=2),
                            Column(_("Rate"), 8, right=True),
                            Column(_("Amount"), 10, right=True)], id="km-table")
        yield Footer()

    def fetch(self, books: Books) -> YearTrips:
        return read_trips(books, self.year)

    def show(self, data: YearTrips) -> None:
        if data.year != self.year:
            return
        self.data = data
        self.query_one("#km-title", Static).update(
            _("Kilometres {year}").format(year=data.year))
        km = sum(t.km for t in data.trips)
        total = sum(t.amount for t in data.trips)
        self.query_one("#km-summary", Static).update(
            n_("{count} trip · {km} km · {amount} · new trips at {rate} per km",
               "{count} trips · {km} km · {amount} · new trips at {rate} per km",
               len(data.trips)).format(
                count=len(data.trips), km=number(Decimal(km)), amount=money(total),
                rate=money(data.rate)))
        self.query_one(FitTable).fill(
            (str(t.id), (day(t.date), number(t.km), t.description, money(t.rate),
                         money(t.amount)))
            for t in data.trips)

    def records(self) -> Sequence[Any]:
        return self.data.trips if self.data is not None else []

    def action_add(self) -> None:
        if self.data is not None:
            self.app.push_screen(TripFormScreen(self.year), self._stored)

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        trip = self._selected()
        if trip is not None:
            self.app.push_screen(TripFormScreen(self.year, trip), self._stored)

    def action_delete(self) -> None:
        trip = self._selected()
        if trip is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                from ledger.costs.editing import delete_trip

                self.act("deleted", delete_trip, self.books, trip.id)

        self.app.push_screen(ConfirmDialog(
            _("Delete this trip?"),
            _("{date}, {km} km, {description}: {amount}.").format(
                date=day(trip.date), km=number(trip.km), description=trip.description,
                amount=money(trip.amount)),
            _("Delete"), danger=True), answer)

    def done_deleted(self, trip: TripInfo) -> None:
        self.notify(_("Trip of {km} km deleted.").format(km=number(trip.km)))
        self.reload()


class TripFormScreen(FormScreen[TripInfo]):
    def __init__(self, year: int, trip: TripInfo | None = None) -> None:
        super().__init__()
        self.year = year
        self.trip = trip

    def compose(self) -> ComposeResult:
        today = self.solebook.clock.today()
        trip = self.trip
        when = day(trip.date) if trip else day(today) if today.year == self.year else ""
        yield Static(_("New trip") if trip is None else _("Change trip"), classes="form-title")
        with VerticalScroll(classes="form-scroll"), FieldForm(id="trip-form"):
            with Horizontal(classes="form-columns"):
                yield form_field("date", _("Date"), TRIP_FIELDS["date"], when,
                                 placeholder="dd-mm-jjjj")
                yield form_field("km", _("Kilometres"), TRIP_FIELDS["km"],
                                 number(trip.km, grouping=False) if trip else "",
                                 placeholder="12,5")
            yield form_field("description", _("Route or purpose"),
                             TRIP_FIELDS["description"], trip.description if trip else "")
            if trip is not None:
                yield Static(_("This trip keeps its rate of {rate} per km.").format(
                    rate=money(trip.rate)), classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Close"), id="close")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#field-date").focus()

    def save_call(self) -> SaveCall:
        from ledger.costs.editing import save_trip

        return save_trip, (self.books, self.form.values(), self.trip.id if self.trip else None)

    def saved_text(self, result: TripInfo) -> str:
        return _("Trip of {km} km saved: {amount}.").format(
            km=number(result.km), amount=money(result.amount))
