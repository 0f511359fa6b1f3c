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
    run("practice", "set", "--vat-id", "NL000099998B57", "--json")  # its invoices charge VAT
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


@pytest.fixture
def busy(cli: Cli, tmp_path: Path) -> Cli:
    """Anna's session invoiced on 1 October 2026 (overdue now), a receipt for oil, a trip,
    and a bank statement read in."""
    from tests.bank_samples import ing_semicolon

    cli("session", "add", "--client", "1", "--treatment", "1", "--date", "30-09-2026",
        "--json")
    cli("invoice", "create", "--client", "1", "--json")
    cli("invoice", "issue", "1", "--date", "01-10-2026", "--json")
    cli("cost", "add", "--date", "04-03-2026", "--supplier", "Olie & Co", "--category",
        "materials", "--amount", "48,40", "--vat-rate", "21", "--json")
    cli("km", "add", "--date", "05-03-2026", "--km", "12,5", "--description", "Beurs",
        "--json")
    statement = tmp_path / "ing.csv"
    statement.write_bytes(ing_semicolon())
    cli("bank", "import", str(statement), "--json")
    return cli


#: (module, command, what Dutch shows, what English shows). The Dutch output must not hold
#: the English words, nor the English the Dutch ones.
SAID = [
    ("practice", ("practice", "show"), ["betaaltermijn", "btw-regeling", "taal"],
     ["payment term", "VAT regime", "language"]),
    ("costs", ("cost", "list"), ["leverancier", "categorie", "bedrag", "€ 48,40"],
     ["supplier", "category", "amount", "€48.40"]),
    ("costs", ("km", "list"), ["omschrijving", "12,5", "05-03-2026"],
     ["description", "12.5", "05/03/2026"]),
    ("bank", ("bank", "list"), ["regel", "betaler", "niet gekoppeld"],
     ["line", "payer", "unmatched"]),
    ("reminders", ("reminder", "list"), ["vervalt", "volgende stap", "betalingsherinnering"],
     ["due", "next step", "payment reminder"]),
    ("reports", ("report", "year", "2026"), ["omzet", "btw", "K4", "behandeluren"],
     ["turnover", "VAT", "Q4"]),
    ("pdfs", ("invoice", "verify"), ["gearchiveerd document klopt"],
     ["archived document matches"]),
    ("audit", ("audit", "list", "--limit", "3"), ["wanneer", "actie", "opdrachtregel"],
     ["when", "action", "command line"]),
    ("mail", ("mail", "template", "invoice"), ["Onderwerp:", "(velden:"],
     ["Subject:", "(fields:"]),
    ("invoices", ("invoice", "list"), ["nummer", "totaal", "te laat"],
     ["number", "total", "overdue"]),
    ("clients", ("client", "list"), ["naam", "plaats"], ["name", "city"]),
]


@pytest.mark.parametrize(("module", "command", "dutch", "english"), SAID,
                         ids=[f"{m}-{' '.join(c[:2])}" for m, c, _, _ in SAID])
def test_each_command_group_speaks_both_languages(busy: Cli, module: str,
                                                  command: tuple[str, ...], dutch: list[str],
                                                  english: list[str]) -> None:
    nl, _ = busy(*command, "--lang", "nl")
    en, _ = busy(*command, "--lang", "en")
    for word in dutch:
        assert word in nl, (module, word, nl)
    for word in english:
        assert word in en, (module, word, en)
    first_nl, first_en = nl.splitlines()[0].split(), en.splitlines()[0].split()
    assert not set(nl.split()) & {w for w in english if w.isalpha() and len(w) > 3}, nl
    assert busy(*command, "--json", "--lang", "nl") == busy(*command, "--json", "--lang", "en")
    assert first_en != first_nl


def test_the_export_and_the_client_say_it_in_dutch(busy: Cli, tmp_path: Path) -> None:
    out = str(tmp_path / "export")
    dutch, _ = busy("export", "year", "2026", "--out", out, "--lang", "nl")
    assert dutch.startswith("Export 2026: ") and " bestanden in " in dutch
    english, _ = busy("export", "year", "2026", "--out", out, "--lang", "en")
    assert " files in " in english
    shown = busy("client", "show", "1", "--lang", "nl")[0].splitlines()
    assert [line.split(maxsplit=1) for line in shown[:2]] == [["nr", "1"],
                                                              ["naam", "Anna de Vries"]]
    said, _ = busy("client", "archive", "1", "--lang", "nl")
    assert said == "Cliënt 1 (Anna de Vries) is gearchiveerd.\n"


def test_counts_are_plurals_and_statuses_are_words(busy: Cli) -> None:
    said, _ = busy("km", "rate", "--lang", "nl")
    assert said == "Tarief per km: € 0,23\n"
    said, _ = busy("bank", "reject", "1", "--ignore", "--lang", "nl")
    assert said == "Regel 1 is genegeerd.\n"
    _, refused = busy("reminder", "send", "2026-0001", "--to", "a@b.nl", "--lang", "nl",
                      expect=1)
    assert refused == "solebook: aan: alleen met --email\n"
