"""What the command line prints for people follows ``--lang`` (else the practice's
language, Dutch before there are books); ``--json`` is the same to the byte in any language.

A practice on a fresh database; "Voetreflexmassage" € 65,00; Anna de Vries has one session
on 24 November 2026, to be invoiced.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli.main import main


class Cli:
    """The command line, in this process, on one database file."""

    def __init__(self, db: Path, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> None:
        monkeypatch.setenv("SOLEBOOK_DB", str(db))
        self._capsys = capsys

    def __call__(self, *args: str, expect: int = 0) -> tuple[str, str]:
        with pytest.raises(SystemExit) as exit_:
            main(list(args))
        out, err = self._capsys.readouterr()
        assert int(exit_.value.code or 0) == expect, (args, out, err)
        return out, err


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Cli:
    run = Cli(tmp_path / "books.sqlite3", monkeypatch, capsys)
    run("init", "--lang", "en")
    run("client", "add", "--name", "Anna de Vries", "--json")
    run("treatment", "add", "--name", "Voetreflexmassage", "--price", "65,00", "--vat", "21",
        "--json")
    return run


def test_a_session_recorded_in_dutch_and_in_english(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    said = {}
    for language in ("nl", "en"):
        cli = Cli(tmp_path / f"{language}.sqlite3", monkeypatch, capsys)
        cli("init")
        cli("client", "add", "--name", "Anna de Vries", "--json")
        cli("treatment", "add", "--name", "Voetreflexmassage", "--price", "65,00", "--json")
        said[language], _ = cli("session", "add", "--client", "1", "--treatment", "1",
                                "--date", "24-11-2026", "--lang", language)
    assert said["nl"] == ("Sessie 1 vastgelegd: Anna de Vries, Voetreflexmassage, "
                          "24 november 2026; nog te factureren: € 65,00\n")
    assert said["en"] == ("Session 1 recorded: Anna de Vries, Voetreflexmassage, "
                          "24 November 2026; to invoice: €65.00\n")


def test_a_table_in_both_languages_and_the_same_json(cli: Cli) -> None:
    cli("session", "add", "--client", "1", "--treatment", "1", "--date", "24-11-2026",
        "--json")
    dutch, _ = cli("session", "list", "--lang", "nl")
    english, _ = cli("session", "list", "--lang", "en")
    assert dutch.splitlines()[0].split() == ["nr", "datum", "cliënt", "behandeling", "status",
                                             "betaald", "met"]
    assert "24-11-2026" in dutch and "€ 65,00" in dutch
    assert english.splitlines()[0].split() == ["id", "date", "client", "treatment", "status",
                                               "paid", "by"]
    assert "24/11/2026" in english and "€65.00" in english
    assert cli("session", "list", "--json", "--lang", "nl") == cli("session", "list", "--json",
                                                                   "--lang", "en")
    assert cli("session", "list", "--json", "--lang", "nl")[0].startswith("[")


def test_a_refusal_in_both_languages(cli: Cli) -> None:
    _, dutch = cli("invoice", "show", "2099-0001", "--lang", "nl", expect=1)
    _, english = cli("invoice", "show", "2099-0001", "--lang", "en", expect=1)
    assert dutch == "solebook: factuur: er is geen factuur '2099-0001'\n"
    assert english == "solebook: invoice: there is no invoice '2099-0001'\n"


def test_without_lang_the_practice_language_is_spoken(cli: Cli) -> None:
    assert cli("treatment", "list")[0].startswith("nr  naam")  # a new practice speaks Dutch
    cli("practice", "set", "--language", "en", "--lang", "nl")
    assert cli("treatment", "list")[0].startswith("id  name")
    assert cli("treatment", "list", "--lang", "nl")[0].startswith("nr  naam")


def test_nothing_to_show(cli: Cli) -> None:
    assert cli("session", "list", "--lang", "nl")[0] == "(niets te tonen)\n"
    assert cli("session", "list", "--lang", "en")[0] == "(nothing to show)\n"
