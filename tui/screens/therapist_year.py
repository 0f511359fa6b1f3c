"""The year's figures per therapist (key t on the year screen): each therapist's
turnover, sessions, hours of treatment (their own 1,225-hour criterion) and what is open
at year end; the series sold by the practice are the practice's own line, and the total
row is the practice's year, so the rows add up to the year screen's figures."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Static

from ledger.books import Books
from ledger.yearend.by_therapist import TherapistYear
from tui.i18n import N_, _, money, quantity
from tui.screens.base import BooksScreen
from tui.widgets.fit_table import Column, FitTable


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def read_therapist_years(books: Books, year: int) -> list[TherapistYear]:
    from ledger.yearend.by_therapist import therapist_years

    return therapist_years(books, year)


class TherapistYearScreen(BooksScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("minus", "year(-1)", N_("Previous year"), key_display="-"),
        Binding("plus,equals_sign", "year(1)", N_("Next year"), key_display="+"),
        Binding("escape", "close", N_("Back")),
    ]

    def __init__(self, year: int) -> None:
        super().__init__()
        self.year = year

    def compose(self) -> ComposeResult:
        yield Static("", id="therapist-year-title", classes="form-title")
        with Vertical(classes="panel"):
            yield FitTable([Column(_("Therapist"), 14, 2),
                            Column(_("excl. VAT"), 11, right=True),
                            Column(_("Sessions"), 8, right=True),
                            Column(_("Hours"), 7, right=True),
                            Column(_("Open on 31 December"), 11, right=True)],
                           id="therapist-year")
        yield Static(_("Each therapist's hours count towards their own 1,225-hour criterion. "
                       "Series are sold by the practice: their sale is the practice's line."),
                     classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._title()
        self.query_one("#therapist-year", FitTable).focus()

    def _title(self) -> None:
        self.query_one("#therapist-year-title", Static).update(
            _("The year {year} per therapist").format(year=self.year))

    def fetch(self, books: Books) -> list[TherapistYear]:
        return read_therapist_years(books, self.year)

    def show(self, data: list[TherapistYear]) -> None:
        if data and data[0].year != self.year:
            return
        rows = [(str(y.therapist_id or "practice"),
                 (y.name or _("Practice (series and other)"), money(y.turnover_net),
                  str(y.sessions_given), quantity(y.treatment_hours),
                  money(y.open_at_year_end))) for y in data]
        rows.append(("total", (_("Practice in all"), money(sum(y.turnover_net for y in data)),
                               str(sum(y.sessions_given for y in data)),
                               quantity(hours(sum(y.treatment_minutes for y in data))),
                               money(sum(y.open_at_year_end for y in data)))))
        self.query_one("#therapist-year", FitTable).fill(rows)

    def action_year(self, step: int) -> None:
        self.year += step
        self._title()
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)
