"""The agenda: a day or a week of appointments in half-hour rows, shaped by the working
hours (``ledger.agenda.settings``), the free time of the books (``free_times``) shown.

Arrows move the cursor through the times and the days, ``w`` switches between the day and
the week, ``t`` goes to today, ``n`` books at the cursor's time and Enter opens the
appointment under the cursor. ``m`` lists the appointments whose time has passed (to mark
given, no-show or late), ``r`` sends the reminders that are due, ``p`` publishes to the
CalDAV calendar and ``i`` opens the agenda's settings. The books decide everything; the
screen only shows what they answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Static

from ledger.agenda.settings import AgendaSettings
from ledger.base.codes import SessionStatus
from ledger.base.dates import clock_text as clock
from ledger.base.dates import minute_of_day as minutes
from ledger.base.views import SessionInfo
from ledger.books import Books
from tui.failures import Guarded
from tui.i18n import N_, _, day, n_, weekday
from tui.labels import SESSION_STATUS, label
from tui.screens.agenda_dialogs import Outcome
from tui.screens.base import BooksScreen
from tui.widgets.navbar import NavBar

STEP = 30  # minutes a row of the grid stands for


@dataclass(frozen=True)
class AgendaData:
    days: list[date]
    sessions: list[SessionInfo]  # cancelled-in-time ones left out: their time is free
    free: dict[date, list[tuple[time, time]]]
    settings: AgendaSettings
    to_mark: int


def read_agenda(books: Books, days: list[date]) -> AgendaData:
    from ledger.agenda.planning import agenda, free_times, to_mark
    from ledger.agenda.settings import agenda_settings

    sessions = [s for s in agenda(books, days[0], days[-1])
                if s.status != SessionStatus.CANCELLED]
    return AgendaData(days, sessions, {d: free_times(books, d) for d in days},
                      agenda_settings(books), len(to_mark(books)))


def slots(data: AgendaData) -> list[int]:
    """The rows: the working hours, widened to any appointment outside them."""
    first, last = minutes(data.settings.day_start), minutes(data.settings.day_end)
    for s in data.sessions:
        if s.start_time is not None:
            first = min(first, minutes(s.start_time))
            last = max(last, minutes(s.start_time) + s.duration_min)
    first -= first % STEP
    return list(range(first, min(last, 24 * 60), STEP))  # a day has no row after 23:45


def covering(data: AgendaData, on: date, slot: int) -> SessionInfo | None:
    """The appointment that takes (part of) the row starting at ``slot`` on ``on``."""
    for s in data.sessions:
        if s.date == on and s.start_time is not None:
            start = minutes(s.start_time)
            if start < slot + STEP and slot < start + max(s.duration_min, 1):
                return s
    return None


def is_free(data: AgendaData, on: date, slot: int) -> bool:
    return any(minutes(a) <= slot and slot + STEP <= minutes(b) for a, b in data.free[on])


def appointment_text(s: SessionInfo, *, short: bool) -> str:
    assert s.start_time is not None
    end = clock(minutes(s.start_time) + s.duration_min)
    if short:
        return f"{s.start_time:%H:%M} {s.client_name}"
    status = label(SESSION_STATUS, s.status)
    return (f"{s.start_time:%H:%M}-{end} {s.client_name} · {s.treatment_name} · {status}")


class AgendaGrid(Guarded, DataTable[Any]):
    """The grid; its arrows and Enter belong to the agenda screen (the cursor is where the
    screen says)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "screen.move(0, -1)", show=False),
        Binding("down", "screen.move(0, 1)", show=False),
        Binding("left", "screen.move(-1, 0)", show=False),
        Binding("right", "screen.move(1, 0)", show=False),
        Binding("enter", "screen.open", N_("Open")),
    ]


