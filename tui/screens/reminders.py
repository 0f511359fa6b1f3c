"""Reminders (Herinneringen): who is overdue, and a payment reminder or the fourteen-day
letter for the selected invoice, as a PDF or by e-mail.

The list is :func:`ledger.billing.reminders.overdue_invoices` (most overdue first, as ``solebook
reminder list``). ``f`` prepares a payment reminder and ``l`` the fourteen-day letter: a
worker asks the books whether it may be made today (:func:`ledger.billing.reminders.plan_reminder`
refuses otherwise; the refusal is shown) and whether it can go by e-mail; a dialog shows
what the letter will say, and the answer (PDF or e-mail) goes to
:func:`invoices.steps.mail.send_reminder`, which archives the PDF and records the reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from ledger.base.codes import ReminderChannel, ReminderKind
from tui.i18n import N_, _, day, money, n_
from tui.screens.base import BooksScreen
from tui.widgets.fit_table import Column, FitTable
from tui.widgets.navbar import NavBar

if TYPE_CHECKING:
    from invoices.steps.mail import ReminderOutcome
    from ledger.billing.reminders import OverdueInvoice, ReminderInfo, ReminderPlan
    from ledger.books import Books
    from tui.screens.send_mail import MailTarget

KINDS = {"first": N_("payment reminder"), "fourteen_day": N_("fourteen-day letter")}
SHORT = {"first": N_("reminder"), "fourteen_day": N_("14-day letter")}
CHANNELS = {"letter": N_("letter"), "email": N_("e-mail")}


@dataclass(frozen=True)
class Overdue:
    rows: list[OverdueInvoice]
    data_dir: Path


@dataclass(frozen=True)
class Prepared:
    plan: ReminderPlan
    target: MailTarget


def read_overdue(books: Books) -> Overdue:
    from ledger.billing.reminders import overdue_invoices

    return Overdue(overdue_invoices(books), books.db.data_dir)


def prepare(books: Books, number: str, kind: str) -> Prepared:
    """May ``kind`` be made today (the books refuse otherwise), and can it go by e-mail?"""
    from ledger.billing.reminders import plan_reminder
    from tui.screens.send_mail import mail_target

    return Prepared(plan_reminder(books, number, kind, "letter"),
                    mail_target(books, number, after_issue=False))


def make(books: Books, number: str, kind: str, email: bool) -> ReminderOutcome:
    from invoices.steps.mail import send_reminder

    return send_reminder(books, number, kind, email=email)


def sent(reminders: tuple[ReminderInfo, ...]) -> str:
    """``reminder 17-11-2026, 14-day letter 20-11-2026`` (``—`` when none)."""
    return ", ".join(f"{_(SHORT.get(r.kind, r.kind))} {day(r.date)}" for r in reminders) or "—"


def advice(row: OverdueInvoice) -> str:
    """The next step the books advise, in words."""
    if row.next_step == ReminderKind.FIRST:
        return _("send a payment reminder (f)")
    if row.next_step == ReminderKind.FOURTEEN_DAY:
        return _("the reminder's term has passed: send the fourteen-day letter (l)")
    if row.next_step == "wait":
        return _("wait: the term runs until {date}").format(date=day(row.reminders[-1].pay_by))
    return _("the fourteen-day term has passed: collection costs of {costs} may be "
             "charged").format(costs=money(row.reminders[-1].costs))


def next_short(row: OverdueInvoice) -> str:
    if row.next_step == "wait":
        return _("wait until {date}").format(date=day(row.reminders[-1].pay_by))
    return {"first": _("reminder"), "fourteen_day": _("14-day letter"),
            "collection_costs": _("costs due")}.get(row.next_step, row.next_step)


def describe(row: OverdueInvoice, data_dir: Path) -> str:
    """The highlighted invoice in full: amounts, the reminders sent and their PDFs."""
    inv = row.invoice
    parts = [_("{client} · {number} of {date} · {total}").format(
                 client=inv.client_name, number=inv.number, date=day(inv.date),
                 total=money(inv.total)),
             n_("Due {due}: {open} open, {days} day overdue",
                "Due {due}: {open} open, {days} days overdue", row.days_overdue).format(
                 due=day(inv.due_date), open=money(inv.open), days=row.days_overdue)]
    for r in row.reminders:
        facts = dict(kind=_(KINDS.get(r.kind, r.kind)).capitalize(), date=day(r.date),
                     channel=_(CHANNELS.get(r.channel, r.channel)), pay_by=day(r.pay_by),
                     costs=money(r.costs))
        parts.append(_("{kind} of {date} ({channel}): the term has passed after {pay_by}, "
                       "then {costs} collection costs").format(**facts)
                     if r.kind == ReminderKind.FOURTEEN_DAY else
                     _("{kind} of {date} ({channel}), pay by {pay_by}").format(**facts))
        if r.document_path:
            parts.append("  " + str(data_dir / r.document_path))
    parts.append(_("Next: {advice}.").format(advice=advice(row)))
    return "\n".join(parts)


def columns(narrow: bool) -> list[Column]:
    if narrow:
        return [Column(_("Client"), 10, 1), Column(_("Number"), 9),
                Column(_("Days"), 4, right=True), Column(_("Open"), 10, right=True),
                Column(_("Next"), 10, 1)]
    return [Column(_("Client"), 12, 2), Column(_("Number"), 9), Column(_("Due"), 10),
            Column(_("Days"), 5, right=True), Column(_("Open"), 11, right=True),
            Column(_("Reminders sent"), 14, 2), Column(_("Next"), 22)]


class RemindersScreen(BooksScreen[None]):
    CSS_PATH = "reminders.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "make('first')", N_("Payment reminder")),
        Binding("l", "make('fourteen_day')", N_("Fourteen-day letter")),
        Binding("o", "open_pdf", N_("Open PDF")),
        Binding("enter", "open_invoice", N_("Invoice"), show=False),
        Binding("r", "refresh", N_("Refresh"), show=False),
        Binding("escape", "back", N_("Back")),
    ]

    def action_back(self) -> None:
        """Back to the section the reminders were opened from (the invoices, the
        overview)."""
        came_from = self.solebook.came_from
        self.solebook.action_section(came_from if came_from != "reminders" else "home")

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, OverdueInvoice] = {}
        self.data: Overdue | None = None

    def compose(self) -> ComposeResult:
        yield NavBar("reminders")
        yield Static(_("Reminders · overdue invoices"), id="reminders-title",
                     classes="form-title")
        yield Static(_("Loading…"), id="reminders-summary", classes="summary")
        yield FitTable(id="reminders-list", classes="list")
        yield Static("", id="reminders-detail", classes="summary", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.table.focus()

    def on_resize(self) -> None:
        narrow = self.size.width < 100
        if narrow != self.has_class("-narrow") or not self.table.spec:
            self.set_class(narrow, "-narrow")
            self.table.set_columns(columns(narrow))
            if self.data is not None:
                self.show(self.data)

    @property
    def table(self) -> FitTable:
        return self.query_one("#reminders-list", FitTable)

    # ------------------------------------------------------------------ loading
    def fetch(self, books: Books) -> Overdue:
        return read_overdue(books)

    def show(self, data: Overdue) -> None:
        self.data = data
        narrow = self.has_class("-narrow")
        selected = self.table.selected_key()
        self.rows = {str(o.invoice.id): o for o in data.rows}
        self.table.fill((str(o.invoice.id), (
            o.invoice.client_name, o.invoice.number or "", str(o.days_overdue),
            money(o.invoice.open), next_short(o)) if narrow else (
            o.invoice.client_name, o.invoice.number or "", day(o.invoice.due_date),
            str(o.days_overdue), money(o.invoice.open), sent(o.reminders), next_short(o)))
            for o in data.rows)
        if selected in self.rows:  # stay on the invoice just reminded
            self.table.move_cursor(row=self.table.get_row_index(selected), animate=False)
        total = sum(o.invoice.open for o in data.rows)
        self.query_one("#reminders-summary", Static).update(
            n_("{count} overdue invoice · {open} open", "{count} overdue invoices · {open} open",
               len(data.rows)).format(count=len(data.rows), open=money(total))
            if data.rows else _("No overdue invoices: nobody needs a reminder."))
        self._detail()

    @on(DataTable.RowHighlighted)
    def _detail(self) -> None:
        row, data = self.current, self.data
        self.query_one("#reminders-detail", Static).update(
            describe(row, data.data_dir) if row is not None and data is not None else "")
        self.refresh_bindings()

    @property
    def current(self) -> OverdueInvoice | None:
        key = self.table.selected_key() if self.is_mounted else None
        return self.rows.get(key) if key is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        row = self.current
        if action in ("make", "open_invoice"):
            return row is not None
        if action == "open_pdf":
            return row is not None and any(r.document_path for r in row.reminders)
        return True

    def action_refresh(self) -> None:
        self.reload()

    # ------------------------------------------------------------------ actions
    def action_make(self, kind: str) -> None:
        row = self.current
        if row is not None and row.invoice.number:
            self.act("prepared", prepare, self.books, row.invoice.number, kind)

    def done_prepared(self, prepared: Prepared) -> None:
        from tui.screens.reminder_dialog import ReminderDialog

        row = self.rows.get(str(prepared.plan.invoice.id))
        number, kind = prepared.plan.invoice.number or "", prepared.plan.kind

        def answer(channel: str | None) -> None:
            if channel in (ReminderChannel.LETTER, ReminderChannel.EMAIL):
                self.act("made", make, self.books, number, kind, channel == ReminderChannel.EMAIL)

        hint = advice(row) if row is not None and row.next_step != kind else ""
        self.app.push_screen(ReminderDialog(prepared.plan, prepared.target, hint), answer)

    def done_made(self, outcome: ReminderOutcome) -> None:
        r = outcome.reminder
        lines = [_("{kind} for {number} recorded: {open} open.").format(
            kind=_(KINDS.get(r.kind, r.kind)).capitalize(), number=r.invoice_number,
            open=money(r.principal))]
        if outcome.mail is not None:
            lines.append(_("E-mailed to {address}.").format(address=outcome.mail.recipient))
        lines.append(_("PDF saved: {path}").format(path=outcome.archived))
        self.notify("\n".join(lines), title=_("Reminder made"), timeout=15)
        self.reload()

    def action_open_pdf(self) -> None:
        row, data = self.current, self.data
        if row is None or data is None:
            return
        documents = [r.document_path for r in row.reminders if r.document_path]
        if documents:
            self.act("file", self._open, data.data_dir / documents[-1])

    def _open(self, path: Path) -> tuple[Path, bool]:
        return path, self.solebook.viewer(path)

    @on(DataTable.RowSelected)
    def action_open_invoice(self) -> None:
        row = self.current
        if row is not None:
            from tui.screens.invoice_page import InvoiceScreen

            self.app.push_screen(InvoiceScreen(row.invoice.id))

    def worker_failed(self, worker: Any) -> None:
        self.reload()  # e.g. paid in the meantime: the list shows it
