"""The practice's costs of a year, and the form to record one (with its receipt).

Opened from the year screen (key c). The list and its totals are read in a worker; the
form checks every field with the books' own parsers (``ledger.costs.entries.COST_FIELDS``), the
same as ``solebook cost add``, and stores the cost and its receipt copy in one action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Static

from ledger.books import Books
from ledger.costs.entries import COST_FIELDS, CategoryInfo, CostInfo
from tui.i18n import N_, _, day, money
from tui.screens.base import BooksScreen
from tui.screens.form_screen import FormScreen, SaveCall
from tui.widgets.fit_table import Column, FitTable
from tui.widgets.form import FieldForm, form_field

METHODS = (("bank", N_("Bank transfer")), ("pin", N_("Debit card (pin)")),
           ("card", N_("Credit card")), ("cash", N_("Cash")), ("other", N_("Other")))


@dataclass(frozen=True)
class YearCosts:
    year: int
    costs: list[CostInfo]
    categories: list[CategoryInfo]


def read_costs(books: Books, year: int) -> YearCosts:
    from ledger.costs.entries import list_categories, list_costs

    return YearCosts(year, list_costs(books, year), list_categories(books))


class CostsScreen(BooksScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", N_("New cost")),
        Binding("minus", "year(-1)", N_("Previous year"), key_display="-"),
        Binding("plus,equals_sign", "year(1)", N_("Next year"), key_display="+"),
        Binding("escape", "close", N_("Back")),
    ]

    data: YearCosts | None = None

    def __init__(self, year: int) -> None:
        super().__init__()
        self.year = year

    def compose(self) -> ComposeResult:
        yield Static("", id="costs-title", classes="form-title")
        yield Static("", id="costs-summary", classes="summary")
        with Vertical(classes="panel"):
            yield FitTable([Column(_("Date"), 10), Column(_("Supplier"), 14, flex=2),
                            Column(_("Category"), 14, flex=1),
                            Column(_("incl. VAT"), 11, right=True),
                            Column(_("VAT"), 10, right=True), Column(_("Receipt"), 7)],
                           id="costs-table")
        yield Footer()

    def fetch(self, books: Books) -> YearCosts:
        return read_costs(books, self.year)

    def show(self, data: YearCosts) -> None:
        if data.year != self.year:
            return
        self.data = data
        self.query_one("#costs-title", Static).update(
            _("Costs {year}").format(year=data.year))
        amount = sum(c.amount for c in data.costs)
        vat = sum(c.vat for c in data.costs)
        self.query_one("#costs-summary", Static).update(
            _("{count} costs · {amount} incl. VAT · VAT {vat}").format(
                count=len(data.costs), amount=money(amount), vat=money(vat)))
        self.query_one(FitTable).fill(
            (str(c.id), (day(c.date), c.supplier, c.category_name, money(c.amount),
                         money(c.vat), _("yes") if c.receipt_path else ""))
            for c in data.costs)

    def action_year(self, step: int) -> None:
        self.year += step
        self.reload()

    def action_add(self) -> None:
        if self.data is None:
            return

        def added(cost: CostInfo | None) -> None:
            if cost is not None:
                self.year = cost.date.year
                self.reload()

        self.app.push_screen(CostFormScreen(self.data.categories, self.year), added)

    def action_close(self) -> None:
        self.dismiss(None)


class CostFormScreen(FormScreen[CostInfo]):
    def __init__(self, categories: list[CategoryInfo], year: int) -> None:
        super().__init__()
        self.categories = categories
        self.year = year

    def compose(self) -> ComposeResult:
        today = self.solebook.clock.today()
        when = day(today) if today.year == self.year else ""
        yield Static(_("New cost"), classes="form-title")
        with VerticalScroll(classes="form-scroll"), FieldForm(id="cost-form"):
            with Horizontal(classes="form-columns"):
                yield form_field("date", _("Date"), COST_FIELDS["date"], when,
                                 placeholder="dd-mm-jjjj")
                yield form_field("supplier", _("Supplier"), COST_FIELDS["supplier"])
            yield form_field("description", _("Description"), COST_FIELDS["description"],
                             optional=True)
            yield form_field("category", _("Category"), None,
                             choices=[(c.name, c.key) for c in self.categories])
            with Horizontal(classes="form-columns"):
                yield form_field("amount", _("Amount incl. VAT"), COST_FIELDS["amount"])
                yield form_field("vat_rate", _("VAT rate (%)"), COST_FIELDS["vat_rate"], "21",
                                 optional=True)
                yield form_field("vat", _("or VAT amount"), COST_FIELDS["vat"],
                                 optional=True)
            yield form_field("method", _("Paid by"), None, "bank",
                             choices=[(_(label), key) for key, label in METHODS])
            yield form_field("receipt", _("Receipt file (copied into the books)"), None,
                             optional=True, placeholder="~/Downloads/bon.pdf")
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Close"), id="close")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#field-date").focus()

    def save_call(self) -> SaveCall:
        from ledger.costs.entries import add_cost

        values = {k: v for k, v in self.form.values().items() if v and v.strip()}
        if "vat" in values:
            values.pop("vat_rate", None)  # the VAT on the receipt wins over the rate
        return add_cost, (self.books, values)

    def saved_text(self, result: CostInfo) -> str:
        return _("Cost of {amount} from {supplier} saved.").format(
            amount=money(result.amount), supplier=result.supplier)
