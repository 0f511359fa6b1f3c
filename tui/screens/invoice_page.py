"""One invoice: review a draft (add or remove a line typed by hand, preview its PDF) and
issue it (final, and said so), open its PDF, register a payment or, after a credit note,
the refund, credit all or some lines, or write the claim statement of a package sale."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Label, Static

from invoices.steps.issuing import Archived, Issued
from ledger.base.codes import InvoiceKind, InvoiceStatus, VatRegime
from ledger.base.views import InvoiceInfo
from ledger.billing.payments import owed_back
from ledger.books import Books
from tui.i18n import N_, _, day, language, money, n_, rate
from tui.labels import INVOICE_STATUS, METHODS, label
from tui.screens.base import BooksScreen
from tui.screens.send_mail import MailActions
from tui.widgets.dialogs import ConfirmDialog, PaymentDialog
from tui.widgets.fit_table import Column, FitTable

if TYPE_CHECKING:
    from ledger.billing.credits import Creditable


def read_invoice(books: Books, invoice_id: int) -> InvoiceInfo:
    from ledger.billing.status import get_invoice

    return get_invoice(books, f"#{invoice_id}")


class InvoiceScreen(MailActions, BooksScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "issue", N_("Issue")),
        Binding("a", "add_line", N_("Add line")),
        Binding("r", "remove_line", N_("Remove line")),
        Binding("x", "delete", N_("Delete draft")),
        Binding("o", "pdf", N_("Open PDF")),
        Binding("o", "preview", N_("Preview PDF")),
        Binding("b", "payment", N_("Payment")),
        Binding("b", "refund", N_("Book refund")),
        Binding("c", "credit", N_("Credit note")),
        Binding("s", "statement", N_("Claim statement")),
        Binding("e", "email", N_("E-mail")),
        Binding("escape", "back", N_("Back"), show=False),
    ]

    info: InvoiceInfo | None = None

    def __init__(self, invoice_id: int) -> None:
        super().__init__()
        self.invoice_id = invoice_id

    def compose(self) -> ComposeResult:
        yield Static(_("Invoice"), id="invoice-title", classes="form-title")
        with VerticalScroll(classes="form-scroll"):
            yield Static("", id="invoice-head", classes="summary")
            yield FitTable([
                Column(_("Date"), 10), Column(_("Description"), 14, 1),
                Column(_("Qty"), 4, right=True), Column(_("Price"), 11, right=True),
                Column(_("VAT"), 4, right=True), Column(_("Amount"), 11, right=True),
            ], id="invoice-lines")
            yield Static("", id="invoice-totals", classes="summary")
            yield Label(_("Payments"), classes="section-title", id="payments-title")
            yield Static("", id="invoice-payments", classes="summary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#invoice-lines", FitTable).focus()  # r takes the highlighted line

    def fetch(self, books: Books) -> InvoiceInfo:
        return read_invoice(books, self.invoice_id)

    def show(self, info: InvoiceInfo) -> None:
        self.info = info
        if info.number is None:
            title = _("Draft invoice #{id} · {client}").format(id=info.id, client=info.client_name)
        elif info.kind == InvoiceKind.CREDIT:
            title = _("Credit note {number} for {original} · {client}").format(
                number=info.number, original=info.credit_of_number, client=info.client_name)
        else:
            title = _("Invoice {number} · {client}").format(number=info.number,
                                                             client=info.client_name)
        self.query_one("#invoice-title", Static).update(title)
        self.query_one("#invoice-head", Static).update(self._head(info))
        self.query_one("#invoice-lines", FitTable).fill(
            (str(line.id), (day(line.supply_date), line.description, str(line.quantity),
                            money(line.unit_price), rate(line.vat_rate),
                            money(line.gross)))
            for line in info.lines)
        self.query_one("#invoice-totals", Static).update(self._totals(info))
        payments = "\n".join(
            f"{day(p.date)}  {money(p.amount)}  {label(METHODS, p.method)}  {p.reference}"
            for p in info.payments) or _("No payments yet.")
        self.query_one("#invoice-payments", Static).update(payments)
        self.refresh_bindings()

    def _head(self, info: InvoiceInfo) -> str:
        parts = [_("Status: {status}").format(status=label(INVOICE_STATUS, info.status))]
        if info.date and info.kind == InvoiceKind.CREDIT:  # nothing falls due on a credit note
            parts.append(_("date {date}").format(date=day(info.date)))
        elif info.date:
            parts.append(_("date {date}, due {due}").format(date=day(info.date),
                                                             due=day(info.due_date)))
        if info.credit_numbers:
            parts.append(_("credited by {numbers}").format(numbers=", ".join(info.credit_numbers)))
        if info.number is None:
            parts.append(_("not issued yet: check it, then press i to issue"))
        elif owed_back(info):
            parts.append(_("{amount} to pay back: press b").format(amount=money(owed_back(info))))
        return " · ".join(parts)

    def _totals(self, info: InvoiceInfo) -> str:
        lines = [
            _("{rate}% VAT on {net}: {vat}").format(rate=f"{row.rate.normalize():f}",
                                                    net=money(row.net), vat=money(row.vat))
            for row in info.vat_rows if row.vat or info.vat_regime == VatRegime.STANDARD
        ]
        if info.regime_text:
            lines.append(info.regime_text)
        lines.append(_("Total {total} · paid {paid} · open {open}").format(
            total=money(info.total), paid=money(info.paid), open=money(info.open)))
        return "\n".join(lines)

    # ------------------------------------------------------------------ which keys apply
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        info = self.info
        if info is None:
            return action == "back"
        draft = info.number is None
        issued_invoice = not draft and info.kind == InvoiceKind.INVOICE
        allowed = {
            "issue": draft, "delete": draft, "pdf": not draft, "preview": draft,
            "add_line": draft, "remove_line": draft and bool(info.lines),
            "payment": issued_invoice and info.open > 0,
            "refund": issued_invoice and owed_back(info) > 0,
            "credit": issued_invoice and info.status != InvoiceStatus.CREDITED,
            "statement": any(line.package_id for line in info.lines),
            "email": not draft,
        }
        return allowed.get(action, True)

    # ------------------------------------------------------------------ actions
    def action_issue(self) -> None:
        info = self.info
        if info is None or info.number is not None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                from invoices.steps.issuing import issue_and_archive

                self.act("issued", issue_and_archive, self.books, f"#{info.id}")

        self.app.push_screen(ConfirmDialog(
            _("Issue this invoice?"),
            _("Issuing is final: the draft gets the next invoice number and can never be "
              "changed or deleted afterwards (a mistake is corrected with a credit note).\n\n"
              "{client} · {lines} · total {total}").format(
                client=info.client_name, total=money(info.total),
                lines=n_("{count} line", "{count} lines", len(info.lines)).format(
                    count=len(info.lines))),
            _("Issue (final)")), answer)

    def done_issued(self, outcome: Issued[InvoiceInfo]) -> None:
        self.invoice_id = outcome.info.id
        self.notify(_("Invoice {number} issued for {total}.").format(
            number=outcome.info.number, total=money(outcome.info.total)), title=_("Issued"))
        self._archived(outcome.archived)
        self.reload()
        self.offer_send(outcome.info.number)  # "send now?" when e-mail is set up

    def _archived(self, archived: Archived) -> None:
        if archived.problem:
            self.notify(_("The PDF could not be archived yet: {problem}").format(
                problem=archived.warning(language())), severity="warning", timeout=10)

    def action_delete(self) -> None:
        info = self.info
        if info is None or info.number is not None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                from ledger.billing.drafts import delete_draft

                self.act("deleted", delete_draft, self.books, f"#{info.id}")

        self.app.push_screen(ConfirmDialog(
            _("Delete this draft?"),
            _("The sessions on it become unbilled again."), _("Delete draft"), danger=True),
            answer)

    def done_deleted(self, _result: Any) -> None:
        self.notify(_("Draft deleted."))
        self.dismiss()

    def action_pdf(self) -> None:
        if self.info is not None and self.info.number:
            self.act("file", self._pdf, self.books, self.info.number)

    def action_preview(self) -> None:
        """A draft's PDF as it would look now, marked "Concept": never archived."""
        if self.info is not None and self.info.number is None:
            self.act("file", self._preview, self.books, self.info.id)

    def _preview(self, books: Books, draft_id: int) -> tuple[Path, bool]:
        from invoices.steps.preview import preview_draft

        path = preview_draft(books, f"#{draft_id}")
        return path, self.solebook.viewer(path)

    # ------------------------------------------------------------------ a draft's lines
    def action_add_line(self) -> None:
        info = self.info
        if info is None or info.number is not None:
            return
        from tui.screens.invoice_dialogs import AddLineDialog

        def answer(values: dict[str, str] | None) -> None:
            if values:
                from ledger.billing.drafts import add_typed_line

                self.act("changed", add_typed_line, self.books, f"#{info.id}", values)

        self.app.push_screen(AddLineDialog(info.vat_regime == VatRegime.STANDARD), answer)

    def action_remove_line(self) -> None:
        info = self.info
        if info is None or info.number is not None or not info.lines:
            return
        row = self.query_one("#invoice-lines", FitTable).cursor_row
        line = info.lines[min(max(row, 0), len(info.lines) - 1)]

        def answer(yes: bool | None) -> None:
            if yes:
                from ledger.billing.drafts import remove_line

                self.act("changed", remove_line, self.books, f"#{info.id}", line.position)

        after = _("The session on it becomes unbilled again.") if line.session_id else ""
        self.app.push_screen(ConfirmDialog(
            _("Remove this line?"),
            _("Line {position}: {description}, {amount}.").format(
                position=line.position, description=line.description,
                amount=money(line.gross)) + (f"\n\n{after}" if after else ""),
            _("Remove line"), danger=True), answer)

    def done_changed(self, info: InvoiceInfo) -> None:
        self.notify(_("Draft changed; total now {total}.").format(total=money(info.total)))
        self.reload()

    def _pdf(self, books: Books, number: str) -> tuple[Path, bool]:
        from invoices.archive import ensure_pdf

        path = ensure_pdf(books, number)
        return path, self.solebook.viewer(path)

    def action_payment(self) -> None:
        info = self.info
        if info is not None and info.number is not None:
            self._money_dialog(info.number, info.open, refund=False)

    def action_refund(self) -> None:
        """After a credit note on a paid invoice: the money paid back, as the books take it
        (a negative payment on this invoice, never more than is owed back)."""
        info = self.info
        if info is not None and info.number is not None:
            self._money_dialog(info.number, owed_back(info), refund=True)

    def _money_dialog(self, number: str, amount: int, *, refund: bool) -> None:
        def answer(values: dict[str, str] | None) -> None:
            if values:
                from ledger.base import parse
                from ledger.billing.payments import register_payment, register_refund

                cents = parse.parse_amount(values["amount"], "amount")
                on = parse.parse_date(values["date"], "date",
                                      today=self.solebook.clock.today())
                self.act("refunded" if refund else "paid",
                         register_refund if refund else register_payment,
                         self.books, number, cents, on=on, method=values["method"])

        self.app.push_screen(PaymentDialog(number, amount, self.solebook.clock.today(),
                                           refund=refund), answer)

    def done_refunded(self, info: InvoiceInfo) -> None:
        self.notify(_("Refund booked; open now {open}.").format(open=money(info.open)),
                    title=_("Refund"))
        self.reload()

    def done_paid(self, info: InvoiceInfo) -> None:
        self.notify(_("Payment registered; open now {open}.").format(open=money(info.open)),
                    title=_("Paid"))
        self.reload()

    def action_credit(self) -> None:
        """Choose the lines (all ticked), then confirm what the credit note takes."""
        info = self.info
        if info is not None and info.number is not None:
            from ledger.billing.credits import creditable_lines

            self.act("creditable", creditable_lines, self.books, info.number)

    def done_creditable(self, lines: list[Creditable]) -> None:
        from tui.screens.invoice_dialogs import CreditLinesDialog, credit_summary

        info = self.info
        if info is None or info.number is None:
            return
        number = info.number

        def confirmed(yes: bool | None, chosen: list[int]) -> None:
            if yes:
                from invoices.steps.issuing import credit_and_archive

                every = len(chosen) == len(lines)
                self.act("credited", credit_and_archive, self.books, number,
                         None if every else chosen)

        def picked(chosen: list[int] | None) -> None:
            if chosen:
                self.app.push_screen(ConfirmDialog(
                    _("Make a credit note?"), credit_summary(number, lines, chosen),
                    _("Make credit note")), lambda yes: confirmed(yes, chosen))

        self.app.push_screen(CreditLinesDialog(number, lines), picked)

    def done_credited(self, outcome: Issued[InvoiceInfo]) -> None:
        self.notify(_("Credit note {number} made for {total}.").format(
            number=outcome.info.number, total=money(outcome.info.total)), title=_("Credited"))
        self._archived(outcome.archived)
        self.reload()

    def action_statement(self) -> None:
        info = self.info
        package_ids = [line.package_id for line in info.lines if line.package_id] if info else []
        if package_ids:
            self.act("file", self._statement, self.books, package_ids[0])

    def _statement(self, books: Books, package_id: int) -> tuple[Path, bool]:
        from invoices.steps.statements import package_statement_file

        path = package_statement_file(books, package_id).path
        return path, self.solebook.viewer(path)

    def action_back(self) -> None:
        self.dismiss()

    def worker_failed(self, worker: Any) -> None:
        self.reload()
