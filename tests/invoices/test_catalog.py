"""The gettext catalogue: complete, compiled, and up to date with the code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from invoices.texts import REGIME_DEFAULTS, Texts
from ledger.base.i18n import LOCALE_DIR, ngettext_for
from ledger.practice.profile import EXEMPT_TEXT, KOR_TEXT

ROOT = Path(__file__).resolve().parents[2]
PO = LOCALE_DIR / "nl" / "LC_MESSAGES" / "solebook.po"
MO = PO.with_suffix(".mo")


def _catalog(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as fh:
        return read_po(fh)


def _ids(catalog) -> set[object]:  # type: ignore[no-untyped-def]
    return {m.id for m in catalog if m.id}


def _messages(catalog) -> dict[object, object]:  # type: ignore[no-untyped-def]
    """What a catalogue says, message by message (not the bytes: a compiled file also
    carries the compiling tool's version)."""
    def plain(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    return {(m.context, plain(m.id)): plain(m.string) for m in catalog
            if m.id and m.string and not m.fuzzy
            and not (isinstance(m.string, list | tuple) and not all(m.string))}


def _mo_is_the_compiled_po(po: Path, command: str) -> None:
    with po.with_suffix(".mo").open("rb") as fh:
        compiled = read_mo(fh)
    stale = f"{po.with_suffix('.mo')} is stale: run `{command}`"
    assert _messages(compiled) == _messages(_catalog(po)), stale


def test_committed_mo_is_the_compiled_po() -> None:
    _mo_is_the_compiled_po(PO, "pybabel compile -d ledger/locale -D solebook")


def test_committed_interface_mo_is_the_compiled_po() -> None:
    _mo_is_the_compiled_po(ROOT / "tui" / "locale" / "nl" / "LC_MESSAGES" / "solebook_tui.po",
                           "pybabel compile -d tui/locale -D solebook_tui")


def test_a_stale_mo_is_noticed(tmp_path: Path) -> None:
    """The comparison above can fail: a catalogue with one message changed is told apart."""
    from babel.messages.mofile import write_mo

    catalog = _catalog(PO)
    first = next(m for m in catalog if m.id and isinstance(m.id, str) and m.string)
    first.string = first.string + " (changed)"
    with (tmp_path / "solebook.mo").open("wb") as fh:
        write_mo(fh, catalog)
    (tmp_path / "solebook.po").write_bytes(PO.read_bytes())
    try:
        _mo_is_the_compiled_po(tmp_path / "solebook.po", "x")
    except AssertionError:
        return
    raise AssertionError("a changed message went unnoticed")


def test_every_message_is_translated_and_none_fuzzy() -> None:
    catalog = _catalog(PO)
    untranslated = [m.id for m in catalog if m.id and (
        not all(m.string) if isinstance(m.string, tuple) else not m.string)]
    assert untranslated == []
    assert not [m.id for m in catalog if m.id and m.fuzzy]


def test_catalogue_is_up_to_date_with_the_code(tmp_path: Path) -> None:
    """The README's extract command finds exactly the messages the .po has."""
    pybabel = shutil.which("pybabel", path=str(Path(sys.executable).parent))
    assert pybabel, "pybabel (Babel) is installed with the package"
    pot = tmp_path / "solebook.pot"
    subprocess.run([pybabel, "-q", "extract", "-F", "babel.cfg", "-o", str(pot), "ledger",
                    "invoices"], cwd=ROOT, check=True, capture_output=True)
    extracted, translated = _ids(_catalog(pot)), _ids(_catalog(PO))
    assert extracted - translated == set(), "new texts: run pybabel update and translate"
    assert translated - extracted == set(), "obsolete texts: run pybabel update"


def test_regime_defaults_translate_to_the_dutch_settings() -> None:
    """The Dutch of each English message id is exactly the default setting text; printed,
    the sentence ends with a full stop."""
    dutch = Texts("nl")
    assert dutch.regime_statement(EXEMPT_TEXT) == EXEMPT_TEXT + "."
    assert dutch.regime_statement(KOR_TEXT) == KOR_TEXT + "."
    assert {dutch.gettext(m) for m in REGIME_DEFAULTS.values()} == {EXEMPT_TEXT, KOR_TEXT}


def test_english_translates_defaults_but_keeps_a_custom_text() -> None:
    english = Texts("en")
    assert english.regime_statement(EXEMPT_TEXT) == (
        "Exempt from VAT under article 11(1)(g) of the Dutch VAT Act (Wet OB).")
    assert english.regime_statement(KOR_TEXT).startswith("Exempt from VAT under the small")
    custom = "Vrijgesteld van btw, BIG-registratie 123"
    assert english.regime_statement(custom) == custom + "."
    assert english.regime_statement(custom + ".") == custom + "."  # never two


def test_plurals_in_dutch() -> None:
    n_ = ngettext_for("nl")
    assert n_("{n} treatment", "{n} treatments", 1).format(n=1) == "1 behandeling"
    assert n_("{n} treatment", "{n} treatments", 5).format(n=5) == "5 behandelingen"
    assert Texts("nl").gettext("page {page} of {pages}").format(page=1, pages=2) == (
        "pagina 1 van 2")


FRONT_ENDS = {  # domain: (catalogue, babel.cfg, extra extract keywords)
    "solebook_tui": (ROOT / "tui" / "locale", "tui/babel.cfg", ["-k", "N_", "-k", "n_:1,2"]),
    "solebook_cli": (ROOT / "tui" / "cli" / "locale", "tui/cli/babel.cfg", ["-k", "n_:1,2"]),
}


@pytest.mark.parametrize("domain", FRONT_ENDS)
def test_front_end_catalogue_is_complete_and_up_to_date(domain: str, tmp_path: Path) -> None:
    """Every text of the interface and of the command line has its Dutch, and the README's
    extract command finds exactly the texts the .po has."""
    folder, config, keywords = FRONT_ENDS[domain]
    po = folder / "nl" / "LC_MESSAGES" / f"{domain}.po"
    catalog = _catalog(po)
    assert [m.id for m in catalog if m.id and (
        not all(m.string) if isinstance(m.string, tuple) else not m.string)] == []
    assert not [m.id for m in catalog if m.id and m.fuzzy]
    _mo_is_the_compiled_po(po, f"pybabel compile -d {folder.relative_to(ROOT)} -D {domain}")
    pybabel = shutil.which("pybabel", path=str(Path(sys.executable).parent))
    assert pybabel
    pot = tmp_path / f"{domain}.pot"
    subprocess.run([pybabel, "extract", "-F", config, *keywords, "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    extracted, translated = _ids(_catalog(pot)), _ids(catalog)
    assert extracted - translated == set(), "new texts: run pybabel update and translate"
    assert translated - extracted == set(), "obsolete texts: run pybabel update"
