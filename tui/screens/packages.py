"""Packages: the plans on offer, every package sold with its balance and expiry, the
history of a package's uses; sell one (its invoice is issued at once) or cancel one after
seeing the refund."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Footer, Input, Label, Select, Static
from textual.worker import get_current_worker

from invoices.steps.issuing import Issued
from ledger.base.codes import PackageStatus
from ledger.base.views import ClientInfo, PackageInfo, PlanInfo, SessionInfo
from ledger.books import Books
from tui.i18n import N_, _, day, language, money, money_in_text, n_
from tui.labels import PACKAGE_STATUS, balance, label
from tui.screens.base import BooksDialog, BooksScreen
from tui.widgets.client_picker import ClientPicker
from tui.widgets.dialogs import DIALOG_CSS, ConfirmDialog
from tui.widgets.fit_table import Column, FitTable
from tui.widgets.navbar import NavBar

ALL = "all"


@dataclass(frozen=True)
class PackagesData:
    status: str | None
    plans: list[PlanInfo]
    packages: list[PackageInfo]


def read_packages(books: Books, status: str | None) -> PackagesData:
    from ledger.billing.packages import list_packages
    from ledger.practice.catalogue import list_plans

    packages = list(reversed(list_packages(books, status=status)))
    return PackagesData(status, list_plans(books), packages)


def package_uses(books: Books, package: PackageInfo) -> list[SessionInfo]:
    from ledger.billing.sessions import list_sessions

    return [s for s in list_sessions(books, package.client_id, start=package.sold_on)
            if s.package_id == package.id]


class PackagesScreen(BooksScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "sell", N_("Sell package")),
        Binding("x", "cancel", N_("Cancel package")),
        Binding("s", "statement", N_("Claim statement")),
        Binding("p", "treatments", N_("Treatments and series")),
        Binding("a", "plan", N_("Plan the series")),
        Binding("f", "focus_filter", N_("Filter"), show=False),
        Binding("r", "refresh", N_("Refresh"), show=False),
    ]

    class Uses(Message):
        def __init__(self, package: PackageInfo, uses: list[SessionInfo]) -> None:
            super().__init__()
            self.package = package
            self.uses = uses

    status: str | None = "active"
    data: PackagesData | None = None

    def compose(self) -> ComposeResult:
        statuses = [(label(PACKAGE_STATUS, code), code) for code in PACKAGE_STATUS]
        yield NavBar("packages")
        with Horizontal(classes="filters"):
            yield Select([*statuses, (_("All packages"), ALL)], value="active",
                         allow_blank=False, id="package-filter", compact=True)
            yield Static("", id="package-count", classes="summary")
        with Vertical(classes="panel", id="plans-panel"):
            yield Label(_("Plans on offer"), classes="panel-title")
            yield FitTable([Column(_("Plan"), 12, 1), Column(_("Treatment"), 12, 1),
                            Column(_("Sessions"), 8, right=True),
                            Column(_("Price"), 11, right=True), Column(_("Valid"), 9)],
                           id="plan-list")
        with Vertical(classes="panel"):
            yield Label(_("Packages sold"), classes="panel-title")
            yield FitTable([Column(_("Client"), 12, 2), Column(_("Package"), 10, 1),
                            Column(_("Balance"), 12, 1), Column(_("Expires"), 10),
                            Column(_("Status"), 10)], id="package-list")
        yield Static("", id="package-history", classes="summary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#package-list", FitTable).focus()

    def fetch(self, books: Books) -> PackagesData:
        return read_packages(books, self.status)

    def show(self, data: PackagesData) -> None:
        if data.status != self.status:
            return
        self.data = data
        self.query_one("#plan-list", FitTable).fill(
            (str(p.id), (p.name, p.treatment_name, str(p.sessions), money(p.price),
                         n_("{days} day", "{days} days", p.valid_days).format(
                             days=p.valid_days)))
            for p in data.plans)
        self.query_one("#package-count", Static).update(
            n_("{count} package", "{count} packages", len(data.packages)).format(
                count=len(data.packages)))
        self.query_one("#package-list", FitTable).fill(
            (str(p.id), (p.client_name, p.name, balance(p), day(p.expires),
                         label(PACKAGE_STATUS, p.status)))
            for p in data.packages)
        if not data.packages:
            self.query_one("#package-history", Static).update("")

    def selected(self) -> PackageInfo | None:
        key = self.query_one("#package-list", FitTable).selected_key()
        if self.data is None or key is None:
            return None
        return next((p for p in self.data.packages if str(p.id) == key), None)

    @on(Select.Changed, "#package-filter")
    def _filter(self, event: Select.Changed) -> None:
        self.status = None if event.value == ALL else str(event.value)
        self.reload()

    @on(FitTable.RowHighlighted, "#package-list")
    def _highlighted(self) -> None:
        package = self.selected()
        if package is not None:
            self._read_uses(package)

    @work(thread=True, exclusive=True, exit_on_error=False, group="uses")
    def _read_uses(self, package: PackageInfo) -> None:
        uses = package_uses(self.books, package)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Uses(package, uses))

    @on(Uses)
    def _uses(self, message: Uses) -> None:
        p = message.package
        dates = ", ".join(day(s.date) for s in message.uses) or _("not used yet")
        text = _("{client} · {name}: sold {sold} ({invoice}, {price})\n"
                 "used {used}, left {left}, valid until {expires}\nUsed on: {dates}").format(
            client=p.client_name, name=p.name, sold=day(p.sold_on), invoice=p.invoice_number,
            price=money(p.price), used=p.sessions_used, left=p.sessions_left,
            expires=day(p.expires), dates=dates)
        if p.cancelled_on:
            text += "\n" + _("Cancelled on {date}, credit note {number}").format(
                date=day(p.cancelled_on), number=p.cancel_credit_number or "—")
        self.query_one("#package-history", Static).update(text)

    @on(FitTable.RowSelected, "#package-list")
    def _open_client(self) -> None:
        package = self.selected()
        if package is not None:
            from tui.screens.client_page import ClientScreen

            self.app.push_screen(ClientScreen(package.client_id))

    def action_focus_filter(self) -> None:
        self.query_one("#package-filter", Select).focus()

    def action_refresh(self) -> None:
        self.reload()

    def action_treatments(self) -> None:
        from tui.screens.treatments import TreatmentsScreen

        self.app.push_screen(TreatmentsScreen())

    def action_sell(self) -> None:
        self.app.push_screen(SellDialog(None))

    def action_plan(self) -> None:
        package = self.selected()
        if package is not None and package.status == PackageStatus.ACTIVE:
            from tui.screens.agenda_series import SeriesPlanDialog

            self.app.push_screen(SeriesPlanDialog(package))

    def action_cancel(self) -> None:
        package = self.selected()
        if package is None or package.status == PackageStatus.CANCELLED:
            return
        from ledger.billing.packages import cancellation_refund

        self.act("refund", lambda b, p: (p, cancellation_refund(b, p.id)), self.books, package)

    def done_refund(self, result: tuple[PackageInfo, int]) -> None:
        package, refund = result

        def answer(yes: bool | None) -> None:
            if yes:
                from invoices.steps.issuing import cancel_and_archive

                self.act("cancelled", cancel_and_archive, self.books, package.id)

        body = _("{client} · {name}: {used} of {total} used.\n\nCancelling refunds {refund} "
                 "with a credit note (final); the package can no longer be used.").format(
            client=package.client_name, name=package.name, used=package.sessions_used,
            total=package.sessions_total, refund=money_in_text(refund))
        self.app.push_screen(ConfirmDialog(_("Cancel this package?"), body,
                                           _("Cancel package"), cancel=_("Keep it"),
                                           danger=True), answer)

    def done_cancelled(self, result: Issued[PackageInfo]) -> None:
        package, problem = result.info, result.archived.warning(language())
        self.notify(_("{name} cancelled; credit note {number}.").format(
            name=package.name, number=package.cancel_credit_number or "—"))
        if problem:
            self.notify(problem, severity="warning")
        self.reload()

    def action_statement(self) -> None:
        package = self.selected()
        if package is not None:
            self.act("file", self._statement, self.books, package.id)

    def _statement(self, books: Books, package_id: int) -> tuple[Path, bool]:
        from invoices.steps.statements import package_statement_file

        path = package_statement_file(books, package_id).path
        return path, self.solebook.viewer(path)


class SellDialog(BooksDialog[PackageInfo | None]):
    """Sell a plan to a client; its invoice is issued at once (VAT is due at sale)."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "SellDialog")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", N_("Cancel")),
                Binding("ctrl+s", "sell", N_("Sell"), priority=True)]

    def __init__(self, client: ClientInfo | None) -> None:
        super().__init__()
        self.client = client
        self.plans: dict[str, PlanInfo] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Sell a package"), classes="title")
            yield Label(_("Client"), classes="field-label")
            yield ClientPicker(self.client, id="sell-client")
            yield Label(_("Plan"), classes="field-label")
            yield Select([], allow_blank=True, id="sell-plan", prompt=_("Choose a plan"),
                         compact=True)
            yield Label(_("Sale date (sessions before it are not paid by the package)"),
                        classes="field-label")
            yield Input(day(self.solebook.clock.today()), id="sell-date", compact=True)
            yield Static(_("Selling issues the package's invoice at once; that is final."),
                         classes="body", id="sell-summary")
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Sell and issue invoice"), id="confirm", variant="primary")

    def on_mount(self) -> None:
        if self.client is None:
            self.query_one(ClientPicker).focus()
        else:
            self.query_one("#sell-plan").focus()

    def fetch(self, books: Books) -> list[PlanInfo]:
        from ledger.practice.catalogue import list_plans

        return list_plans(books)

    def show(self, plans: list[PlanInfo]) -> None:
        self.plans = {str(p.id): p for p in plans}
        select = self.query_one("#sell-plan", Select)
        select.set_options((f"{p.name} · {p.sessions}× · {money(p.price)}", str(p.id))
                           for p in plans)
        if len(plans) == 1:
            select.value = str(plans[0].id)

    def on_screen_resume(self) -> None:
        if not self.plans:
            self.reload()

    @on(ClientPicker.Picked)
    def _picked(self, event: ClientPicker.Picked) -> None:
        self.client = event.client

    @on(Select.Changed, "#sell-plan")
    def _plan(self, event: Select.Changed) -> None:
        plan = self.plans.get(str(event.value))
        if plan is not None:
            self.query_one("#sell-summary", Static).update(
                _("{name}: {sessions} for {price}, valid {days}. Selling issues "
                  "its invoice at once; that is final.").format(
                    name=plan.name, price=money_in_text(plan.price),
                    sessions=n_("{count} session", "{count} sessions", plan.sessions).format(
                        count=plan.sessions),
                    days=n_("{days} day", "{days} days", plan.valid_days).format(
                        days=plan.valid_days)))

    @on(Button.Pressed, "#confirm")
    def action_sell(self) -> None:
        plan = self.query_one("#sell-plan", Select).value
        if self.client is None:
            self.notify(_("Choose a client first."), severity="warning")
            self.query_one(ClientPicker).focus()
            return
        if plan is Select.NULL or str(plan) not in self.plans:
            self.notify(_("Choose a plan first."), severity="warning")
            self.query_one("#sell-plan").focus()
            return
        from ledger.base.errors import InputError
        from ledger.base.parse import parse_date

        try:
            sold_on = parse_date(self.query_one("#sell-date", Input).value,
                                 today=self.solebook.clock.today())
        except InputError as exc:
            self.notify(exc.text(language()), severity="error")
            self.query_one("#sell-date").focus()
            return
        self.query_one("#confirm", Button).disabled = True
        from invoices.steps.issuing import sell_and_archive

        self.act("sold", sell_and_archive, self.books, self.client.id, int(str(plan)), sold_on)

    def done_sold(self, result: Issued[PackageInfo]) -> None:
        package, problem = result.info, result.archived.warning(language())
        self.notify(_("{name} sold to {client}; invoice {number}.").format(
            name=package.name, client=package.client_name, number=package.invoice_number))
        if problem:
            self.notify(problem, severity="warning")
        self.dismiss(package)

    def worker_failed(self, worker: Any) -> None:
        self.query_one("#confirm", Button).disabled = False

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
