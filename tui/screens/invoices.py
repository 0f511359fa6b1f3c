"""Invoices: filter by year and status, see the totals, open one, or draft a new one from a
client's unbilled sessions. The list pages in SQL, so ten years of invoices open at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer, Select, Static

from ledger.base.views import ClientInfo, InvoiceInfo
from ledger.billing.lists import InvoiceTotals
from ledger.books import Books
from tui.i18n import N_, _, day, money, n_
from tui.labels import INVOICE_STATUS, label, open_amounts
from tui.screens.paged import PagedScreen, Row
from tui.widgets.dialogs import PickClientDialog
from tui.widgets.fit_table import Column
from tui.widgets.navbar import NavBar
from tui.widgets.paged_table import PAGE_SIZE, PagedTable

ALL = "all"


@dataclass(frozen=True)
class Filters:
    year: int | None
    status: str | None

    def kwargs(self) -> dict[str, Any]:
        return {"year": self.year, "status": self.status}


@dataclass(frozen=True)
class Page:
    filters: Filters
    offset: int
    totals: InvoiceTotals | None
    years: list[int]
    invoices: list[InvoiceInfo]


def read_page(books: Books, filters: Filters, offset: int, first: bool) -> Page:
    from ledger.billing.lists import invoice_totals, invoice_years
    from ledger.billing.status import list_invoices

    invoices = list_invoices(books, **filters.kwargs(), limit=PAGE_SIZE, offset=offset,
                             newest_first=True)
    totals = invoice_totals(books, **filters.kwargs()) if first else None
    return Page(filters, offset, totals, invoice_years(books) if first else [], invoices)


def row(invoice: InvoiceInfo) -> tuple[str, tuple[str, ...]]:
    number = invoice.number or _("draft #{id}").format(id=invoice.id)
    return str(invoice.id), (number, day(invoice.date), invoice.client_name,
                             money(invoice.total), money(invoice.open),
                             label(INVOICE_STATUS, invoice.status))


class InvoicesScreen(PagedScreen[Page]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", N_("Open"), show=False),
        Binding("d", "draft", N_("Draft from sessions")),
        Binding("h", "app.section('reminders')", N_("Reminders")),
        Binding("y", "focus_year", N_("Year"), show=False),
        Binding("s", "focus_status", N_("Status"), show=False),
        Binding("r", "refresh", N_("Refresh"), show=False),
        Binding("k", "bank", N_("Bank statements")),  # also in the palette
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filters = Filters(self.solebook.clock.today().year, None)

    def compose(self) -> ComposeResult:
        statuses = [(_("All statuses"), ALL)] + [
            (label(INVOICE_STATUS, code), code) for code in INVOICE_STATUS]
        year = str(self.filters.year)
        yield NavBar("invoices")
        with Horizontal(classes="filters"):
            yield Select([(year, year), (_("All years"), ALL)], value=year,
                         allow_blank=False, id="filter-year", compact=True)
            yield Select(statuses, value=ALL, allow_blank=False, id="filter-status",
                         compact=True)
        yield Static("", id="invoice-totals", classes="summary")
        yield PagedTable([
            Column(_("Number"), 10), Column(_("Date"), 10), Column(_("Client"), 12, 1),
            Column(_("Total"), 11, right=True), Column(_("Open"), 11, right=True),
            Column(_("Status"), 11),
        ], id="invoice-list", classes="list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(PagedTable).focus()

    # ------------------------------------------------------------------ loading
    def fetch(self, books: Books) -> Page:
        return read_page(books, self.filters, 0, first=True)

    def list_key(self) -> Filters:
        return self.filters

    def read_more(self, key: Filters, offset: int) -> Page:
        return read_page(self.books, key, offset, first=False)

    def page_rows(self, page: Page) -> list[Row]:
        return [row(i) for i in page.invoices]

    def show(self, data: Page) -> None:
        if data.filters != self.filters or data.totals is None:
            return
        totals = data.totals
        self.query_one("#invoice-totals", Static).update(
            n_("{count} invoice · total {total} · {open}",
               "{count} invoices · total {total} · {open}", totals.count).format(
                count=totals.count, total=money(totals.total),
                open=open_amounts(totals.to_receive, totals.to_refund)))
        self._years(data.years)
        self.table.start(totals.count, [row(i) for i in data.invoices])

    def _years(self, years: list[int]) -> None:
        select = self.query_one("#filter-year", Select)
        options = [(str(y), str(y)) for y in years] + [(_("All years"), ALL)]
        current = str(self.filters.year) if self.filters.year else ALL
        with self.prevent(Select.Changed):
            select.set_options(options)
            select.value = current

    @on(Select.Changed)
    def _filter(self) -> None:
        year = self.query_one("#filter-year", Select).value
        status = self.query_one("#filter-status", Select).value
        self.filters = Filters(int(str(year)) if year not in (ALL, Select.NULL) else None,
                               str(status) if status not in (ALL, Select.NULL) else None)
        self.reload()

    def action_focus_year(self) -> None:
        self.query_one("#filter-year", Select).focus()

    def action_focus_status(self) -> None:
        self.query_one("#filter-status", Select).focus()

    def action_refresh(self) -> None:
        self.reload()

    # ------------------------------------------------------------------ actions
    @on(PagedTable.RowSelected)
    def action_open(self) -> None:
        key = self.table.selected_key()
        if key is not None:
            from tui.screens.invoice_page import InvoiceScreen

            self.app.push_screen(InvoiceScreen(int(key)))

    def action_bank(self) -> None:
        from tui.screens.bank import BankScreen

        self.app.push_screen(BankScreen())

    def action_draft(self) -> None:
        def chosen(client: ClientInfo | None) -> None:
            if client is not None:
                from ledger.billing.sessions import create_invoice

                self.act("draft", create_invoice, self.books, client.id)

        self.app.push_screen(PickClientDialog(
            _("Invoice unbilled sessions"),
            _("Whose sessions? All of the client's sessions not yet invoiced go on the "
              "draft; you review it before issuing.")), chosen)

    def done_draft(self, invoice: InvoiceInfo) -> None:
        from tui.screens.invoice_page import InvoiceScreen

        self.app.push_screen(InvoiceScreen(invoice.id))
