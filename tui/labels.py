"""Words for the codes the books store (statuses, methods, regimes), in the interface's
language, and small formatting helpers the screens share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.base.codes import (
    CancelPolicy,
    InvoiceStatus,
    PackageStatus,
    PaymentMethod,
    SessionStatus,
    VatRegime,
    Voice,
)
from tui.i18n import N_, _, money

if TYPE_CHECKING:  # the overview paints without the books' value classes
    from ledger.base.views import PackageInfo, SessionInfo

SESSION_STATUS: dict[str, str] = {
    SessionStatus.GIVEN: N_("given"),
    SessionStatus.NO_SHOW: N_("no-show"),
    SessionStatus.LATE_CANCEL: N_("late cancellation"),
    SessionStatus.PLANNED: N_("planned"),
    SessionStatus.CANCELLED: N_("cancelled in time"),
}
INVOICE_STATUS: dict[str, str] = {
    InvoiceStatus.DRAFT: N_("draft"),
    InvoiceStatus.OPEN: N_("open"),
    InvoiceStatus.PARTLY_PAID: N_("partly paid"),
    InvoiceStatus.PAID: N_("paid"),
    InvoiceStatus.OVERDUE: N_("overdue"),
    InvoiceStatus.CREDITED: N_("credited"),
    InvoiceStatus.SETTLED: N_("credit note"),
}
PACKAGE_STATUS: dict[str, str] = {
    PackageStatus.ACTIVE: N_("active"),
    PackageStatus.USED_UP: N_("used up"),
    PackageStatus.EXPIRED: N_("expired"),
    PackageStatus.CANCELLED: N_("cancelled"),
}
METHODS: dict[str, str] = {
    PaymentMethod.BANK: N_("bank transfer"),
    PaymentMethod.PIN: N_("PIN"),
    PaymentMethod.CASH: N_("cash"),
    PaymentMethod.OTHER: N_("other"),
}
REGIMES: dict[str, str] = {
    VatRegime.STANDARD: N_("VAT charged (standard)"),
    VatRegime.EXEMPT: N_("exempt from VAT"),
    VatRegime.KOR: N_("small-business scheme (KOR)"),
}
VOICES: dict[str, str] = {
    Voice.I: N_("I (a one-person practice)"),
    Voice.WE: N_("we"),
}
CANCEL_POLICIES: dict[str, str] = {
    CancelPolicy.PRO_RATA: N_("refund unused sessions pro rata"),
    CancelPolicy.SINGLE_PRICE: N_("refund the price less used sessions at full price"),
    CancelPolicy.NONE: N_("no refund"),
}
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def open_amounts(to_receive: int, to_refund: int) -> str:
    """What is open, as every screen shows it (``ledger.derived.settlement.OpenAmounts``):
    still to receive, and apart from it, when there is any, what is to be paid back."""
    text = _("to receive {amount}").format(amount=money(to_receive))
    if to_refund:
        text += " · " + _("to pay back {amount}").format(amount=money(to_refund))
    return text


def label(table: dict[str, str], code: str) -> str:
    """The translated word for ``code`` (the code itself when unknown)."""
    return _(table[code]) if code in table else code


def choices(table: dict[str, str]) -> list[tuple[str, str]]:
    return [(_(text), code) for code, text in table.items()]


def balance(package: PackageInfo) -> str:
    """``3 van 5 gebruikt`` / ``3 of 5 used``."""
    return _("{used} of {total} used").format(used=package.sessions_used,
                                              total=package.sessions_total)


def series_balance(package: PackageInfo) -> str:
    """``2 gebruikt, 2 gepland, 1 vrij``: a series with the places its appointments hold."""
    return _("{used} used, {planned} planned, {free} free").format(
        used=package.sessions_used, planned=package.sessions_planned,
        free=package.sessions_free)


def paid_by(session: SessionInfo) -> str:
    """How a session is paid: by a package, on an invoice, or not yet."""
    if session.package_id is not None:
        return _("package")
    if session.invoice_number:
        return session.invoice_number
    if session.invoice_id is not None:
        return _("draft")
    if session.billable_amount == 0:
        return "—"
    return _("to invoice")
