"""The books as a bookkeeper reads them: the trial balance (proefbalans) of a year and the
card (grootboekkaart) of each account, every line with its document.

Opened from the year screen (key g). The trial balance has a row per account (opening,
debit, credit, closing, RGS code); Enter opens the highlighted account's card, a list that
loads its lines a page at a time as the cursor nears the end. Both are read in a worker
from ``ledger.journals.trial_balance``, the same as ``solebook report ledger``.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from ledger.books import Books
from ledger.journals.trial_balance import CardLine, CardPage, TrialBalance
from tui.i18n import N_, _, day, money, n_
from tui.screens.paged import PagedScreen, Row
from tui.screens.year_list import YEAR_KEYS, YearListScreen
from tui.widgets.fit_table import Column, FitTable
from tui.widgets.paged_table import PAGE_SIZE, PagedTable


def read_trial_balance(books: Books, year: int) -> TrialBalance:
    from ledger.journals.trial_balance import trial_balance

    return trial_balance(books, year)


class TrialBalanceScreen(YearListScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "card", N_("Account card")),
        *YEAR_KEYS,
    ]

    data: TrialBalance | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="ledger-title", classes="form-title")
        yield Static("", id="ledger-summary", classes="summary")
        with Vertical(classes="panel"):
            yield FitTable([Column(_("Account"), 7), Column(_("Name"), 16, flex=2),
                            Column(_("RGS code"), 10),
                            Column(_("Opening"), 11, right=True),
                            Column(_("Debit"), 11, right=True),
                            Column(_("Credit"), 11, right=True),
                            Column(_("Closing"), 11, right=True)], id="ledger-table")
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
        self.query_one(FitTable).fill(
            (a.code, (a.code, a.name, a.rgs, money(a.opening), money(a.debit),
                      money(a.credit), money(a.closing)))
            for a in data.accounts)

    def records(self) -> list[object]:
        return []

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

        return card_page(books, self.year, self.code, 0, PAGE_SIZE)

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

        return card_page(self.books, self.year, self.code, offset, PAGE_SIZE)

    def page_rows(self, page: CardPage) -> list[Row]:
        return [card_row(i, line) for i, line in enumerate(page.lines, start=page.offset)]

    def action_refresh(self) -> None:
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)
