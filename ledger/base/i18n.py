"""Translations of the texts the program writes (gettext catalogs, managed with Babel).

Message ids are English. The documents' and the books' texts are in the ``solebook`` domain
under ``ledger/locale``; other parts (the TUI) may keep their own domain and folder and use
the same functions. Catalogs are extracted, updated and compiled with Babel's tooling (see
the README); the compiled ``.mo`` files are committed next to their ``.po`` files.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"  # ledger/locale
DOMAIN = "solebook"
LANGUAGES = ("nl", "en")


@cache
def translation(
    language: str, domain: str = DOMAIN, localedir: Path = LOCALE_DIR
) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(domain, localedir, languages=[language], fallback=True)


def gettext_for(
    language: str, domain: str = DOMAIN, localedir: Path = LOCALE_DIR
) -> Callable[[str], str]:
    """The ``_`` function for one language."""
    return translation(language, domain, localedir).gettext


def ngettext_for(
    language: str, domain: str = DOMAIN, localedir: Path = LOCALE_DIR
) -> Callable[[str, str, int], str]:
    return translation(language, domain, localedir).ngettext
