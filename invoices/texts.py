"""Document texts in the document's language: gettext (domain ``solebook``), Babel formats.

Message ids are English; the Dutch is in ``ledger/locale/nl/LC_MESSAGES/solebook.po``.
Renderers take a :class:`Texts` for the document's language and never format money or
dates themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ledger.base.dates import format_date
from ledger.base.i18n import gettext_for, ngettext_for
from ledger.base.identifiers import format_iban
from ledger.base.money import format_money, format_rate
from ledger.practice.profile import EXEMPT_TEXT, KOR_TEXT


def N_(message: str) -> str:
    """Mark a text for extraction; it is translated where it is used."""
    return message


#: The default regime statements (settings, in Dutch) and their English message ids. On a
#: document the statement is translated only when it is the default; a text the practice
#: wrote itself is printed as written.
REGIME_DEFAULTS = {
    EXEMPT_TEXT: N_("Exempt from VAT under article 11(1)(g) of the Dutch VAT Act (Wet OB)"),
    KOR_TEXT: N_("Exempt from VAT under the small business scheme (kleineondernemersregeling, "
                 "KOR)"),
}


@dataclass(frozen=True)
class Texts:
    """Translation and formatting for one document language (``nl`` or ``en``)."""

    language: str

    def gettext(self, message: str) -> str:
        return gettext_for(self.language)(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ngettext_for(self.language)(singular, plural, n)

    def money(self, cents: int) -> str:
        return format_money(cents, self.language)

    def date(self, when: date | None, style: str = "long") -> str:
        return format_date(when, self.language, style) if when else ""

    def rate(self, rate: Decimal) -> str:
        return format_rate(rate, self.language)

    def iban(self, iban: str) -> str:
        return format_iban(iban) if iban else ""

    def regime_statement(self, text: str) -> str:
        """The VAT statement as printed: a default is translated, a custom text is not."""
        message = REGIME_DEFAULTS.get(text.strip())
        sentence = self.gettext(message) if message is not None else text.strip()
        return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def texts_for(language: str | None) -> Texts:
    return Texts(language if language in ("nl", "en") else "nl")
