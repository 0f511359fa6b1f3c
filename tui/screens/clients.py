"""Clients: type to search, Enter for the client's page, a to add one. Pages in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from time import monotonic
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer, Input, Static

from ledger.base.views import ClientInfo
from ledger.books import Books
from tui.i18n import N_, _, n_
from tui.screens.paged import PagedScreen, Row
from tui.widgets.fit_table import Column
from tui.widgets.navbar import NavBar
from tui.widgets.paged_table import PAGE_SIZE, PagedTable


@dataclass(frozen=True)
class Page:
    search: str
    offset: int
    total: int | None
    clients: list[ClientInfo]


def read_page(books: Books, search: str, offset: int, first: bool) -> Page:
    from ledger.practice.clients import count_clients, list_clients

    clients = list_clients(books, search, limit=PAGE_SIZE, offset=offset)
    return Page(search, offset, count_clients(books, search) if first else None, clients)


def row(client: ClientInfo) -> tuple[str, tuple[str, ...]]:
    return str(client.id), (client.name, client.city, client.phone, client.email)


TYPING_GAP = 0.6  # seconds: a letter within this of the last one typed is part of the name


class ClientsScreen(PagedScreen[Page]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", N_("Add client")),
        Binding("slash", "search", N_("Search"), show=False),
        Binding("r", "refresh", N_("Refresh"), show=False),
    ]

    search = ""
    typed_at = 0.0  # when a letter last went to the search box from the list

    def compose(self) -> ComposeResult:
        yield NavBar("clients")
        with Horizontal(classes="filters"):
            yield Input(placeholder=_("Search by name…"), id="client-search", compact=True,
                        select_on_focus=False)
            yield Static("", id="client-count", classes="summary")
        yield PagedTable([
            Column(_("Name"), 14, 3), Column(_("City"), 10, 1), Column(_("Phone"), 12),
            Column(_("E-mail"), 12, 2),
        ], id="client-list", classes="list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(PagedTable).focus()

    def fetch(self, books: Books) -> Page:
        return read_page(books, self.search, 0, first=True)

    def list_key(self) -> str:
        return self.search

    def read_more(self, key: str, offset: int) -> Page:
        return read_page(self.books, key, offset, first=False)

    def page_rows(self, page: Page) -> list[Row]:
        return [row(c) for c in page.clients]

    def show(self, data: Page) -> None:
        if data.search != self.search or data.total is None:
            return
        self.query_one("#client-count", Static).update(
            n_("{count} client", "{count} clients", data.total).format(count=data.total))
        self.table.start(data.total, [row(c) for c in data.clients])

    @on(Input.Changed, "#client-search")
    def _typed(self, event: Input.Changed) -> None:
        self.search = event.value
        self.reload()

    @on(Input.Submitted, "#client-search")
    def _to_list(self) -> None:
        self.typed_at = 0.0  # the name is typed: the list's keys are its own again
        self.table.focus()

    @on(PagedTable.RowSelected)
    def _open(self) -> None:
        key = self.table.selected_key()
        if key is not None:
            from tui.screens.client_page import ClientScreen

            self.app.push_screen(ClientScreen(int(key)))

    def action_search(self) -> None:
        self.query_one("#client-search", Input).focus()

    def on_key(self, event: events.Key) -> None:
        """Typing a name on the list searches: a letter that is no key of the list or of
        the program ("Sanne" -> the search box "Sanne"), and any letter typed right after
        it (a fast typist's "a" arrives before the search box has the focus)."""
        if isinstance(self.focused, Input):  # the search has the focus: the run is over
            self.typed_at = 0.0
            return
        if not (event.character and event.character.isalpha()):
            return
        bound = {b.key for b in (*self.BINDINGS, *self.app.BINDINGS) if isinstance(b, Binding)}
        if event.key in bound and monotonic() - self.typed_at > TYPING_GAP:
            return
        self.typed_at = monotonic()
        search = self.query_one("#client-search", Input)
        search.focus()
        search.insert_text_at_cursor(event.character)
        event.stop()
        event.prevent_default()

    def action_refresh(self) -> None:
        self.reload()

    def action_add(self) -> None:
        from tui.screens.client_form import ClientFormScreen

        def added(client: ClientInfo | None) -> None:
            if client is not None:
                from tui.screens.client_page import ClientScreen

                self.app.push_screen(ClientScreen(client.id))

        self.app.push_screen(ClientFormScreen(None), added)
