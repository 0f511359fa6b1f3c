"""Dialogs: each is a ``ModalScreen[T]`` that hands back its answer with ``dismiss(value)``.

They forgive: Enter gives the answer the dialog is about (in a form: when every field is
right), Escape cancels, and the footer shows the dialog's own keys rather than those of
the screen behind it. Where the answer would throw work away, the safe button has the
focus, so Enter keeps it."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

from ledger.base import parse
from ledger.base.forms import Field
from ledger.base.views import ClientInfo
from tui.failures import Guarded
from tui.i18n import N_, _, amount_input, day, translate_bindings
from tui.screens.base import BooksDialog
from tui.widgets.client_picker import ClientPicker
from tui.widgets.form import FieldForm, form_field

DIALOG_CSS = """
{name} { align: center middle; }
{name} > Vertical {
    width: 64; max-width: 95%; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 1 2;
}
{name} .title { text-style: bold; width: 100%; margin-bottom: 1; }
{name} .body { width: 100%; height: auto; margin-bottom: 1; }
{name} .buttons { height: auto; align-horizontal: right; margin-top: 1; }
{name} .buttons Button { margin-left: 1; }
"""


class ConfirmDialog(Guarded, ModalScreen[bool]):
    """A question with two answers. The confirming button has the focus (Enter), unless
    ``safe_default``: then Enter takes the cancelling answer (keep what was typed)."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "ConfirmDialog")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(False)", N_("Cancel"))]

    def __init__(self, title: str, body: str, confirm: str, *, cancel: str | None = None,
                 danger: bool = False, safe_default: bool = False) -> None:
        super().__init__()
        self.safe_default = safe_default
        self.title_text = title
        self.body_text = body
        self.confirm_text = confirm
        self.cancel_text = cancel or _("Cancel")
        self.danger = danger
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield Static(self.body_text, classes="body", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.cancel_text, id="cancel")
                yield Button(self.confirm_text, id="confirm",
                             variant="error" if self.danger else "primary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#cancel" if self.safe_default else "#confirm", Button).focus()

    @on(Button.Pressed, "#confirm")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _no(self) -> None:
        self.dismiss(False)


def discard_changes_dialog() -> ConfirmDialog:
    return ConfirmDialog(
        _("Unsaved changes"),
        _("You changed this form without saving. Leave it and lose the changes?"),
        _("Discard changes"), cancel=_("Keep editing"), danger=True, safe_default=True,
    )


class FormDialog(Guarded, ModalScreen[dict[str, str] | None]):
    """A dialog of form fields (a :class:`FieldForm`) with Cancel and confirm buttons: Enter
    in a field or the confirm button checks every field and answers with what was typed;
    Cancel (or Escape, in the subclass's BINDINGS) answers None."""

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#confirm")
    def action_save(self) -> None:
        form = self.query_one(FieldForm)
        problems = form.problems()
        if problems:
            form.first_problem_focus(list(problems))
            return
        self.dismiss(self.answer({k: v or "" for k, v in form.values().items()}))

    def answer(self, values: dict[str, str]) -> dict[str, str]:
        """What the dialog hands back for the values typed (a subclass may complete them)."""
        return values

    @on(Button.Pressed, "#cancel")
    def _no(self) -> None:
        self.dismiss(None)


class PaymentDialog(FormDialog):
    """Amount (the open amount filled in), date (today) and how it was paid; Enter in a
    field registers it. With ``refund``, the same for money paid back to the client (the
    amount owed back filled in, as a positive amount)."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "PaymentDialog")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", N_("Cancel")),
                Binding("ctrl+s", "save", N_("Save"), priority=True)]

    def __init__(self, number: str, open_amount: int, today: date, *,
                 refund: bool = False) -> None:
        super().__init__()
        self.refund = refund
        self.number = number
        self.open_amount = open_amount
        self.today = today
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        today = self.today
        amount = Field(_("Amount"), parse.parse_amount, blank=None)
        when = Field(_("Date"), lambda raw, label: parse.parse_date(raw, label, today=today),
                     blank=None)
        methods = [(_("Bank transfer"), "bank"), (_("PIN"), "pin"), (_("Cash"), "cash"),
                   (_("Other"), "other")]
        with Vertical():
            title = (_("Refund on {number}") if self.refund
                     else _("Payment for {number}")).format(number=self.number)
            yield Label(title, classes="title")
            with FieldForm():
                yield form_field("amount", _("Amount"), amount,
                                 amount_input(self.open_amount))
                yield form_field("date", _("Date"), when, day(today))
                yield form_field("method", _("Paid back by") if self.refund else _("Paid by"),
                                 None, "bank", choices=methods)
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Book refund") if self.refund else _("Register payment"),
                             id="confirm", variant="primary")
        yield Footer(compact=True)

class PickClientDialog(BooksDialog[ClientInfo | None]):
    """Choose a client (search as you type); Enter takes the highlighted one."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "PickClientDialog")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", N_("Cancel"))]

    def __init__(self, title: str, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            if self.hint:
                yield Static(self.hint, classes="body", markup=False)
            yield ClientPicker(id="picker")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(ClientPicker).focus()

    @on(ClientPicker.Picked)
    def _picked(self, event: ClientPicker.Picked) -> None:
        if event.client is not None:
            self.dismiss(event.client)
