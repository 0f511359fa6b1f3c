"""Bank statements: import a file, then review what each payment received seems to pay.

Each line awaiting review shows its proposal (which invoice(s), how much, and why). The
person confirms it (the payments are booked in one go), corrects it (other invoices or
amounts), sends it back to unmatched, or ignores it (money that is not for an invoice).
Reading and booking happen in workers; the table reloads after every action. The list is
read a page at a time (:class:`~tui.screens.paged.PagedScreen`), so thirty thousand lines
awaiting review open as fast as thirty, and the summary gives their number. Lines of an
account that is not the practice's (see ``ledger.bank.accounts``) show as "other
account" and cannot be booked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from ledger.bank.booking import BankLineView
from ledger.bank.importing import ImportResult
from ledger.base.codes import BankLineStatus
from ledger.books import Books
from tui.i18n import N_, _, day, language, money, n_
from tui.screens.paged import PagedScreen, Row
from tui.widgets.fit_table import Column
from tui.widgets.paged_table import PAGE_SIZE, PagedTable

STATUS = {"proposed": N_("proposed"), "unmatched": N_("unmatched"), "booked": N_("booked"),
          "debit": N_("paid out"), "ignored": N_("ignored"), "duplicate": N_("imported before"),
          "other": N_("other account")}
RULES = {"number": N_("invoice number and amount"),
         "number_part": N_("invoice number; the amount differs"),
         "amount_name": N_("amount and name"), "amount": N_("amount only"),
         "manual": N_("corrected by hand")}


@dataclass(frozen=True)
class BankPage:
    review_only: bool
    offset: int
    lines: list[BankLineView]
    total: int | None  # the lines of the list (first page only)
    waiting: int | None  # the lines awaiting review (first page only)


def read_page(books: Books, review_only: bool, offset: int, *, first: bool) -> BankPage:
    from ledger.bank.booking import count_lines, list_lines

    status = "review" if review_only else None
    lines = list_lines(books, status=status, limit=PAGE_SIZE, offset=offset)
    if not first:
        return BankPage(review_only, offset, lines, None, None)
    waiting = count_lines(books, status="review")
    total = waiting if review_only else count_lines(books)
    return BankPage(review_only, offset, lines, total, waiting)


def row(line: BankLineView) -> Row:
    return str(line.id), (day(line.booking_date), money(line.amount), line.counterparty_name,
                          ", ".join(line.invoice_numbers) or "—",
                          _(STATUS.get(line.status, line.status)))


def describe(line: BankLineView) -> str:
    """The highlighted line in full: who paid what, for what, and what is proposed."""
    parts = [_("{date} · {amount} · {name} {iban}").format(
        date=day(line.booking_date, "long"), amount=money(line.amount),
        name=line.counterparty_name or "?", iban=line.counterparty_iban).rstrip()]
    if line.description:
        parts.append(line.description)
    if line.status == BankLineStatus.OTHER:
        parts.append(_("Account {account} is not one of the practice's accounts: add it in "
                       "the settings to match its lines.").format(account=line.account))
    for match in line.matches:
        if match.status == "rejected":
            continue
        parts.append(_("{amount} on {number} ({how}, {status})").format(
            amount=money(match.amount), number=match.invoice_number,
            how=_(RULES.get(match.rule, match.rule)), status=_(STATUS.get(
                "booked" if match.status == "confirmed" else "proposed", match.status))))
    if line.note:
        parts.append(line.note_in(language()))
    return "\n".join(parts)


class BankScreen(PagedScreen[BankPage]):
    CSS_PATH = "bank.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "confirm", N_("Book as proposed")),
        Binding("e", "correct", N_("Correct")),
        Binding("u", "unmatch", N_("Not this")),
        Binding("g", "ignore", N_("Ignore")),
        Binding("i", "import_file", N_("Import file")),
        Binding("a", "toggle_all", N_("All lines")),
        Binding("escape", "back", N_("Back")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.review_only = True
        self.lines: dict[str, BankLineView] = {}
        self.resume_at = 0  # the row the cursor goes to when the list is read again

    def compose(self) -> ComposeResult:
        yield Static(_("Bank statements"), id="bank-title", classes="form-title")
        yield Static("", id="bank-summary", classes="summary")
        yield PagedTable([
            Column(_("Date"), 10), Column(_("Amount"), 11, right=True),
            Column(_("Payer"), 14, 1), Column(_("Invoices"), 12, 1), Column(_("Status"), 12),
        ], id="bank-lines", classes="list")
        yield Static("", id="bank-detail", classes="summary", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.table.focus()

    # ------------------------------------------------------------------ loading
    def list_key(self) -> bool:
        return self.review_only

    def fetch(self, books: Books) -> BankPage:
        return read_page(books, self.review_only, 0, first=True)

    def show(self, data: BankPage) -> None:
        if data.review_only != self.review_only:
            return
        total, waiting = data.total or 0, data.waiting or 0
        self.lines = {str(line.id): line for line in data.lines}
        # after booking or turning down a line the cursor stays where it was: on the next
        at, self.resume_at = self.resume_at, 0
        self.table.start(total, [row(line) for line in data.lines], at)
        self.query_one("#bank-title", Static).update(
            _("Bank statements · to review") if self.review_only else _("Bank statements"))
        summary = (_("Nothing to review. Press i to import a statement file.") if not waiting
                   else n_("{count} line to review: Enter books the proposal, e corrects it, "
                           "u turns it down, g ignores the line.",
                           "{count} lines to review: Enter books the proposal, e corrects it, "
                           "u turns it down, g ignores the line.", waiting).format(
                       count=waiting))
        if not self.review_only:
            summary = n_("{count} line in all.", "{count} lines in all.", total).format(
                count=total) + " " + summary
        self.query_one("#bank-summary", Static).update(summary)
        self._detail()
        self.refresh_bindings()

    def read_more(self, key: bool, offset: int) -> BankPage:
        return read_page(self.books, key, offset, first=False)

    def page_rows(self, page: BankPage) -> list[Row]:
        self.lines.update({str(line.id): line for line in page.lines})
        return [row(line) for line in page.lines]

    @on(DataTable.RowHighlighted)
    def _detail(self) -> None:
        line = self.current
        self.query_one("#bank-detail", Static).update(describe(line) if line else "")
        self.refresh_bindings()

    @property
    def current(self) -> BankLineView | None:
        key = self.table.selected_key() if self.is_mounted else None
        return self.lines.get(key) if key is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        line = self.current
        status = line.status if line is not None else None
        s = BankLineStatus
        open_line = status in (s.PROPOSED, s.UNMATCHED, s.IGNORED)
        credit = line is not None and line.amount > 0
        allowed = {
            "confirm": open_line and status == s.PROPOSED,
            "correct": open_line and credit,
            "unmatch": status in (s.PROPOSED, s.IGNORED),
            "ignore": status in (s.PROPOSED, s.UNMATCHED),
        }
        return allowed.get(action, True)

    # ------------------------------------------------------------------ actions
    @on(DataTable.RowSelected)  # Enter on the table
    def action_confirm(self) -> None:
        from ledger.bank.booking import confirm_line

        line = self.current
        if line is not None and line.status == BankLineStatus.PROPOSED:
            self.act("booked", confirm_line, self.books, line.id)
        elif line is not None and self.check_action("correct", ()):
            self.action_correct()  # nothing proposed: say what it pays

    def done_booked(self, line: BankLineView) -> None:
        booked = ", ".join(_("{amount} on {number}").format(
            amount=money(m.amount), number=m.invoice_number)
            for m in line.matches if m.status == "confirmed")
        self.notify(_("Booked: {what}.").format(what=booked), title=_("Payment booked"))
        self.reload_here()

    def action_correct(self) -> None:
        from tui.screens.bank_dialogs import CorrectDialog

        line = self.current
        if line is None:
            return

        def answer(booked: BankLineView | None) -> None:
            if booked is not None:
                self.done_booked(booked)

        self.app.push_screen(CorrectDialog(line), answer)

    def action_unmatch(self) -> None:
        self._reject(ignore=False)

    def action_ignore(self) -> None:
        self._reject(ignore=True)

    def _reject(self, *, ignore: bool) -> None:
        from ledger.bank.booking import reject_line

        line = self.current
        if line is not None:
            self.act("rejected", reject_line, self.books, line.id, ignore=ignore)

    def done_rejected(self, line: BankLineView) -> None:
        self.notify(_("Line marked {status}.").format(status=_(STATUS.get(line.status,
                                                                          line.status))))
        self.reload_here()

    def reload_here(self) -> None:
        """Read the list again, the cursor staying on its row (the line acted on has
        left the review list: the next one is there)."""
        self.resume_at = self.table.cursor_row
        self.reload()

    def action_import_file(self) -> None:
        from tui.screens.bank_dialogs import ImportDialog

        def answer(path: str | None) -> None:
            if path:
                from ledger.bank.importing import import_statement

                # a large statement takes seconds: say that it is being read
                self.notify(_("Reading {file}…").format(file=Path(path).expanduser().name),
                            title=_("Statement"))
                self.act("imported", import_statement, self.books, path)

        self.app.push_screen(ImportDialog(), answer)

    def done_imported(self, result: ImportResult) -> None:
        new, other = len(result.lines) - result.count("duplicate"), result.count("other")
        apart = (" " + n_("{count} line is of another account: add the account in the "
                          "settings to match it.", "{count} lines are of other accounts: add "
                          "the account in the settings to match them.", other).format(
            count=other)) if other else ""
        self.notify(n_("{new} new line: {proposed} proposed, {unmatched} unmatched, {debit} "
                       "paid out; {duplicate} imported before.",
                       "{new} new lines: {proposed} proposed, {unmatched} unmatched, {debit} "
                       "paid out; {duplicate} imported before.", new).format(
            new=new, proposed=result.count("proposed"),
            unmatched=result.count("unmatched"), debit=result.count("debit"),
            duplicate=result.count("duplicate")) + apart, title=_("Statement imported"))
        self.review_only = True
        self.reload()

    def action_toggle_all(self) -> None:
        self.review_only = not self.review_only
        self.reload()

    def action_back(self) -> None:
        self.dismiss()

    def worker_failed(self, worker: Any) -> None:
        self.reload()
