"""The dialogs of one invoice: a line typed by hand on a draft, and the lines a credit
note takes. Each hands its answer back with ``dismiss(value)``; Enter gives the answer,
Escape cancels, and the footer shows the dialog's keys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, SelectionList, Static

from ledger.billing.drafts import LINE_FIELDS
from tui.failures import Guarded
from tui.i18n import N_, _, money, translate_bindings
from tui.widgets.dialogs import DIALOG_CSS, FormDialog
from tui.widgets.form import FieldForm, form_field

if TYPE_CHECKING:
    from ledger.billing.credits import Creditable

VAT_CHOICES = (("21%", "21"), ("9%", "9"), ("0%", "0"))


class AddLineDialog(FormDialog):
    """Description, amount (including VAT), quantity and, when the practice charges VAT,
    the rate: checked by the books' own field table as typed; Enter adds the line."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "AddLineDialog")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", N_("Cancel")),
        Binding("ctrl+s", "save", N_("Add line"), priority=True)]

    def __init__(self, charges_vat: bool) -> None:
        super().__init__()
        self.charges_vat = charges_vat
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Add a line to the draft"), classes="title")
            with FieldForm():
                yield form_field("description", _("Description"), LINE_FIELDS["description"])
                yield form_field("amount", _("Price including VAT"), LINE_FIELDS["amount"])
                yield form_field("quantity", _("Quantity"), LINE_FIELDS["quantity"], "1")
                if self.charges_vat:
                    yield form_field("vat_rate", _("VAT rate"), None, "21",
                                     choices=VAT_CHOICES)
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Add line"), id="confirm", variant="primary")
        yield Footer(compact=True)

    def answer(self, values: dict[str, str]) -> dict[str, str]:
        return {"vat_rate": "0", **values}  # no rate asked: the practice charges no VAT


class LinePicker(SelectionList[int]):
    """Space ticks a line on or off; Enter goes on with the lines ticked."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "select", N_("Tick / untick")),
        Binding("enter", "go_on", N_("Continue")),
    ]

    class GoOn(Message):
        pass

    def action_go_on(self) -> None:
        self.post_message(self.GoOn())


class CreditLinesDialog(Guarded, ModalScreen[list[int] | None]):
    """Which lines the credit note takes (every line with something left is ticked);
    hands back the chosen line numbers."""

    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "CreditLinesDialog") + """
    CreditLinesDialog LinePicker { height: auto; max-height: 12; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", N_("Cancel"))]

    def __init__(self, number: str, lines: Sequence[Creditable]) -> None:
        super().__init__()
        self.number = number
        self.lines = list(lines)
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Credit note for {number}").format(number=self.number),
                        classes="title")
            yield Static(_("Which lines does it credit? Space ticks a line on or off, Enter "
                           "goes on."), classes="body", markup=False)
            picker = LinePicker(*(
                (f"{row.position}. {row.description}  {money(row.left)}", row.position, True)
                for row in self.lines), id="credit-lines")
            translate_bindings(picker)
            yield picker
            yield Static("", id="credit-problem", classes="body")
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Continue"), id="confirm", variant="primary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(LinePicker).focus()

    @on(LinePicker.GoOn)
    @on(Button.Pressed, "#confirm")
    def _go_on(self) -> None:
        chosen = sorted(self.query_one(LinePicker).selected)
        if not chosen:
            self.query_one("#credit-problem", Static).update(
                _("Tick at least one line to credit."))
            return
        self.dismiss(chosen)

    @on(Button.Pressed, "#cancel")
    def _no(self) -> None:
        self.dismiss(None)


def credit_summary(number: str, lines: Sequence[Creditable], chosen: Sequence[int]) -> str:
    """What the confirmation says the credit note will take, line by line, and its total."""
    taken = [row for row in lines if row.position in chosen]
    rows = [f"  {row.position}. {row.description}  {money(-row.left)}" for row in taken]
    return _("A credit note for {number} with these lines, for {total}:\n{lines}\n\nIt gets "
             "its own number and is final; the invoice itself stays as it was.").format(
        number=number, total=money(-sum(row.left for row in taken)), lines="\n".join(rows))
