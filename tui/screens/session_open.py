"""Opening a recorded session from a list: the form to correct it, or, when it is on an
invoice, why it cannot change and the way to the invoice (and its credit note)."""

from __future__ import annotations

from typing import Any

from ledger.base.views import SessionInfo
from tui.i18n import _
from tui.screens.base import BooksScreen
from tui.widgets.dialogs import ConfirmDialog


def open_session(screen: BooksScreen[Any], session: SessionInfo) -> None:
    """Open a session to correct it; one on an invoice says why it cannot change and
    offers the invoice (where an issued one is corrected with a credit note)."""
    if session.invoice_id is None:
        from tui.screens.session_form import SessionScreen

        screen.app.push_screen(SessionScreen(session_id=session.id))
        return
    invoice_id = session.invoice_id
    if session.invoice_number:
        body = _("This session is on invoice {number}. An issued invoice cannot be changed: "
                 "correct it with a credit note on the invoice's page.").format(
                     number=session.invoice_number)
    else:
        body = _("This session is on a draft invoice. Take it off the draft (or delete the "
                 "draft) to change it.")

    def answer(go: bool | None) -> None:
        if go:
            from tui.screens.invoice_page import InvoiceScreen

            screen.app.push_screen(InvoiceScreen(invoice_id))

    screen.app.push_screen(ConfirmDialog(_("The session is invoiced"), body,
                                         _("Open the invoice")), answer)
