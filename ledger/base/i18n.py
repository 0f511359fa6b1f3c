"""Translations of the texts the program writes (gettext catalogs, managed with Babel).

Message ids are English. The documents' and the books' texts are in the ``solebook`` domain
under ``ledger/locale``; other parts (the TUI) may keep their own domain and folder and use
the same functions. Catalogs are extracted, updated and compiled with Babel's tooling (see
the README); the compiled ``.mo`` files are committed next to their ``.po`` files and
installed with the package (package data in ``pyproject.toml``).

English is the message ids themselves. Any other language needs its compiled catalogue:
when it is missing (an installation that left out the package data) the lookup raises
:class:`CatalogueMissing` instead of falling back to English, because a Dutch client's
invoice printed in English is a defect nobody would notice until the client does.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"  # ledger/locale
DOMAIN = "solebook"
LANGUAGES = ("nl", "en")


class CatalogueMissing(FileNotFoundError):
    """A language's compiled catalogue is not where the program looks for it."""

    def __init__(self, language: str, domain: str, localedir: Path) -> None:
        self.path = Path(localedir) / language / "LC_MESSAGES" / f"{domain}.mo"
        super().__init__(
            f"the {language!r} texts are missing ({self.path}); the installation is "
            "incomplete: reinstall solebook"
        )


@cache
def translation(
    language: str, domain: str = DOMAIN, localedir: Path = LOCALE_DIR
) -> gettext.NullTranslations:
    """The catalogue of ``language``; English needs none. Raises :class:`CatalogueMissing`
    when a catalogue is not installed (never falls back to English silently)."""
    if language == "en":
        return gettext.NullTranslations()
    try:
        return gettext.translation(domain, localedir, languages=[language])
    except FileNotFoundError:
        raise CatalogueMissing(language, domain, localedir) from None


def gettext_for(
    language: str, domain: str = DOMAIN, localedir: Path = LOCALE_DIR
) -> Callable[[str], str]:
    """The ``_`` function for one language."""
    return translation(language, domain, localedir).gettext


def ngettext_for(
    language: str, domain: str = DOMAIN, localedir: Path = LOCALE_DIR
) -> Callable[[str, str, int], str]:
    return translation(language, domain, localedir).ngettext