class AgendaScreen(BooksScreen[None]):
    CSS_PATH = "agenda.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "book", N_("Book")),
        Binding("w", "switch_view", N_("Day/week")),
        Binding("t", "today", N_("Today")),
        Binding("m", "to_mark", N_("To mark")),
        Binding("r", "remind", N_("Send reminders")),
        Binding("p", "publish", N_("Publish")),
        Binding("i", "settings", N_("Agenda settings")),
    ]

    data: AgendaData | None = None

    def __init__(self) -> None:
        super().__init__()
        self.week = False
        self.day = date.min
        self.slot = -1  # minutes after midnight; -1: the start of the working day

    def compose(self) -> ComposeResult:
        yield NavBar("agenda")
        yield Static("", id="agenda-title", classes="summary")
        yield Static("", id="agenda-free", classes="hint")
        yield AgendaGrid(id="agenda-grid", cursor_type="cell", zebra_stripes=False)
        yield Static("", id="agenda-detail", classes="summary", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.day = self.solebook.clock.today()
        self.query_one(AgendaGrid).focus()

    # ------------------------------------------------------------------ reading
    def shown_days(self) -> list[date]:
        if not self.week:
            return [self.day]
        monday = self.day - timedelta(days=self.day.weekday())
        return [monday + timedelta(days=i) for i in range(7)]

    def fetch(self, books: Books) -> AgendaData:
        return read_agenda(books, self.shown_days())

    def show(self, data: AgendaData) -> None:
        self.data = data
        rows = slots(data)
        if self.slot not in rows:
            self.slot = rows[0] if self.slot < rows[0] else rows[-1]
        grid = self.query_one(AgendaGrid)
        grid.clear(columns=True)
        grid.add_column(_("Time"), key="time")
        for d in data.days:
            grid.add_column(weekday(d), key=d.isoformat())
        for slot in rows:
            grid.add_row(clock(slot), *(self._cell(data, d, slot) for d in data.days),
                         key=str(slot))
        self._place_cursor()

    def _cell(self, data: AgendaData, on: date, slot: int) -> Text:
        s = covering(data, on, slot)
        if s is not None and s.start_time is not None:
            if minutes(s.start_time) >= slot:
                style = "bold" if s.status == SessionStatus.PLANNED else "dim"
                return Text(appointment_text(s, short=self.week), style=style)
            return Text("│", style="dim")
        if is_free(data, on, slot):
            return Text(_("free") if not self.week else "·", style="green")
        return Text("")

    def _place_cursor(self) -> None:
        data = self.data
        if data is None or self.day not in data.days:
            return
        rows = slots(data)
        grid = self.query_one(AgendaGrid)
        grid.cursor_coordinate = Coordinate(rows.index(self.slot),
                                            data.days.index(self.day) + 1)
        self._describe()

    def _describe(self) -> None:
        data = self.data
        if data is None:
            return
        if self.week:
            days = data.days
            title = _("Week {number}: {first} to {last}").format(
                number=days[0].isocalendar().week, first=day(days[0], "long"),
                last=day(days[-1], "long"))
        else:
            title = f"{weekday(self.day).split()[0]} {day(self.day, 'long')}"
        if data.to_mark:
            title += "  ·  " + n_("{count} appointment to mark (m)",
                                  "{count} appointments to mark (m)",
                                  data.to_mark).format(count=data.to_mark)
        self.query_one("#agenda-title", Static).update(title)
        free = data.free.get(self.day, [])
        self.query_one("#agenda-free", Static).update(
            _("Free on {day}: {times}").format(
                day=weekday(self.day), times=", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in free))
            if free else _("{day}: no free time").format(day=weekday(self.day)))
        chosen = covering(data, self.day, self.slot)
        self.query_one("#agenda-detail", Static).update(
            appointment_text(chosen, short=False) if chosen is not None
            else f"{weekday(self.day)} {clock(self.slot)}")

    # ------------------------------------------------------------------ moving
    def action_move(self, days: int, steps: int) -> None:
        if self.data is None:
            return
        rows = slots(self.data)
        index = max(0, min(len(rows) - 1, rows.index(self.slot) + steps))
        self.slot = rows[index]
        self._go(self.day + timedelta(days=days))

    def _go(self, to: date) -> None:
        self.day = to
        if self.data is not None and to in self.data.days:
            self._place_cursor()
        else:
            self.reload()

    def action_today(self) -> None:
        self._go(self.solebook.clock.today())

    def action_switch_view(self) -> None:
        self.week = not self.week
        self.reload()

    def at_cursor(self) -> SessionInfo | None:
        return covering(self.data, self.day, self.slot) if self.data is not None else None

    def cursor_time(self) -> time:
        return time(self.slot // 60, self.slot % 60)

    # ------------------------------------------------------------------ doing
    def action_book(self) -> None:
        from tui.screens.agenda_dialogs import BookDialog

        self.app.push_screen(BookDialog(on=self.day, at=self.cursor_time()), self._after)

    def action_open(self) -> None:
        chosen = self.at_cursor()
        if chosen is None:
            self.action_book()
            return
        if chosen.status != SessionStatus.PLANNED:
            from tui.screens.session_open import open_session

            open_session(self, chosen)
            return
        from tui.screens.agenda_appointment import AppointmentDialog

        self.app.push_screen(AppointmentDialog(chosen), self._after)

    def _after(self, outcome: Outcome | None) -> None:
        if outcome is not None:
            if outcome.session.start_time is not None:
                self.day = outcome.session.date
                self.slot = minutes(outcome.session.start_time)
                self.slot -= self.slot % STEP
            self.reload()

    def action_to_mark(self) -> None:
        from tui.screens.agenda_marks import ToMarkScreen

        self.app.push_screen(ToMarkScreen())

    def action_settings(self) -> None:
        from tui.screens.agenda_settings import AgendaSettingsScreen

        self.app.push_screen(AgendaSettingsScreen())

    def action_remind(self) -> None:
        from ledger.agenda.reminders import send_reminders

        self.notify(_("Sending the reminders that are due…"))
        self.act("reminded", send_reminders, self.books)

    def done_reminded(self, results: list[Any]) -> None:
        sent = sum(1 for r in results if r.sent)
        failed = [r for r in results if not r.sent]
        if not results:
            self.notify(_("No reminders are due."))
            return
        self.notify(n_("{count} reminder sent.", "{count} reminders sent.", sent).format(
            count=sent), title=_("Reminders"))
        for r in failed:
            self.notify(f"{r.session.client_name}: {r.error}", severity="warning",
                        markup=False, timeout=10)

    def action_publish(self) -> None:
        from ledger.agenda.publish import publish

        self.notify(_("Publishing to the CalDAV calendar…"))
        self.act("published", publish, self.books)

    def done_published(self, result: Any) -> None:
        self.notify(_("Calendar published: {created} new, {updated} changed, {removed} "
                      "removed, {unchanged} unchanged.").format(
            created=len(result.created), updated=len(result.updated),
            removed=len(result.removed), unchanged=result.unchanged))
