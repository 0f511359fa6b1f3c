"""The interface's language: gettext (domain ``solebook_tui``) and the Dutch way of showing
amounts and dates.

Message ids are English; Dutch is the default. The language is chosen once per app (the
factory calls :func:`set_language`) before any screen is built, so ``_`` is called when a
screen composes, never at import time. Texts that must exist at import time (key binding
descriptions) are marked with :func:`N_` and translated per screen by
:func:`translate_bindings`. Without its compiled catalogue (``tui/locale``, package data)
:func:`set_language` raises ``ledger.base.i18n.CatalogueMissing``: the interface never
falls back to English silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger.base.dates import format_date
from ledger.base.i18n import gettext_for, ngettext_for
from ledger.base.money import format_money, format_number, format_quantity, format_rate

DOMAIN = "solebook_tui"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("nl", "en")

_state: dict[str, Any] = {"language": "nl"}


def set_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    _state["language"] = language
    _state["gettext"] = gettext_for(language, DOMAIN, LOCALE_DIR)
    _state["ngettext"] = ngettext_for(language, DOMAIN, LOCALE_DIR)


def language() -> str:
    return str(_state["language"])


def _(message: str) -> str:
    """The message in the interface's language."""
    translate: Callable[[str], str] | None = _state.get("gettext")
    return translate(message) if translate else message


def n_(singular: str, plural: str, n: int) -> str:
    translate: Callable[[str, str, int], str] | None = _state.get("ngettext")
    if translate is None:
        return singular if n == 1 else plural
    return translate(singular, plural, n)


def N_(message: str) -> str:
    """Mark a text for extraction; it is translated later, where it is shown."""
    return message


def money(cents: int) -> str:
    """``€ 1.234,56`` (nl) / ``€1,234.56`` (en)."""
    return format_money(cents, language())


def money_in_text(cents: int) -> str:
    """An amount inside a sentence that wraps: as :func:`money`, with a no-break space, so
    "€" and the figures never land on two lines."""
    return money(cents).replace(" ", "\u00a0")


def quantity(value: Decimal | int) -> str:
    """Hours or kilometres: ``671,25`` (nl) / ``671.25`` (en)."""
    return format_quantity(value, language())


def number(value: Decimal | int, *, grouping: bool = True) -> str:
    """A plain number, a distance: ``12,5`` (nl) / ``12.5`` (en); without ``grouping`` as
    it is typed back into a field."""
    return format_number(value, language(), grouping=grouping)


def rate(value: Decimal) -> str:
    """A VAT rate: ``21%``, ``5,5%`` (nl) / ``5.5%`` (en)."""
    return format_rate(value, language())


def day(d: date | None, style: str = "short") -> str:
    """``24-11-2026`` in tables, ``24 november 2026`` (``style="long"``); blank for None."""
    return "" if d is None else format_date(d, language(), style)


def weekday(d: date) -> str:
    """``ma 23 nov`` / ``Mon 23 Nov``: a day in a week's list (Babel, CLDR names)."""
    from babel.dates import format_date as babel_format

    from ledger.base.money import babel_locale

    return babel_format(d, "EEE d MMM", locale=babel_locale(language())).rstrip(".")


def amount_input(cents: int) -> str:
    """An amount as a person would type it back into a field: ``65,00`` (nl)."""
    from ledger.base.money import format_amount

    return format_amount(cents, language()).replace(".", "") if language() == "nl" else (
        format_amount(cents, language()).replace(",", "")
    )


def translate_bindings(node: Any) -> None:
    """Translate the descriptions of a widget's key bindings (marked with ``N_``)."""
    bindings = node._bindings.key_to_bindings  # Textual keeps a per-instance copy
    for key, items in bindings.items():
        bindings[key] = [
            replace(b, description=_(b.description), tooltip=_(b.tooltip) if b.tooltip else "")
            for b in items
        ]
