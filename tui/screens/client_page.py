"""A client's page: details, what is still owed, sessions, packages with their balance and
invoices; from here a session is recorded, sessions invoiced or a package sold."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static, TabbedContent, TabPane

from ledger.base.views import ClientInfo, InvoiceInfo, PackageInfo, SessionInfo
from ledger.books import Books
from tui.i18n import N_, _, day, money, n_
from tui.labels import (
    INVOICE_STATUS,
    PACKAGE_STATUS,
    SESSION_STATUS,
    label,
    paid_by,
    series_balance,
)
from tui.screens.base import BooksScreen
from tui.widgets.fit_table import Column, FitTable

SESSION_ROWS = 200


@dataclass(frozen=True)
class ClientData:
    client: ClientInfo
    sessions: list[SessionInfo]
    session_count: int
    packages: list[PackageInfo]
    invoices: list[InvoiceInfo]
    owed: int
    unbilled: int


def read_client(books: Books, client_id: int) -> ClientData:
    from ledger.billing.lists import count_sessions, invoice_totals
    from ledger.billing.packages import list_packages
    from ledger.billing.sessions import list_sessions
    from ledger.billing.status import list_invoices
    from ledger.practice.clients import get_client

    sessions = list_sessions(books, client_id, limit=SESSION_ROWS, newest_first=True)
    unbilled = list_sessions(books, client_id, unbilled=True)
    return ClientData(
        client=get_client(books, client_id),
        sessions=sessions,
        session_count=count_sessions(books, client_id),
        packages=list(reversed(list_packages(books, client_id))),
        invoices=list_invoices(books, client_id=client_id, newest_first=True),
        owed=invoice_totals(books, client_id=client_id, kind="invoice",
                            include_drafts=False).to_receive,
        unbilled=sum(s.billable_amount for s in unbilled),
    )


class ClientScreen(BooksScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "session", N_("Session")),
        Binding("f", "invoice", N_("Bill")),
        Binding("v", "sell", N_("Sell package")),
        Binding("e", "edit", N_("Edit")),
        Binding("t", "statement", N_("Year statement")),
        Binding("p", "notes", N_("Private notes")),
        Binding("a", "book", N_("Appointment")),
        Binding("s", "plan", N_("Plan the series")),
        Binding("escape", "back", N_("Back"), show=False),
    ]

    data: ClientData | None = None

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id

    def compose(self) -> ComposeResult:
        yield Static(_("Client"), id="client-title", classes="form-title")
        yield Static("", id="client-details", classes="summary")
        yield Static("", id="client-owed", classes="summary")
        with TabbedContent(id="client-tabs"):
            with TabPane(_("Sessions"), id="tab-sessions"):
                yield FitTable([Column(_("Date"), 10), Column(_("Treatment"), 12, 1),
                                Column(_("Status"), 10), Column(_("Price"), 11, right=True),
                                Column(_("Paid by"), 12)], id="client-sessions")
            with TabPane(_("Packages"), id="tab-packages"):
                yield FitTable([Column(_("Package"), 12, 1), Column(_("Sold"), 10),
                                Column(_("Balance"), 14), Column(_("Expires"), 10),
                                Column(_("Status"), 10)], id="client-packages")
            with TabPane(_("Invoices"), id="tab-invoices"):
                yield FitTable([Column(_("Number"), 10), Column(_("Date"), 10),
                                Column(_("Total"), 11, right=True),
                                Column(_("Open"), 11, right=True), Column(_("Status"), 11)],
                               id="client-invoices")
        yield Footer(compact=True)

    def fetch(self, books: Books) -> ClientData:
        return read_client(books, self.client_id)

    def show(self, data: ClientData) -> None:
        self.data = data
        c = data.client
        archived = _(" (archived)") if c.archived else ""
        self.query_one("#client-title", Static).update(f"{c.name}{archived}")
        address = ", ".join(x for x in (c.address, f"{c.postcode} {c.city}".strip()) if x)
        contact = " · ".join(x for x in (c.phone, c.email) if x)
        born = _("born {date}").format(date=day(c.birth_date)) if c.birth_date else ""
        self.query_one("#client-details", Static).update(
            "\n".join(x for x in (address, " · ".join(y for y in (contact, born) if y)) if x))
        self.query_one("#client-owed", Static).update(
            n_("Still owed {owed} · not yet invoiced {unbilled} · {count} session",
               "Still owed {owed} · not yet invoiced {unbilled} · {count} sessions",
               data.session_count).format(
                owed=money(data.owed), unbilled=money(data.unbilled),
                count=data.session_count))
        self.query_one("#client-sessions", FitTable).fill(
            (str(s.id), (day(s.date), s.treatment_name, label(SESSION_STATUS, s.status),
                         money(s.charge), paid_by(s)))
            for s in data.sessions)
        self.query_one("#client-packages", FitTable).fill(
            (str(p.id), (p.name, day(p.sold_on), series_balance(p), day(p.expires),
                         label(PACKAGE_STATUS, p.status)))
            for p in data.packages)
        self.query_one("#client-invoices", FitTable).fill(
            (str(i.id), (i.number or _("draft #{id}").format(id=i.id), day(i.date),
                         money(i.total), money(i.open), label(INVOICE_STATUS, i.status)))
            for i in data.invoices)

    @on(FitTable.RowSelected, "#client-sessions")
    def _open_session(self, event: FitTable.RowSelected) -> None:
        from tui.screens.session_open import open_session

        key = int(str(event.row_key.value))
        chosen = next((s for s in self.data.sessions if s.id == key), None) if self.data else None
        if chosen is not None:
            open_session(self, chosen)

    @on(FitTable.RowSelected, "#client-invoices")
    def _open_invoice(self, event: FitTable.RowSelected) -> None:
        from tui.screens.invoice_page import InvoiceScreen

        self.app.push_screen(InvoiceScreen(int(str(event.row_key.value))))

    def action_session(self) -> None:
        from tui.screens.session_form import SessionScreen

        self.app.push_screen(SessionScreen(client_id=self.client_id))

    def action_book(self) -> None:
        from tui.screens.agenda_dialogs import BookDialog

        self.app.push_screen(BookDialog(on=self.solebook.clock.today(), at=None,
                                        client_id=self.client_id), self._booked)

    def _booked(self, outcome: object) -> None:
        if outcome is not None:
            self.reload()

    def action_plan(self) -> None:
        """The series under the cursor on the Packages tab, else the newest active one."""
        from ledger.base.codes import PackageStatus
        from tui.screens.agenda_series import SeriesPlanDialog

        if self.data is None:
            return
        active = [p for p in self.data.packages if p.status == PackageStatus.ACTIVE]
        tabs = self.query_one("#client-tabs", TabbedContent)
        key = (self.query_one("#client-packages", FitTable).selected_key()
               if tabs.active == "tab-packages" else None)
        chosen = next((p for p in active if str(p.id) == key), active[0] if active else None)
        if chosen is None:
            self.notify(_("This client has no active series to plan."), severity="warning")
            return
        self.app.push_screen(SeriesPlanDialog(chosen), self._booked)

    def action_invoice(self) -> None:
        from ledger.billing.sessions import create_invoice

        self.act("draft", create_invoice, self.books, self.client_id)

    def done_draft(self, invoice: InvoiceInfo) -> None:
        from tui.screens.invoice_page import InvoiceScreen

        self.app.push_screen(InvoiceScreen(invoice.id))

    def action_sell(self) -> None:
        from tui.screens.packages import SellDialog

        if self.data is not None:
            self.app.push_screen(SellDialog(self.data.client))

    def action_edit(self) -> None:
        from tui.screens.client_form import ClientFormScreen

        if self.data is not None:
            self.app.push_screen(ClientFormScreen(self.data.client))

    def action_notes(self) -> None:
        from tui.screens.client_notes import NotesScreen

        self.app.push_screen(NotesScreen(self.client_id))

    def action_statement(self) -> None:
        self.act("file", self._statement, self.books, self.client_id,
                 self.solebook.clock.today().year)

    def _statement(self, books: Books, client_id: int, year: int) -> tuple[Path, bool]:
        from invoices.steps.statements import client_statement_file

        path = client_statement_file(books, client_id, year).path
        return path, self.solebook.viewer(path)

    def action_back(self) -> None:
        self.dismiss()

    def worker_failed(self, worker: Any) -> None:
        """Nothing to undo: the page shows what is stored."""
