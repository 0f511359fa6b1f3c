"""The audit log: every change to the books, newest first, read a page at a time.

Opened from the settings screen (ctrl+l) or the command palette. The log is append-only;
this screen only reads it (``ledger.privacy.audit_log.list_entries`` / ``count_entries``).
Health-note texts never enter the log, so nothing private shows here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

from ledger.books import Books
from ledger.privacy.audit_log import AuditView
from tui.i18n import N_, _, n_
from tui.screens.paged import PagedScreen, Row
from tui.widgets.fit_table import Column
from tui.widgets.paged_table import PAGE_SIZE, PagedTable

ACTIONS = {"insert": N_("added"), "update": N_("changed"), "delete": N_("removed")}
# The kinds of record the log names (their tables); an unknown one shows as stored.
RECORDS = {
    "client": N_("client"), "health_note": N_("private note"), "treatment": N_("treatment"),
    "package_plan": N_("series"), "package": N_("package"),
    "treatment_session": N_("session"), "invoice_sequence": N_("invoice numbering"),
    "invoice": N_("invoice"), "invoice_line": N_("invoice line"), "payment": N_("payment"),
    "practice": N_("practice"), "therapist": N_("therapist"), "setting": N_("setting"),
    "cost": N_("cost"), "cost_category": N_("cost category"), "km_trip": N_("trip"),
    "document": N_("document"), "bank_import": N_("bank statement"),
    "bank_line": N_("bank line"), "bank_match": N_("bank booking"),
    "reminder": N_("reminder"), "mail_log": N_("e-mail sent"),
}


@dataclass(frozen=True)
class AuditPage:
    offset: int
    entries: list[AuditView]
    total: int | None
    roles: bool = False  # (first page) some entries name their database role


def read_page(books: Books, offset: int, *, first: bool) -> AuditPage:
    from ledger.privacy.audit_log import count_entries, has_db_roles, list_entries

    entries = list_entries(books, PAGE_SIZE, offset)
    if not first:
        return AuditPage(offset, entries, None)
    return AuditPage(offset, entries, count_entries(books), has_db_roles(books))


def columns(roles: bool) -> list[Column]:
    """The list's columns; with ``roles`` the database role (PostgreSQL) after "From"."""
    return [Column(_("When"), 16), Column(_("From"), 5),
            *([Column(_("Database role"), 8)] if roles else []),
            Column(_("What"), 10), Column(_("Record"), 14, 1), Column(_("Change"), 20, 3)]


def row(entry: AuditView, roles: bool = False) -> tuple[str, tuple[str, ...]]:
    return str(entry.id), (entry.at.strftime("%d-%m-%Y %H:%M"), entry.interface,
                           *((entry.db_role,) if roles else ()),
                           _(ACTIONS.get(entry.action, entry.action)),
                           f"{_(RECORDS.get(entry.entity, entry.entity))} {entry.entity_id}",
                           entry.summary)


class AuditScreen(PagedScreen[AuditPage]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Back")),
        Binding("r", "refresh", N_("Refresh"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[str, AuditView] = {}
        self.roles = False

    def compose(self) -> ComposeResult:
        yield Static(_("Audit log"), classes="form-title")
        yield Static("", id="audit-count", classes="summary")
        yield PagedTable(columns(False), id="audit-list", classes="list")
        yield Static("", id="audit-detail", classes="hint", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.table.focus()

    def fetch(self, books: Books) -> AuditPage:
        return read_page(books, 0, first=True)

    def show(self, data: AuditPage) -> None:
        total = data.total or 0
        self.entries = {str(e.id): e for e in data.entries}
        if data.roles != self.roles:
            self.roles = data.roles
            self.table.set_columns(columns(self.roles))
        self.query_one("#audit-count", Static).update(
            n_("{count} change recorded", "{count} changes recorded", total).format(
                count=total))
        self.table.start(total, [row(e, self.roles) for e in data.entries])
        self._detail()

    def read_more(self, key: None, offset: int) -> AuditPage:
        return read_page(self.books, offset, first=False)

    def page_rows(self, page: AuditPage) -> list[Row]:
        self.entries.update({str(e.id): e for e in page.entries})  # for the detail line
        return [row(e, self.roles) for e in page.entries]

    @on(PagedTable.RowHighlighted)
    def _detail(self) -> None:
        key = self.table.selected_key()
        entry = self.entries.get(key) if key else None
        self.query_one("#audit-detail", Static).update(entry.summary if entry else "")

    def action_refresh(self) -> None:
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)
