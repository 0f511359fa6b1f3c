"""Words for the codes the books store (statuses, methods, regimes), in the interface's
language, and small formatting helpers the screens share."""

from __future__ import annotations

from ledger.base.views import PackageInfo, SessionInfo
from tui.i18n import N_, _

SESSION_STATUS = {
    "given": N_("given"),
    "no_show": N_("no-show"),
    "late_cancel": N_("late cancellation"),
}
INVOICE_STATUS = {
    "draft": N_("draft"),
    "open": N_("open"),
    "partly_paid": N_("partly paid"),
    "paid": N_("paid"),
    "overdue": N_("overdue"),
    "credited": N_("credited"),
    "settled": N_("credit note"),
}
PACKAGE_STATUS = {
    "active": N_("active"),
    "used_up": N_("used up"),
    "expired": N_("expired"),
    "cancelled": N_("cancelled"),
}
METHODS = {"bank": N_("bank transfer"), "pin": N_("PIN"), "cash": N_("cash"),
           "other": N_("other")}
REGIMES = {"standard": N_("VAT charged (standard)"), "exempt": N_("exempt from VAT"),
           "kor": N_("small-business scheme (KOR)")}
CANCEL_POLICIES = {"pro_rata": N_("refund unused sessions pro rata"),
                   "single_price": N_("refund the price less used sessions at full price"),
                   "none": N_("no refund")}
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def label(table: dict[str, str], code: str) -> str:
    """The translated word for ``code`` (the code itself when unknown)."""
    return _(table[code]) if code in table else code


def choices(table: dict[str, str]) -> list[tuple[str, str]]:
    return [(_(text), code) for code, text in table.items()]


def balance(package: PackageInfo) -> str:
    """``3 van 5 gebruikt`` / ``3 of 5 used``."""
    return _("{used} of {total} used").format(used=package.sessions_used,
                                              total=package.sessions_total)


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
