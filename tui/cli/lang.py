"""The language of what the command line prints for people: gettext (domain
``solebook_cli``, catalogue ``tui/cli/locale``), amounts, dates and refusals.

One language per run: ``--lang`` when given, else the practice's language once the books
are open, and Dutch before that (no books yet). :func:`start` sets it at the beginning of
each run and :func:`follow_practice` when the books are open; every text a command prints
for a person passes through ``_`` / ``n_`` here, amounts through :func:`money` and dates
through :func:`day`. ``--json`` never passes through here: its bytes do not depend on the
language. Message ids are English, so ``--lang en`` prints them as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger.base.dates import format_date
from ledger.base.errors import SolebookError
from ledger.base.i18n import gettext_for, ngettext_for
from ledger.base.money import format_money

if TYPE_CHECKING:
    from ledger.books import Books

DOMAIN = "solebook_cli"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("nl", "en")
DEFAULT = "nl"

_state: dict[str, Any] = {}


def _set(language: str, chosen: bool) -> None:
    _state.update(language=language, chosen=chosen,
                  gettext=gettext_for(language, DOMAIN, LOCALE_DIR),
                  ngettext=ngettext_for(language, DOMAIN, LOCALE_DIR))


def start(language: str | None) -> None:
    """A new run: the language asked for with ``--lang``, or Dutch until the books say."""
    _set(language if language in LANGUAGES else DEFAULT, chosen=language in LANGUAGES)


def follow_practice(books: Books) -> None:
    """Without ``--lang``, the run speaks the practice's language from here on."""
    if _state.get("chosen"):
        return
    from ledger.practice.profile import get_practice

    practice_language = get_practice(books).language
    _set(practice_language if practice_language in LANGUAGES else DEFAULT, chosen=False)


def language() -> str:
    return str(_state.get("language", DEFAULT))


def _(message: str) -> str:
    """The message in the run's language."""
    translate: Callable[[str], str] | None = _state.get("gettext")
    return translate(message) if translate else message


def n_(singular: str, plural: str, n: int) -> str:
    translate: Callable[[str, str, int], str] | None = _state.get("ngettext")
    if translate is None:
        return singular if n == 1 else plural
    return translate(singular, plural, n)


def money(cents: int) -> str:
    """``€ 1.234,56`` (nl) / ``€1,234.56`` (en)."""
    return format_money(cents, language())


def day(d: date | None, style: str = "short") -> str:
    """``24-11-2026`` in tables, ``24 november 2026`` (``style="long"``); blank for None."""
    return "" if d is None else format_date(d, language(), style)


def refusal(error: SolebookError) -> str:
    """What the books refused, in the run's language."""
    return error.text(language())


def status_word(code: str | None) -> str:
    """A code the books store (a status, a kind, a next step), as a word for a person; an
    unknown code as it is. ``--json`` keeps the codes."""
    words = {
        # sessions
        "given": _("given"), "no_show": _("no-show"), "late_cancel": _("late cancellation"),
        "planned": _("planned"),
        # invoices
        "draft": _("draft"), "open": _("open"), "partly_paid": _("partly paid"),
        "paid": _("paid"), "overdue": _("overdue"), "credited": _("credited"),
        "settled": _("settled"),
        # packages
        "active": _("active"), "used_up": _("used up"), "expired": _("expired"),
        "cancelled": _("cancelled"),
        # reminders and their next step
        "first": _("payment reminder"), "fourteen_day": _("fourteen-day letter"),
        "wait": _("wait"), "collection_costs": _("collection costs"),
        # bank statement lines and their matches
        "booked": _("booked"), "proposed": _("proposed"), "unmatched": _("unmatched"),
        "debit": _("paid out"), "ignored": _("ignored"), "duplicate": _("imported before"),
        "other": _("other account"),
        "confirmed": _("confirmed"), "rejected": _("rejected"),
        # e-mail
        "sent": _("sent"), "failed": _("failed"), "invoice": _("invoice"),
        "credit": _("credit note"), "statement": _("claim statement"),
        "reminder": _("reminder"), "confirmation": _("appointment confirmation"),
        "appointment_reminder": _("appointment reminder"),
        # the audit log
        "insert": _("added"), "update": _("changed"), "delete": _("deleted"),
        # the practice's settings
        "standard": _("VAT charged"), "exempt": _("exempt from VAT"), "kor": _("KOR"),
        "pro_rata": _("pro rata"), "single_price": _("single price"), "none": _("none"),
    }
    return words.get(code or "", code or "")


def number(value: Decimal | int) -> str:
    """A plain number such as a distance: ``12,5`` (nl) / ``12.5`` (en)."""
    from ledger.base.money import format_number

    return format_number(value, language())
