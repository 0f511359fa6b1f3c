"""The books as a bookkeeper reads them: the trial balance (proefbalans) of a year and the
card (grootboekkaart) of each account, every line with its document.

Opened from the year screen (key g). The trial balance has a row per account (opening,
debit, credit, closing, RGS code); Enter opens the highlighted account's card, a list that
loads its lines a page at a time as the cursor nears the end; e changes the account's name
or RGS code for this practice. Both are read in a worker
from ``ledger.journals.trial_balance``, the same as ``solebook report ledger``.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Label, Static

from ledger.base.forms import Field
from ledger.books import Books
from ledger.journals.chart import Account
from ledger.journals.trial_balance import AccountRow, CardLine, CardPage, TrialBalance
from tui.i18n import N_, _, day, language, money, n_, translate_bindings
from tui.screens.paged import PagedScreen, Row
from tui.screens.year_list import YEAR_KEYS, YearListScreen
from tui.widgets.dialogs import DIALOG_CSS, FormDialog
from tui.widgets.fit_table import Column, FitTable
from tui.widgets.form import FieldForm, form_field
from tui.widgets.paged_table import PAGE_SIZE, PagedTable


def read_trial_balance(books: Books, year: int) -> TrialBalance:
    from ledger.journals.trial_balance import trial_balance

    return trial_balance(books, year)


class AccountDialog(FormDialog):
    """An account's name and RGS code for this practice; empty goes back to the default
    (``ledger.journals.chart.change_account``, as ``solebook chart set``)."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "AccountDialog")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", N_("Cancel")),
                Binding("ctrl+s", "save", N_("Save"), priority=True)]

    def __init__(self, account: AccountRow) -> None:
        super().__init__()
        self.account = account
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        from ledger.base.parse import parse_name
        from ledger.journals.chart import parse_rgs

        name = Field(_("Name"), lambda raw, label: parse_name(raw, label), blank="")
        rgs = Field(_("RGS code"), parse_rgs, blank="")
        with Vertical():
            yield Label(_("Account {code}").format(code=self.account.code), classes="title")
            with FieldForm():
                yield form_field("name", _("Name"), name, self.account.name)
                yield form_field("rgs", _("RGS code"), rgs, self.account.rgs)
            yield Label(_("Leave a field empty for the standard name or code."),
                        classes="body")
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Save"), id="confirm", variant="primary")
        yield Footer(compact=True)


class TrialBalanceScreen(YearListScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "card", N_("Account card")),
        Binding("e", "edit", N_("Name and RGS code")),
        *YEAR_KEYS,
    ]

    data: TrialBalance | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="ledger-title", classes="form-title")
        yield Static("", id="ledger-summary", classes="summary")
        with Vertical(classes="panel"):
            yield FitTable([Column(_("Account"), 7), Column(_("Name"), 16, flex=2),
                            Column(_("RGS code"), 10),
                            Column(_("Opening"), 12, right=True),
                            Column(_("Debit"), 12, right=True),
                            Column(_("Credit"), 12, right=True),
                            Column(_("Closing"), 12, right=True)], id="ledger-table")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(FitTable).focus()

    def fetch(self, books: Books) -> TrialBalance:
        return read_trial_balance(books, self.year)

    def show(self, data: TrialBalance) -> None:
        if data.year != self.year:
            return
        self.data = data
        self.query_one("#ledger-title", Static).update(
            _("Trial balance {year}").format(year=data.year))
        entries = sum(j.entries for j in data.journals)
        self.query_one("#ledger-summary", Static).update(
            n_("{count} entry · debit {debit} · credit {credit}",
               "{count} entries · debit {debit} · credit {credit}", entries).format(
                count=entries, debit=money(data.debit), credit=money(data.credit)))
        table = self.query_one(FitTable)
        kept = table.selected_key()  # back from a card or the dialog: stay on the account
        table.fill(
            (a.code, (a.code, a.name, a.rgs, money(a.opening), money(a.debit),
                      money(a.credit), money(a.closing)))
            for a in data.accounts)
        codes = [a.code for a in data.accounts]
        if kept in codes:
            self.call_after_refresh(table.move_cursor, row=codes.index(kept), animate=False)

    def records(self) -> list[object]:
        return []

    def action_edit(self) -> None:
        code = self.query_one(FitTable).selected_key()
        row = self.data.row(code) if self.data is not None and code is not None else None
        if row is None:
            return

        def answer(values: dict[str, str] | None) -> None:
            if values is not None:
                from ledger.journals.chart import change_account

                self.act("changed", change_account, self.books, row.code,
                         name=values["name"], rgs=values["rgs"])

        self.app.push_screen(AccountDialog(row), answer)

    def done_changed(self, account: Account) -> None:
        self.notify(_("Account {code} {name}: RGS code {rgs}.").format(
            code=account.code, name=account.name, rgs=account.rgs))
        self.reload()

    @on(DataTable.RowSelected)
    def action_card(self) -> None:
        code = self.query_one(FitTable).selected_key()
        if code is not None:
            self.app.push_screen(AccountCardScreen(self.year, code))


def card_row(index: int, line: CardLine) -> Row:
    return str(index), (day(line.date), line.journal, line.document, line.description,
                        money(line.debit) if line.debit else "",
                        money(line.credit) if line.credit else "", money(line.balance))


class AccountCardScreen(PagedScreen[CardPage]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Back")),
        Binding("r", "refresh", N_("Refresh"), show=False),
    ]

    def __init__(self, year: int, code: str) -> None:
        super().__init__()
        self.year = year
        self.code = code

    def compose(self) -> ComposeResult:
        yield Static("", id="card-title", classes="form-title")
        yield Static("", id="card-summary", classes="summary")
        yield PagedTable([
            Column(_("Date"), 10), Column(_("Journal"), 7), Column(_("Document"), 10, 1),
            Column(_("Description"), 20, 3), Column(_("Debit"), 11, right=True),
            Column(_("Credit"), 11, right=True), Column(_("Balance"), 11, right=True),
        ], id="card-list", classes="list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.table.focus()

    def fetch(self, books: Books) -> CardPage:
        from ledger.journals.trial_balance import card_page

        return card_page(books, self.year, self.code, 0, PAGE_SIZE, language())

    def show(self, data: CardPage) -> None:
        account = data.account
        if account is None:
            return
        self.query_one("#card-title", Static).update(
            _("Account card {code} {name}, {year}").format(
                code=account.code, name=account.name, year=self.year))
        self.query_one("#card-summary", Static).update(
            _("RGS {rgs} · opening {opening} · debit {debit} · credit {credit} · "
              "closing {closing}").format(
                rgs=account.rgs, opening=money(account.opening), debit=money(account.debit),
                credit=money(account.credit), closing=money(account.closing)))
        self.table.start(data.total, [card_row(i, line)
                                 for i, line in enumerate(data.lines, start=data.offset)])

    def read_more(self, key: None, offset: int) -> CardPage:
        from ledger.journals.trial_balance import card_page

        return card_page(self.books, self.year, self.code, offset, PAGE_SIZE, language())

    def page_rows(self, page: CardPage) -> list[Row]:
        return [card_row(i, line) for i, line in enumerate(page.lines, start=page.offset)]

    def action_refresh(self) -> None:
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)
