"""The year's figures: turnover by month and quarter, VAT, received and still open, costs,
result, prepaid sessions and hours, with a small chart; the year's costs (key c); the trial
balance and account cards (key g); and the
export for the bookkeeper (the tax-year folder and zip)."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Label, Sparkline, Static

from ledger.books import Books
from ledger.yearend.figures import YearEnd
from tui.i18n import N_, _, money, n_, quantity
from tui.labels import open_amounts
from tui.screens.base import BooksScreen
from tui.screens.year_export import ExportDialog
from tui.widgets.fit_table import Column, FitTable
from tui.widgets.navbar import NavBar


def month_name(month: int) -> str:
    from babel.dates import format_date

    from ledger.base.money import babel_locale
    from tui.i18n import language

    return format_date(date(2000, month, 1), "MMM", locale=babel_locale(language())).rstrip(".")


def read_year(books: Books, year: int) -> YearEnd:
    from ledger.yearend.figures import year_end

    return year_end(books, year)


def kor_warning(figures: YearEnd) -> tuple[str, ...]:
    kor = figures.kor
    if kor.over_limit:
        return (_("Turnover is over the KOR limit of {limit}").format(limit=money(kor.limit)),)
    if kor.applies and kor.near_limit:
        return (_("Turnover is near the KOR limit of {limit}").format(limit=money(kor.limit)),)
    return ()


class YearScreen(BooksScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("minus", "year(-1)", N_("Previous year"), key_display="-"),
        Binding("plus,equals_sign", "year(1)", N_("Next year"), key_display="+"),
        Binding("e", "export", N_("Export year")),
        Binding("c", "costs", N_("Costs")),
        Binding("t", "therapists", N_("Figures per therapist"), show=False),
        Binding("g", "ledger", N_("Trial balance")),
        Binding("r", "refresh", N_("Refresh"), show=False),
    ]

    data: YearEnd | None = None
    therapists = 1  # how many work in the practice (read with the figures)

    def __init__(self) -> None:
        super().__init__()
        self.year = self.solebook.clock.today().year

    def compose(self) -> ComposeResult:
        yield NavBar("year")
        yield Static("", id="year-title", classes="form-title")
        yield Static("", id="year-summary", classes="summary")
        yield Label(_("Turnover per month (incl. VAT)"), classes="field-label")
        yield Sparkline([0] * 12, id="year-chart")
        with Horizontal(id="year-tables"):
            with Vertical(classes="panel"):
                yield FitTable(id="year-months")
            with Vertical(classes="panel"):
                yield FitTable(id="year-quarters")
        yield Footer(compact=True)

    def on_resize(self) -> None:
        narrow = self.size.width < 100
        if narrow != self.has_class("-narrow") or not self.query_one("#year-months",
                                                                      FitTable).spec:
            self.set_class(narrow, "-narrow")
            amount = [Column(_("excl. VAT"), 11, right=True), Column(_("VAT"), 10, right=True),
                      Column(_("incl. VAT"), 11, right=True)]
            months = [Column(_("Month"), 5), *(amount[2:] if narrow else amount)]
            self.query_one("#year-months", FitTable).set_columns(months)
            self.query_one("#year-quarters", FitTable).set_columns(
                [Column(_("Quarter"), 7), *(amount[:2] if narrow else amount)])
            if self.data is not None:
                self.show(self.data)

    def fetch(self, books: Books) -> YearEnd:
        from ledger.practice.therapists import list_therapists

        self.therapists = len(list_therapists(books, include_archived=True))
        return read_year(books, self.year)

    def show(self, figures: YearEnd) -> None:
        if figures.year != self.year:
            return
        self.data = figures
        data = figures.totals
        narrow = self.has_class("-narrow")
        self.query_one("#year-title", Static).update(
            _("The year {year}").format(year=data.year))
        self.query_one("#year-summary", Static).update("\n".join((
            _("Turnover {gross} · excl. VAT {net} · VAT {vat}").format(
                gross=money(data.turnover_gross), net=money(data.turnover_net),
                vat=money(data.vat)),
            _("Received {paid} · on 31 December {open}").format(
                paid=money(data.payments_received),
                open=open_amounts(data.open_at_year_end, data.to_refund_at_year_end)),
            _("{invoices} and {credits} issued").format(
                invoices=n_("{count} invoice", "{count} invoices", data.invoices_issued).format(
                    count=data.invoices_issued),
                credits=n_("{count} credit note", "{count} credit notes",
                           data.credit_notes_issued).format(count=data.credit_notes_issued)),
            _("Costs {costs} (excl. deductible VAT) · kilometres {km} · result {result}").format(
                costs=money(figures.costs_expense), km=money(figures.km_amount),
                result=money(figures.result)),
            _("Prepaid sessions not yet given at year end: {n}, worth {value}").format(
                n=figures.sessions_left, value=money(figures.liability)),
            n_("{sessions} session given · {hours} hours of treatment",
               "{sessions} sessions given · {hours} hours of treatment",
               figures.sessions_given).format(
                sessions=figures.sessions_given, hours=quantity(figures.treatment_hours)),
            *kor_warning(figures),
            *((_("Figures per therapist: key t"),) if self.therapists > 1 else ()),
        )))
        self.query_one(Sparkline).data = [max(p.gross, 0) for p in data.by_month]

        def amounts(net: int, vat: int, gross: int, wide: tuple[int, ...]) -> tuple[str, ...]:
            values = (money(net), money(vat), money(gross))
            return tuple(values[i] for i in wide)

        month_cols = (2,) if narrow else (0, 1, 2)
        quarter_cols = (0, 1) if narrow else (0, 1, 2)
        self.query_one("#year-months", FitTable).fill(
            (str(p.period), (month_name(p.period), *amounts(p.net, p.vat, p.gross, month_cols)))
            for p in data.by_month)
        quarters = [(f"q{p.period}", (_("Q{n}").format(n=p.period), *amounts(p.net, p.vat, p.gross,
                                                               quarter_cols)))
                    for p in data.by_quarter]
        quarters.append(("total", (_("Year"), *amounts(data.turnover_net, data.vat,
                                                       data.turnover_gross, quarter_cols))))
        self.query_one("#year-quarters", FitTable).fill(quarters)

    def action_year(self, step: int) -> None:
        self.year += step
        self.query_one("#year-title", Static).update(
            _("The year {year}").format(year=self.year) + " …")
        self.reload()

    def action_refresh(self) -> None:
        self.reload()

    def action_costs(self) -> None:
        from tui.screens.costs import CostsScreen

        self.app.push_screen(CostsScreen(self.year))

    def action_therapists(self) -> None:
        from tui.screens.therapist_year import TherapistYearScreen

        self.app.push_screen(TherapistYearScreen(self.year))

    def action_ledger(self) -> None:
        from tui.screens.ledger_books import TrialBalanceScreen

        self.app.push_screen(TrialBalanceScreen(self.year))

    # ------------------------------------------------------------------ export
    def action_export(self) -> None:
        """The tax-year export (issue 5): folder + zip for the bookkeeper."""
        self.app.push_screen(ExportDialog(self.year))

    def worker_failed(self, worker: Any) -> None:
        """The figures stay as they were."""
