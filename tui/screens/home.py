"""The overview: what today asks for. Every line is a place to jump into (Enter or click)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Footer, Label, Static

from ledger.base.codes import SessionStatus, VatRegime
from tui.i18n import N_, _, day, money, weekday
from tui.labels import SESSION_STATUS, label, open_amounts, paid_by
from tui.screens.base import BooksScreen
from tui.widgets.fit_table import Column, FitTable
from tui.widgets.navbar import NavBar

if TYPE_CHECKING:  # the overview paints before SQLAlchemy is imported
    from ledger.base.views import InvoiceInfo, PackageInfo, PracticeInfo, SessionInfo
    from ledger.billing.lists import InvoiceTotals, Unbilled, YearSoFar
    from ledger.books import Books
    from ledger.store.quickfigures import OverviewFigures

KOR_LIMIT = 20_000_00
SOON_DAYS = 30
LIST_ROWS = 50


@dataclass(frozen=True)
class Overview:
    today: date
    practice: PracticeInfo
    sessions: list[SessionInfo]  # this week, today's first
    unbilled: list[Unbilled]  # the first LIST_ROWS clients
    unbilled_amount: int  # of all clients
    overdue: list[InvoiceInfo]
    open_totals: InvoiceTotals
    overdue_totals: InvoiceTotals
    packages: list[PackageInfo]
    year: YearSoFar
    working: str = ""  # who is working, in a practice of more than one therapist


def read_overview(books: Books) -> Overview:
    from ledger.billing.lists import invoice_totals, unbilled_by_client, year_so_far
    from ledger.billing.packages import list_packages
    from ledger.billing.sessions import list_sessions
    from ledger.practice.profile import get_practice
    from ledger.practice.therapists import working_in_group

    today = books.clock.today()
    monday = today - timedelta(days=today.weekday())
    week = list_sessions(books, start=monday, end=monday + timedelta(days=6))
    week.sort(key=lambda s: (s.date != today, s.date, s.start_time or time.min, s.id))
    soon = today + timedelta(days=SOON_DAYS)
    packages = [p for p in list_packages(books, status="active")
                if p.sessions_left <= 1 or p.expires <= soon]
    from ledger.billing.status import list_invoices

    unbilled = unbilled_by_client(books)
    return Overview(
        today=today,
        practice=get_practice(books),
        sessions=week,
        unbilled=unbilled[:LIST_ROWS],
        unbilled_amount=sum(u.amount for u in unbilled),
        overdue=list_invoices(books, status="overdue", limit=LIST_ROWS),
        open_totals=invoice_totals(books, include_drafts=False, kind="invoice"),
        overdue_totals=invoice_totals(books, status="overdue"),
        packages=sorted(packages, key=lambda p: (p.expires, p.id)),
        year=year_so_far(books, today.year),
        working=working.name if (working := working_in_group(books)) else "",
    )


def _columns(narrow: bool) -> dict[str, list[Column]]:
    if narrow:
        return {
            "#home-sessions": [Column(_("Day"), 9), Column(_("Client"), 8, 1),
                               Column(_("Paid"), 10)],
            "#home-unbilled": [Column(_("Client"), 8, 1), Column("#", 2, right=True),
                               Column(_("Amount"), 10, right=True)],
            "#home-overdue": [Column(_("Number"), 9), Column(_("Client"), 6, 1),
                              Column(_("Open"), 10, right=True)],
            "#home-packages": [Column(_("Client"), 8, 1), Column(_("Used"), 5),
                               Column(_("Expires"), 10)],
        }
    return {
        "#home-sessions": [Column(_("Day"), 9), Column(_("Client"), 10, 3),
                           Column(_("Treatment"), 8, 2), Column(_("Paid"), 10)],
        "#home-unbilled": [Column(_("Client"), 10, 1), Column(_("Sessions"), 8, right=True),
                           Column(_("Amount"), 10, right=True)],
        "#home-overdue": [Column(_("Number"), 9), Column(_("Client"), 10, 1),
                          Column(_("Due"), 10), Column(_("Open"), 10, right=True)],
        "#home-packages": [Column(_("Client"), 10, 2), Column(_("Package"), 8, 1),
                           Column(_("Used"), 5), Column(_("Expires"), 10)],
    }


class HomeScreen(BooksScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "app.new_session", N_("New session")),
        Binding("h", "app.section('reminders')", N_("Reminders")),
        Binding("r", "refresh", N_("Refresh"), show=False),
    ]

    data: Overview | None = None
    figures: OverviewFigures | None = None  # shown before the books were open

    def compose(self) -> ComposeResult:
        yield NavBar("home")
        with Vertical(id="home-top"):
            yield Static(_("Loading…"), id="home-today")
            yield Static("", id="home-year")
        with Grid(id="home-grid"):
            with Vertical(classes="panel"):
                yield Label(_("Sessions this week"), classes="panel-title")
                yield FitTable(id="home-sessions")
            with Vertical(classes="panel"):
                yield Label(_("Not yet invoiced"), classes="panel-title", id="unbilled-title")
                yield FitTable(id="home-unbilled")
            with Vertical(classes="panel"):
                yield Label(_("Overdue invoices"), classes="panel-title", id="overdue-title")
                yield FitTable(id="home-overdue")
            with Vertical(classes="panel"):
                yield Label(_("Packages running low or expiring"), classes="panel-title")
                yield FitTable(id="home-packages")
        yield Footer(compact=True)

    def on_resize(self) -> None:
        narrow = self.size.width < 100
        if narrow != self.has_class("-narrow") or not self.query_one(FitTable).spec:
            self.set_class(narrow, "-narrow")
            for selector, columns in _columns(narrow).items():
                self.query_one(selector, FitTable).set_columns(columns)
            if self.data is not None:
                self.show(self.data)
            elif self.figures is not None:
                self.show_figures(self.figures)

    def action_refresh(self) -> None:
        self.reload()

    def fetch(self, books: Books) -> Overview:
        return read_overview(books)

    def show_figures(self, figures: OverviewFigures) -> None:
        """The figures read before the books are open (:mod:`tui.early`); the lists
        follow with the books (unless they are here already)."""
        self.figures = figures
        if self.data is None:
            self._show_figures(figures.today, figures.practice_name, figures.vat_regime,
                               (figures.year, figures.turnover_gross, figures.turnover_net,
                                figures.payments_received), figures.unbilled_amount,
                               figures.overdue_to_receive,
                               (figures.open_to_receive, figures.open_to_refund))

    def show(self, data: Overview) -> None:
        self.data = data
        narrow = self.has_class("-narrow")
        year = data.year
        self._show_figures(data.today, data.practice.name, data.practice.vat_regime,
                           (year.year, year.turnover_gross, year.turnover_net,
                            year.payments_received), data.unbilled_amount,
                           data.overdue_totals.to_receive,
                           (data.open_totals.to_receive, data.open_totals.to_refund),
                           data.working)
        self._fill_sessions(data, narrow)
        self.query_one("#home-unbilled", FitTable).fill(
            (f"c{u.client_id}", (u.client_name, str(u.sessions), money(u.amount)))
            for u in data.unbilled)
        self.query_one("#home-overdue", FitTable).fill(
            (f"i{i.id}", (i.number or "", i.client_name, day(i.due_date), money(i.open))
             if not narrow else (i.number or "", i.client_name, money(i.open)))
            for i in data.overdue)
        self.query_one("#home-packages", FitTable).fill(
            (f"c{p.client_id}", (p.client_name, p.name, f"{p.sessions_used}/{p.sessions_total}",
                                 day(p.expires))
             if not narrow else (p.client_name, f"{p.sessions_used}/{p.sessions_total}",
                                 day(p.expires)))
            for p in data.packages)

    def _show_figures(self, today: date, name: str, regime: str,
                      year: tuple[int, int, int, int], unbilled: int, overdue: int,
                      open_: tuple[int, int], working: str = "") -> None:
        """The lines at the top and the panels' titles; ``year``: the year, its turnover
        gross and net, payments received; ``open_``: to receive, to pay back; ``working``:
        who is working (a group practice only)."""
        line = _("Today is {date} · {name}").format(date=day(today, "long"),
                                                   name=name or _("your practice"))
        if working:
            line += " · " + _("working: {therapist}").format(therapist=working)
        self.query_one("#home-today", Static).update(line)
        line = self._year_line(regime, *year)
        narrow = self.has_class("-narrow")
        self.query_one("#home-year", Static).update(line.replace(" · ", "\n") if narrow else line)
        self.query_one("#unbilled-title", Label).update(
            _("Not yet invoiced: {amount}").format(amount=money(unbilled)))
        self.query_one("#overdue-title", Label).update(
            _("Overdue {amount} · {open}").format(amount=money(overdue),
                                                  open=open_amounts(*open_)))

    def _year_line(self, regime: str, year: int, gross: int, net: int, paid: int) -> str:
        line = _("Turnover {year} so far {gross} (excl. VAT {net}) · received {paid}").format(
            year=year, gross=money(gross), net=money(net), paid=money(paid))
        if regime == VatRegime.KOR:
            share = net * 100 // KOR_LIMIT
            line += "\n" + _("KOR: {turnover} of the {limit} limit ({share}%)").format(
                turnover=money(net), limit=money(KOR_LIMIT), share=share)
            self.query_one("#home-year").set_class(share >= 80, "-warning")
        return line

    def _fill_sessions(self, data: Overview, narrow: bool) -> None:
        rows = []
        for s in data.sessions:
            when = _("today") if s.date == data.today else weekday(s.date)
            what = s.treatment_name if s.status == SessionStatus.GIVEN else (
                f"{s.treatment_name} ({label(SESSION_STATUS, s.status)})")
            cells = (when, s.client_name, paid_by(s)) if narrow else (
                when, s.client_name, what, paid_by(s))
            rows.append((f"c{s.client_id}s{s.id}", cells))
        self.query_one("#home-sessions", FitTable).fill(rows)

    # ------------------------------------------------------------------ jumping in
    @on(FitTable.RowSelected)
    def _open(self, event: FitTable.RowSelected) -> None:
        key = str(event.row_key.value)
        if key.startswith("i"):
            from tui.screens.invoice_page import InvoiceScreen

            self.app.push_screen(InvoiceScreen(int(key[1:])))
        elif event.data_table.id == "home-unbilled":
            from ledger.billing.sessions import create_invoice

            self.act("draft", create_invoice, self.books, int(key[1:]))
        elif event.data_table.id == "home-sessions" and self.data is not None:
            from tui.screens.session_open import open_session

            session_id = int(key.split("s")[1])
            chosen = next((s for s in self.data.sessions if s.id == session_id), None)
            if chosen is not None:
                open_session(self, chosen)
        else:
            from tui.screens.client_page import ClientScreen

            client_id = int(key[1:].split("s")[0])
            self.app.push_screen(ClientScreen(client_id))

    def done_draft(self, invoice: Any) -> None:
        from tui.screens.invoice_page import InvoiceScreen

        self.app.push_screen(InvoiceScreen(invoice.id))
