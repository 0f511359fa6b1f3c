"""Appointments whose time has passed and that are still planned: one key each marks one
given (``g``, which redeems the series it held a place on), no-show (``x``) or late
cancellation (``l``), with ``ledger.agenda.planning``'s functions."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

from ledger.base.views import SessionInfo
from ledger.books import Books
from tui.i18n import N_, _, day, money, n_
from tui.screens.agenda_dialogs import Outcome, marked, outcome_notice
from tui.screens.base import BooksScreen
from tui.widgets.fit_table import Column, FitTable


def read_to_mark(books: Books) -> list[SessionInfo]:
    from ledger.agenda.planning import to_mark

    return to_mark(books)


class ToMarkScreen(BooksScreen[None]):
    CSS_PATH = "agenda.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "mark('given')", N_("Given")),
        Binding("x", "mark('no_show')", N_("No-show")),
        Binding("l", "mark('late')", N_("Late cancellation")),
        Binding("escape", "back", N_("Back")),
    ]

    sessions: list[SessionInfo] = []  # noqa: RUF012 (replaced, never changed in place)

    def compose(self) -> ComposeResult:
        yield Static(_("Appointments to mark"), classes="form-title")
        yield Static("", id="mark-summary", classes="hint")
        yield FitTable([Column(_("Date"), 10), Column(_("Time"), 5), Column(_("Client"), 12, 2),
                        Column(_("Treatment"), 12, 1), Column(_("Price"), 10, right=True)],
                       id="mark-list")
        yield Footer(compact=True)

    def fetch(self, books: Books) -> list[SessionInfo]:
        return read_to_mark(books)

    def show(self, data: list[SessionInfo]) -> None:
        self.sessions = data
        table = self.query_one(FitTable)
        row = table.cursor_row
        table.fill((str(s.id), (day(s.date), f"{s.start_time:%H:%M}" if s.start_time else "",
                                s.client_name, s.treatment_name, money(s.price)))
                   for s in data)
        if data:
            table.move_cursor(row=min(row, len(data) - 1))
        table.focus()
        self.query_one("#mark-summary", Static).update(
            n_("{count} appointment has passed: g given, x no-show, l late cancellation.",
               "{count} appointments have passed: g given, x no-show, l late cancellation.",
               len(data)).format(count=len(data)) if data
            else _("Every appointment that has passed is marked."))

    def action_mark(self, how: str) -> None:
        key = self.query_one(FitTable).selected_key()
        if key is not None:
            self.act("marked", marked, self.books, int(key), how)

    def done_marked(self, outcome: Outcome) -> None:
        outcome_notice(self, outcome)
        self.reload()

    def action_back(self) -> None:
        self.dismiss()

    def worker_failed(self, worker: Any) -> None:
        """Nothing to undo: the list shows what is stored."""
