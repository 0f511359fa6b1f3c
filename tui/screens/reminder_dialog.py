"""The question before a reminder is made: what the letter will say, and PDF or e-mail.

Answers ``"letter"`` (make the PDF, to print and post), ``"email"`` (make it and send it
with the PDF attached; only offered when mail is set up and the client has an address,
otherwise the reason is shown) or ``None`` (nothing is made).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ledger.base.codes import ReminderKind
from tui.failures import Guarded
from tui.i18n import N_, _, day, money, n_, translate_bindings
from tui.widgets.dialogs import DIALOG_CSS

if TYPE_CHECKING:
    from ledger.billing.reminders import ReminderPlan
    from tui.screens.send_mail import MailTarget


def body(plan: ReminderPlan, target: MailTarget, advice: str) -> str:
    inv = plan.invoice
    lines = [n_("{client}: {open} open on {number} (due {due}, {days} day overdue).",
                "{client}: {open} open on {number} (due {due}, {days} days overdue).",
                plan.days_overdue).format(
        client=plan.client.get("name", ""), open=money(plan.principal), number=inv.number,
        due=day(inv.due_date), days=plan.days_overdue)]
    if plan.kind == ReminderKind.FOURTEEN_DAY:
        lines.append(_("Term: 14 days after the day the client receives the letter. "
                       "Collection costs if still unpaid after that: {costs}.").format(
            costs=money(plan.costs)))
    else:
        lines.append(_("New term: pay by {date}.").format(date=day(plan.pay_by)))
    if plan.previous:
        from tui.screens.reminders import sent

        lines.append(_("Sent before: {list}.").format(list=sent(plan.previous)))
    if advice:
        lines.append(_("Advice: {advice}.").format(advice=advice))
    lines.append("")
    lines.append(target.problem or _("By e-mail to {address}, with the PDF attached.").format(
        address=target.address))
    return "\n".join(lines)


class ReminderDialog(Guarded, ModalScreen[str | None]):
    DEFAULT_CSS = DIALOG_CSS.replace("{name}", "ReminderDialog") + """
    ReminderDialog > Vertical { width: 76; }
    ReminderDialog .buttons Button { min-width: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", N_("Cancel"))]

    def __init__(self, plan: ReminderPlan, target: MailTarget, advice: str = "") -> None:
        super().__init__()
        self.plan, self.target, self.advice = plan, target, advice
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        what = (_("Fourteen-day letter for {number}") if self.plan.kind == ReminderKind.FOURTEEN_DAY
                else _("Payment reminder for {number}"))
        with Vertical():
            yield Label(what.format(number=self.plan.invoice.number), classes="title")
            yield Static(body(self.plan, self.target, self.advice), classes="body",
                         id="reminder-body", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Make PDF"), id="letter", variant="primary")
                yield Button(_("Send by e-mail"), id="email", variant="success",
                             disabled=bool(self.target.problem))

    def on_mount(self) -> None:
        self.query_one("#letter", Button).focus()

    @on(Button.Pressed, "#letter")
    def _letter(self) -> None:
        self.dismiss("letter")

    @on(Button.Pressed, "#email")
    def _email(self) -> None:
        self.dismiss("email")

    @on(Button.Pressed, "#cancel")
    def _no(self) -> None:
        self.dismiss(None)
