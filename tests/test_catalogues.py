"""A missing catalogue is an error, never a silent fall-back to English."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.base import i18n
from ledger.base.i18n import CatalogueMissing, gettext_for, translation


def test_every_language_has_its_compiled_catalogues() -> None:
    from tui import i18n as tui_i18n

    for language in set(i18n.LANGUAGES) - {"en"}:
        assert gettext_for(language)("Invoice") != "Invoice"
        assert (i18n.LOCALE_DIR / language / "LC_MESSAGES" / "solebook.mo").is_file()
        assert (tui_i18n.LOCALE_DIR / language / "LC_MESSAGES" / "solebook_tui.mo").is_file()


def test_a_missing_catalogue_is_refused_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogueMissing, match=r"'nl' texts are missing .*solebook\.mo"):
        translation("nl", i18n.DOMAIN, tmp_path)
    assert translation("en", i18n.DOMAIN, tmp_path).gettext("Invoice") == "Invoice"


def test_the_interface_refuses_to_start_in_dutch_without_its_catalogue(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui import i18n as tui_i18n

    monkeypatch.setattr(tui_i18n, "LOCALE_DIR", tmp_path)
    try:
        with pytest.raises(CatalogueMissing, match=r"solebook_tui\.mo"):
            tui_i18n.set_language("nl")
    finally:
        monkeypatch.undo()
        tui_i18n.set_language("nl")
    assert tui_i18n._("Clients") == "Cliënten"
