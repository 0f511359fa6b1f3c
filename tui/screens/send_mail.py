"""E-mailing an invoice from the screen that shows it: key e, and "send now?" after issuing.

The question after issuing is only asked when a mail server is set up and the client has
an e-mail address; otherwise issuing stays as quiet as it was. Sending runs in a worker;
a failure (wrong password, server unreachable) arrives as one clear notification and is
in the mail log, like every attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ledger.books import Books
from ledger.mail.smtp import MailRecord
from tui.i18n import _


@dataclass(frozen=True)
class MailTarget:
    number: str
    address: str
    problem: str  # why it cannot be sent ("" when it can)
    after_issue: bool


def mail_target(books: Books, number: str, after_issue: bool) -> MailTarget:
    """Where the invoice would go, or why it cannot go (read in a worker)."""
    from ledger.billing.status import get_invoice
    from ledger.mail.smtp import get_mail_settings
    from ledger.practice.clients import get_client

    info = get_invoice(books, number)
    address = get_client(books, info.client_id).email
    problem = ""
    if not get_mail_settings(books).configured:
        problem = _("E-mail is not set up yet: fill in the mail server under Settings (6), "
                    "Sending e-mail.")
    elif not address:
        problem = _("{client} has no e-mail address.").format(client=info.client_name)
    return MailTarget(number, address, problem, after_issue)


def send(books: Books, number: str) -> MailRecord:
    from invoices.steps.mail import send_invoice

    return send_invoice(books, number)


class MailActions:
    """Mixed into a screen that has ``info`` (the invoice shown) and ``act``."""

    info: Any
    books: Books

    def offer_send(self, number: str | None) -> None:
        """After issuing: ask "send now?" when that can work."""
        if number:
            self.act("mailable", mail_target, self.books, number, True)  # type: ignore[attr-defined]

    def action_email(self) -> None:
        info = self.info
        if info is not None and info.number:
            self.act("mailable", mail_target, self.books, info.number, False)  # type: ignore[attr-defined]

    def done_mailable(self, target: MailTarget) -> None:
        from tui.widgets.dialogs import ConfirmDialog

        screen: Any = self
        if target.problem:
            if not target.after_issue:
                screen.notify(target.problem, severity="warning", timeout=10)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                screen.act("mailed", send, self.books, target.number)

        screen.app.push_screen(ConfirmDialog(
            _("Send {number} now?").format(number=target.number),
            _("The invoice goes by e-mail to {address}, with its PDF attached.").format(
                address=target.address),
            _("Send"), cancel=_("Not now")), answer)

    def done_mailed(self, record: MailRecord) -> None:
        screen: Any = self
        screen.notify(_("Sent to {address} ({file}).").format(address=record.recipient,
                                                               file=record.attachment),
                      title=_("E-mail sent"))
