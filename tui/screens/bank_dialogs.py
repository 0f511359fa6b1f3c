"""Dialogs of the bank screen: correct what a line pays, and choose a file to import."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ledger.bank.booking import BankLineView
from ledger.bank.match import OpenInvoice
from ledger.base.codes import BankLineStatus
from ledger.base.errors import InputError
from ledger.base.forms import Field
from ledger.books import Books
from tui.failures import Guarded
from tui.i18n import N_, _, amount_input, day, money, translate_bindings
from tui.screens.base import BooksDialog
from tui.widgets.dialogs import DIALOG_CSS
from tui.widgets.form import FieldForm, form_field


def _allocations(raw: str, label: str) -> list[tuple[str, int | None]]:
    from ledger.bank.booking import parse_allocations

    return parse_allocations(raw, label)


def _statement_file(raw: str, label: str) -> str:
    from pathlib import Path

    path = Path(raw.strip()).expanduser()
    if not path.is_file():
        raise InputError(label, _("{path} is not a file").format(path=path))
    return str(path)


class CorrectDialog(BooksDialog[BankLineView | None]):
    """Which invoice(s) the line pays, as ``NUMBER=AMOUNT`` (amount optional); books it and
    hands the booked line back. A refusal (no such invoice, paid before the invoice's
    date) is said and the dialog stays open with what was typed."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "CorrectDialog") + """
    CorrectDialog VerticalScroll { height: auto; max-height: 100%; }
    CorrectDialog .buttons { dock: bottom; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", N_("Cancel")),
        Binding("ctrl+s", "save", N_("Save"), priority=True)]

    def __init__(self, line: BankLineView) -> None:
        super().__init__()
        self.line = line
        self.busy = False

    def compose(self) -> ComposeResult:
        line = self.line
        current = " ".join(f"{m.invoice_number}={amount_input(m.amount)}"
                           for m in line.matches if m.status == BankLineStatus.PROPOSED)
        with Vertical():
            yield Label(_("What does this payment pay?"), classes="title")
            with VerticalScroll():
                yield Static(_("{date} · {amount} · {name}\n{text}").format(
                    date=day(line.booking_date), amount=money(line.amount),
                    name=line.counterparty_name, text=line.description), classes="body",
                    markup=False)
                with FieldForm():
                    yield form_field("invoices", _("Invoice numbers"),
                                     Field(_("Invoice numbers"), _allocations, blank=None),
                                     current, placeholder="2026-0003=100,00 2026-0004")
                yield Static(_("Without an amount an invoice gets what is open on it, at "
                               "most what is left of the payment."), classes="body")
                yield Static(_("Looking for open invoices…"), id="correct-candidates",
                             classes="body", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Book"), id="confirm", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#field-invoices", Input).focus()
        self.reload()

    def fetch(self, books: Books) -> list[OpenInvoice]:
        from ledger.bank.booking import candidates

        return candidates(books, self.line)

    def show(self, data: list[OpenInvoice]) -> None:
        """The open invoices it may pay (its amount open, or the payer's name): to type."""
        text = (_("Open invoices it may pay:") + "\n" + "\n".join(
            f"{inv.number} · {inv.client_name} · {day(inv.date)} · {money(inv.open)}"
            for inv in data)) if data else _("No open invoice has this amount or is of a "
                                             "client whose name looks like the payer's.")
        self.query_one("#correct-candidates", Static).update(text)

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def action_save(self) -> None:
        if self.busy:
            return
        form = self.query_one(FieldForm)
        if form.problems():
            form.first_problem_focus(["invoices"])
            return
        from ledger.bank.booking import confirm_line

        self.busy = True
        self.act("booked", confirm_line, self.books, self.line.id,
                 _allocations(form.values()["invoices"] or "", "invoices"))

    def done_booked(self, line: BankLineView) -> None:
        self.dismiss(line)

    def worker_failed(self, worker: Any) -> None:
        self.busy = False

    @on(Button.Pressed, "#cancel")
    def _no(self) -> None:
        self.dismiss(None)


class ImportDialog(Guarded, ModalScreen[str | None]):
    """The path of a CAMT.053 file or a bank's CSV export."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "ImportDialog")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", N_("Cancel")),
        Binding("ctrl+s", "save", N_("Save"), priority=True)]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Import a bank statement"), classes="title")
            yield Static(_("A CAMT.053 file (XML) or the CSV export of ING, Rabobank or ABN "
                           "AMRO. Nothing is booked yet: you review each proposal."),
                         classes="body")
            with FieldForm():
                yield form_field("file", _("File"), Field(_("File"), _statement_file,
                                                          blank=None), "")
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Import"), id="confirm", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def action_save(self) -> None:
        form = self.query_one(FieldForm)
        if form.problems():
            form.first_problem_focus(["file"])
            return
        self.dismiss(_statement_file(form.values()["file"] or "", "file"))

    @on(Button.Pressed, "#cancel")
    def _no(self) -> None:
        self.dismiss(None)
