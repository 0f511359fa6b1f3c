"""The practice's costs of a year, and the form to record one (with its receipt).

Opened from the year screen (key c). The list and its totals are read in a worker; the
form checks every field with the books' own parsers (``ledger.costs.entries.COST_FIELDS``), the
same as ``solebook cost add``, and stores the cost and its receipt copy in one action. Enter
(or e) changes the cost under the cursor with the same checks, d removes it after asking,
k opens the kilometre log of the year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Static

from ledger.books import Books
from ledger.costs.entries import COST_FIELDS, CategoryInfo, CostInfo
from tui.i18n import N_, _, amount_input, day, money, n_
from tui.screens.form_screen import FormScreen, SaveCall
from tui.screens.year_list import YEAR_KEYS, YearListScreen
from tui.widgets.dialogs import ConfirmDialog
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


class CostsScreen(YearListScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", N_("New cost")),
        Binding("e", "edit", N_("Edit")),
        Binding("d", "delete", N_("Delete")),
        Binding("k", "kilometres", N_("Kilometres")),
        *YEAR_KEYS,
    ]

    data: YearCosts | None = None

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
            n_("{count} cost · {amount} incl. VAT · VAT {vat}",
               "{count} costs · {amount} incl. VAT · VAT {vat}", len(data.costs)).format(
                count=len(data.costs), amount=money(amount), vat=money(vat)))
        self.query_one(FitTable).fill(
            (str(c.id), (day(c.date), c.supplier, c.category_name, money(c.amount),
                         money(c.vat), _("yes") if c.receipt_path else ""))
            for c in data.costs)

    def action_add(self) -> None:
        if self.data is not None:
            self.app.push_screen(CostFormScreen(self.data.categories, self.year), self._stored)

    def records(self) -> Sequence[Any]:
        return self.data.costs if self.data is not None else []

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        cost = self._selected()
        if cost is not None and self.data is not None:
            self.app.push_screen(CostFormScreen(self.data.categories, self.year, cost),
                                 self._stored)

    def action_delete(self) -> None:
        cost = self._selected()
        if cost is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                from ledger.costs.editing import delete_cost

                self.act("deleted", delete_cost, self.books, cost.id)

        self.app.push_screen(ConfirmDialog(
            _("Delete this cost?"),
            _("{date}, {supplier}, {amount}. It is removed from the books, with its receipt "
              "copy.").format(date=day(cost.date), supplier=cost.supplier,
                              amount=money(cost.amount)),
            _("Delete"), danger=True), answer)

    def done_deleted(self, cost: CostInfo) -> None:
        self.notify(_("Cost of {amount} from {supplier} deleted.").format(
            amount=money(cost.amount), supplier=cost.supplier))
        self.reload()

    def action_kilometres(self) -> None:
        from tui.screens.kilometres import KilometresScreen

        self.app.push_screen(KilometresScreen(self.year))


def cost_values(cost: CostInfo | None) -> dict[str, str]:
    """What the form shows for a recorded cost (as she would type it)."""
    if cost is None:
        return {"vat_rate": "21", "method": "bank"}
    rate = format(cost.vat_rate.normalize(), "f").replace(".", ",") if cost.vat_rate else ""
    return {"date": day(cost.date), "supplier": cost.supplier,
            "description": cost.description, "category": cost.category_key,
            "amount": amount_input(cost.amount), "vat_rate": rate,
            "vat": "" if cost.vat_rate is not None else amount_input(cost.vat),
            "method": cost.method}


class CostFormScreen(FormScreen[CostInfo]):
    def __init__(self, categories: list[CategoryInfo], year: int,
                 cost: CostInfo | None = None) -> None:
        super().__init__()
        self.categories = categories
        self.year = year
        self.cost = cost

    def compose(self) -> ComposeResult:
        today = self.solebook.clock.today()
        values = cost_values(self.cost)
        if self.cost is None and today.year == self.year:
            values["date"] = day(today)
        categories = [(c.name, c.key) for c in self.categories]
        if self.cost is not None and self.cost.category_key not in {k for _n, k in categories}:
            categories.append((self.cost.category_name, self.cost.category_key))
        receipt = (_("Receipt file (copied into the books)") if self.cost is None
                   or not self.cost.receipt_path else
                   _("Another receipt file (empty: keep the one it has)"))
        yield Static(_("New cost") if self.cost is None else _("Change cost"),
                     classes="form-title")
        with VerticalScroll(classes="form-scroll"), FieldForm(id="cost-form"):
            with Horizontal(classes="form-columns"):
                yield form_field("date", _("Date"), COST_FIELDS["date"],
                                 values.get("date", ""), placeholder="dd-mm-jjjj")
                yield form_field("supplier", _("Supplier"), COST_FIELDS["supplier"],
                                 values.get("supplier", ""))
            yield form_field("description", _("Description"), COST_FIELDS["description"],
                             values.get("description", ""), optional=True)
            yield form_field("category", _("Category"), None, values.get("category", ""),
                             choices=categories)
            with Horizontal(classes="form-columns"):
                yield form_field("amount", _("Amount incl. VAT"), COST_FIELDS["amount"],
                                 values.get("amount", ""))
                yield form_field("vat_rate", _("VAT rate (%)"), COST_FIELDS["vat_rate"],
                                 values["vat_rate"], optional=True)
                yield form_field("vat", _("or VAT amount"), COST_FIELDS["vat"],
                                 values.get("vat", ""), optional=True)
            yield form_field("method", _("Paid by"), None, values["method"],
                             choices=[(_(label), key) for key, label in METHODS])
            yield form_field("receipt", receipt, None, optional=True,
                             placeholder="~/Downloads/bon.pdf")
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Close"), id="close")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#field-date").focus()

    def save_call(self) -> SaveCall:
        from ledger.costs.editing import update_cost
        from ledger.costs.entries import add_cost

        values = {k: v for k, v in self.form.values().items() if v and v.strip()}
        if "vat" in values:
            values.pop("vat_rate", None)  # the VAT on the receipt wins over the rate
        if self.cost is not None:
            return update_cost, (self.books, self.cost.id, values)
        return add_cost, (self.books, values)

    def saved_text(self, result: CostInfo) -> str:
        return _("Cost of {amount} from {supplier} saved.").format(
            amount=money(result.amount), supplier=result.supplier)
