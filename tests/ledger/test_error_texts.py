"""Refusals in the interface's language: every error template of the books has Dutch, the
English ``message`` (what the command line prints) is unchanged, and ``text(language)``
fills the same parameters into the translation."""

from __future__ import annotations

import ast
import string
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from ledger.base import identifiers, parse
from ledger.base.errors import (
    InputError,
    NotFound,
    Phrase,
    RuleViolation,
    SolebookError,
    StorageError,
)
from ledger.base.forms import parse_form
from ledger.base.i18n import LOCALE_DIR
from ledger.books import Books

ROOT = Path(__file__).resolve().parents[2]
PO = LOCALE_DIR / "nl" / "LC_MESSAGES" / "solebook.po"
#: The error classes and the position of their message template.
TEMPLATE_ARG = {"SolebookError": 0, "InputError": 1, "NotFound": 0, "RuleViolation": 0,
                "StorageError": 0, "MailError": 0, "PublishError": 0, "Phrase": 0}


def _catalog() -> dict[str, str]:
    with PO.open("rb") as fh:
        return {m.id: m.string for m in read_po(fh)
                if isinstance(m.id, str) and m.id and isinstance(m.string, str)}


def _error_calls() -> list[tuple[str, int, ast.Call, str]]:
    """Every ``SomeError(...)`` call in ledger/ and invoices/: (file, line, call, class)."""
    calls = []
    for folder in ("ledger", "invoices"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Call):
                    func = node.func
                    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                    if name in TEMPLATE_ARG:
                        calls.append((f"{folder}/{path.name}", node.lineno, node, name))
    return calls


