"""Translations of the texts the program writes (gettext catalogs, managed with Babel).

Message ids are English; ``ledger/locale/nl/LC_MESSAGES/solebook.po`` holds the Dutch.
Catalogs are extracted, updated and compiled with Babel's tooling (see the README).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "solebook"
LANGUAGES = ("nl", "en")


@cache
def translation(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def gettext_for(language: str) -> Callable[[str], str]:
    """The ``_`` function for one language."""
    return translation(language).gettext


def ngettext_for(language: str) -> Callable[[str, str, int], str]:
    return translation(language).ngettext
