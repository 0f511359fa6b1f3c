"""An empty database: set up the practice in a short form, or load the demo practice."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Label, ProgressBar, Select, Static

from ledger.base.codes import charges_vat
from ledger.books import Books
from ledger.practice.catalogue import TREATMENT_FIELDS
from ledger.practice.profile import PRACTICE_FIELDS
from tui.i18n import N_, _, n_
from tui.labels import REGIMES, choices
from tui.screens.base import BooksScreen
from tui.widgets.form import FieldForm, form_field

SETUP = ("name", "therapist_name", "address", "postcode", "city", "kvk", "iban")
LABELS = {
    "name": N_("Practice name"), "therapist_name": N_("Your name"), "address": N_("Address"),
    "postcode": N_("Postcode"), "city": N_("City"), "kvk": N_("KvK number"),
    "iban": N_("IBAN"),
}


def set_up(books: Books, practice: dict[str, str | None], treatment: dict[str, str | None]
           ) -> None:
    from ledger.practice.catalogue import add_treatment
    from ledger.practice.profile import update_practice

    update_practice(books, practice)
    add_treatment(books, treatment)


class StartScreen(BooksScreen[None]):
    FORM = True  # section keys and n are not taken while filling this in
    DEMO_CLIENTS = 36
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Set up"), priority=True),
        Binding("ctrl+d", "demo", N_("Load demo"), priority=True),
        Binding("escape", "later", N_("Later")),
    ]

    class Progress(Message):
        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

    def compose(self) -> ComposeResult:
        yield Static(_("Welcome to solebook"), classes="form-title")
        yield Static(_("This database is still empty. Fill in the short form to set up your "
                       "practice (everything else can be added later under Settings), or "
                       "load the demo practice to look around first."), classes="hint")
        with VerticalScroll(classes="form-scroll"):
            with Horizontal(classes="form-columns"):
                with FieldForm(id="setup-practice"):
                    required = replace(PRACTICE_FIELDS["name"], blank=None)
                    yield form_field(SETUP[0], _(LABELS[SETUP[0]]), required)
                    for key in SETUP[1:4]:
                        yield form_field(key, _(LABELS[key]), PRACTICE_FIELDS[key])
                with Vertical():
                    with FieldForm(id="setup-more"):
                        for key in SETUP[4:]:
                            yield form_field(key, _(LABELS[key]), PRACTICE_FIELDS[key])
                        yield form_field("vat_regime", _("VAT"), PRACTICE_FIELDS["vat_regime"],
                                         "standard", choices=choices(REGIMES))
                    with FieldForm(id="setup-vat"):  # asked only when invoices charge VAT
                        yield form_field("vat_id", _("VAT id (btw-id, on every invoice)"),
                                         replace(PRACTICE_FIELDS["vat_id"], blank=None),
                                         placeholder="NL000099998B57")
            with Horizontal(classes="form-columns"):
                with FieldForm(id="setup-treatment"):
                    yield form_field("t_name", _("Your main treatment"),
                                     TREATMENT_FIELDS["name"], _("Foot reflexology"))
                with FieldForm(id="setup-price"):
                    yield form_field("t_price", _("Its price (incl. VAT)"),
                                     TREATMENT_FIELDS["price"], "65,00")
            with Horizontal(classes="buttons"):
                yield Button(_("Set up my practice"), id="save", variant="primary")
                yield Button(_("Load the demo practice"), id="demo")
            yield Label("", id="demo-what")
            yield ProgressBar(id="demo-progress", show_eta=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#demo-progress").display = False
        self.query_one("#field-name").focus()

    def forms(self) -> list[FieldForm]:
        """The forms in use: the btw-id only when the chosen regime charges VAT (Dutch law
        asks for it on such an invoice; the books refuse to issue one without it)."""
        return [form for form in self.query(FieldForm) if form.display]

    @on(Select.Changed, "#field-vat_regime")
    def _regime_chosen(self, event: Select.Changed) -> None:
        self.query_one("#setup-vat", FieldForm).display = charges_vat(event.value)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        problems: dict[str, str] = {}
        values: dict[str, str | None] = {}
        for form in self.forms():
            problems.update(form.problems())
            values.update(form.values())
        if problems:
            for form in self.forms():
                if any(item.key in problems for item in form.form_fields):
                    form.first_problem_focus(list(problems))
                    break
            self.notify(_("Please correct the marked fields."), severity="warning")
            return
        treatment = {"name": values.pop("t_name"), "price": values.pop("t_price")}
        practice = {k: v for k, v in values.items() if v}
        practice["language"] = "nl"
        self.query_one("#save", Button).disabled = True
        self.act("setup", set_up, self.books, practice, treatment)

    def done_setup(self, _result: Any) -> None:
        self.notify(_("Your practice is set up. Record your first session with n."))
        self.dismiss()

    @on(Button.Pressed, "#demo")
    def action_demo(self) -> None:
        for button in self.query(Button):
            button.disabled = True
        self.query_one("#demo-progress").display = True
        self.query_one("#demo-what", Label).update(_("Loading the demo practice…"))
        self.act("demo", self._load_demo, self.books)

    def _load_demo(self, books: Books) -> dict[str, int]:
        from ledger.demo import load_demo

        def progress(done: int, total: int, what: str) -> None:
            self.post_message(self.Progress(done, total))

        return load_demo(books, clients=self.DEMO_CLIENTS, progress=progress)

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self.query_one("#demo-progress", ProgressBar).update(
            total=message.total, progress=message.done)

    def done_demo(self, counts: dict[str, int]) -> None:
        self.notify(_("Demo practice loaded: {clients}, {sessions}, {invoices}.").format(
            clients=n_("{count} client", "{count} clients", counts["clients"]).format(
                count=counts["clients"]),
            sessions=n_("{count} session", "{count} sessions", counts["sessions"]).format(
                count=counts["sessions"]),
            invoices=n_("{count} invoice", "{count} invoices", counts["invoices"]).format(
                count=counts["invoices"])))
        self.dismiss()

    def worker_failed(self, worker: Any) -> None:
        for button in self.query(Button):
            button.disabled = False
        self.query_one("#demo-progress").display = False

    def action_later(self) -> None:
        self.dismiss()