def _names(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_error_is_made_from_a_constant_template() -> None:
    """No f-strings: a template is a literal (so Babel extracts it) with named parameters."""
    calls = _error_calls()
    assert len(calls) > 200
    loose = [f"{file}:{line}" for file, line, call, name in calls if name != "Phrase"
             and not isinstance(call.args[TEMPLATE_ARG[name]], ast.Constant)]
    assert loose == []


def test_every_template_and_literal_label_has_dutch() -> None:
    catalog = _catalog()
    missing = []
    for file, line, call, name in _error_calls():
        texts = [call.args[TEMPLATE_ARG[name]]]
        if name == "InputError":
            texts.append(call.args[0])  # the field label, when it is written there
        for node in texts:
            if isinstance(node, ast.Constant) and not catalog.get(str(node.value)):
                missing.append(f"{file}:{line}: {node.value!r}")
    assert missing == []


def test_translations_use_exactly_the_parameters_of_their_template() -> None:
    """A Dutch text that names another parameter would fail when the error is shown."""
    wrong = {msgid: text for msgid, text in _catalog().items()
             if "{" in msgid and _names(msgid) != _names(text)}
    assert wrong == {}


@pytest.mark.parametrize(("call", "english", "dutch"), [
    (lambda: identifiers.parse_iban("NL00 BANK 0000 0000 00"),
     "IBAN: NL00 BANK 0000 0000 00 is not a valid IBAN (check for a typo)",
     "IBAN: NL00 BANK 0000 0000 00 is geen geldig IBAN (controleer op een tikfout)"),
    (lambda: parse.parse_amount("12,345", "amount"),
     "amount: 12,345 has more than 2 decimals", "bedrag: 12,345 heeft meer dan 2 decimalen"),
    (lambda: parse.parse_date("32-01-1980", "date of birth"),
     "date of birth: 32-01-1980 is not a valid date",
     "geboortedatum: 32-01-1980 is geen bestaande datum"),
    (lambda: parse.parse_name("x" * 201),
     "name: is too long (at most 200 characters)", "naam: is te lang (hoogstens 200 tekens)"),
    (lambda: parse.parse_int("0", "sessions", minimum=1),
     "sessions: must be at least 1", "sessies: moet minstens 1 zijn"),
])
def test_parse_errors_keep_their_english_message(call, english: str, dutch: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        call()
    error = caught.value
    assert (error.message, str(error)) == (english, english)
    assert error.reason == english.split(": ", 1)[1]
    assert error.text("en") == english
    assert error.text("nl") == dutch
    assert error.reason_text("nl") == dutch.split(": ", 1)[1]


def test_a_form_field_refusal_in_both_languages() -> None:
    from ledger.practice.clients import CLIENT_FIELDS

    with pytest.raises(InputError) as caught:
        parse_form(CLIENT_FIELDS, {"postcode": "12345"})
    error = caught.value
    assert error.message == "postcode: 12345 is not a Dutch postcode (1234 AB)"
    assert error.text("nl") == "postcode: 12345 is geen Nederlandse postcode (1234 AB)"
    assert (error.field_text("nl"), error.field_text("en")) == ("postcode", "postcode")


def test_service_refusals_in_dutch(practice: Books) -> None:
    from ledger.billing.status import get_invoice
    from ledger.practice.clients import add_client, get_client

    with pytest.raises(NotFound) as missing:
        get_client(practice, 999)
    assert missing.value.message == "client: there is no client with id 999"
    assert missing.value.text("nl") == "cliënt: er is geen cliënt met id 999"
    with pytest.raises(NotFound) as no_invoice:
        get_invoice(practice, "2026-9999")
    assert no_invoice.value.message == "invoice: there is no invoice '2026-9999'"
    assert no_invoice.value.text("nl") == "factuur: er is geen factuur '2026-9999'"
    with pytest.raises(InputError) as bad:
        add_client(practice, {"name": "Anna", "email": "anna@"})
    assert bad.value.text("nl") == "e-mail: anna@ is geen e-mailadres"


def test_amounts_and_dates_are_passed_formatted() -> None:
    from ledger.base.dates import format_date
    from ledger.base.money import format_money

    error = RuleViolation("amount: more than is open on {number} ({amount})",
                          number="2026-0007", amount=format_money(6500))
    assert error.message == "amount: more than is open on 2026-0007 (€ 65,00)"
    assert error.text("nl") == "bedrag: meer dan er openstaat op 2026-0007 (€ 65,00)"
    expired = RuleViolation("package: {name} (id {id}) expired on {date}",
                            name="Kuur 5", id=3, date=format_date(date(2026, 10, 1)))
    assert expired.text("nl") == "pakket: Kuur 5 (id 3) is verlopen op 1 oktober 2026"


def test_a_plain_message_still_works_and_a_cause_is_translated_too() -> None:
    plain = RuleViolation("invoice: something made up 42")
    assert plain.text("nl") == plain.message == "invoice: something made up 42"
    braces = InputError("template", "use {number}, not {nummer}")  # no parameters: as is
    assert braces.text("nl") == "sjabloon: use {number}, not {nummer}"
    cause = StorageError("database: the file is read-only; nothing was changed")
    wrapped = StorageError("{message}; the database before restoring is in {aside}",
                           message=cause, aside="/tmp/x")
    assert wrapped.message == ("database: the file is read-only; nothing was changed; the "
                               "database before restoring is in /tmp/x")
    assert wrapped.text("nl") == ("database: het bestand is alleen-lezen; er is niets "
                                  "gewijzigd; de database van voor het terugzetten staat in "
                                  "/tmp/x")
    assert isinstance(wrapped, SolebookError)


def test_a_phrase_in_a_message_is_translated_with_it(tmp_path: Path) -> None:
    """The line of a bank file and the label of a file argument are Dutch too."""
    from ledger.bank.formats import read_statement
    from ledger.store.files import check_target

    with pytest.raises(InputError) as caught:
        read_statement(b"Datum,Naam / Omschrijving,Rekening,Tegenrekening,Code,Af Bij,"
                       b"Bedrag (EUR),Mutatiesoort,Mededelingen\n"
                       b"20261124,X,NL91ABNA0417164300,,GT,Af,12;5,Online bankieren,\n")
    assert caught.value.message.startswith("file: line 2: ")
    assert caught.value.text("nl").startswith("bestand: regel 2: ")
    where = Phrase("line {number}", number=7)
    assert (str(where), where.text("nl"), where.text("en")) == ("line 7", "regel 7", "line 7")
    with pytest.raises(StorageError) as missing:
        check_target(tmp_path / "nowhere" / "x.pdf")
    assert missing.value.message == f"file: the folder {tmp_path / 'nowhere'} does not exist"
    assert missing.value.text("nl") == f"bestand: de map {tmp_path / 'nowhere'} bestaat niet"
