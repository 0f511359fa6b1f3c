"""How letters and mails speak (ik or wij, a practice setting) and greet (by first name or
formally, a client setting), from the command line to the printed letter and the mail;
the exemption sentence ends with a full stop; documents get names in their language."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from invoices.reminders import render_reminder
from ledger.billing.issuing import issue_invoice
from ledger.billing.reminders import plan_reminder
from ledger.billing.sessions import create_invoice
from ledger.books import Books
from ledger.mail.templates import fill, reminder_values
from ledger.practice.clients import update_client
from ledger.practice.greeting import greeting
from ledger.practice.profile import update_practice
from tests.factories import make_client, record_session
from tests.invoices.pdftools import text


@pytest.mark.parametrize(("client", "language", "expected"), [
    ({"name": "Ilse Visser"}, "nl", "Beste Ilse,"),  # a snapshot from before salutations
    ({"name": "Ilse Visser", "salutation": "first_name"}, "en", "Dear Ilse,"),
    ({"name": "Ilse Visser", "salutation": "mrs"}, "nl", "Geachte mevrouw Visser,"),
    ({"name": "Anna de Vries", "salutation": "mrs"}, "nl", "Geachte mevrouw De Vries,"),
    ({"name": "Anna de Vries", "salutation": "mrs", "formal_name": "de Vries-Smit"}, "en",
     "Dear Ms de Vries-Smit,"),
    ({"name": "Jan Jansen", "salutation": "mr"}, "nl", "Geachte heer Jansen,"),
    ({"name": "Jan Jansen", "salutation": "mr"}, "en", "Dear Mr Jansen,"),
    ({"name": "Madonna", "salutation": "mrs"}, "nl", "Geachte mevrouw Madonna,"),
])
def test_greeting(client: dict[str, str], language: str, expected: str) -> None:
    assert greeting(client, language) == expected


@pytest.fixture
def overdue(runner_practice: dict[str, Any]) -> dict[str, Any]:
    """Ilse Visser's treatment of 1 October, invoiced that day and not paid."""
    books = runner_practice["books"]
    ilse = make_client(books, "Ilse Visser")
    record_session(books, ilse.id, runner_practice["treatment"].id, date(2026, 10, 1),
                   package="none")
    issue_invoice(books, create_invoice(books, ilse.id, None).id, date(2026, 10, 1))
    return {**runner_practice, "ilse": ilse}


def _letter_and_mail(books: Books, kind: str) -> tuple[str, str]:
    plan = plan_reminder(books, "2026-0001", kind)
    _subject, body = fill(books, f"reminder_{kind}", "nl", reminder_values(plan))
    return text(render_reminder(plan)), body


def test_a_one_person_practice_says_ik_and_greets_by_first_name(
        overdue: dict[str, Any]) -> None:
    letter, mail = _letter_and_mail(overdue["books"], "first")
    assert "Beste Ilse," in letter and mail.startswith("Beste Ilse,")
    assert "Op 1 oktober 2026 heb ik u factuur 2026-0001 gestuurd" in letter
    assert "Volgens mijn administratie" in letter and "Volgens mijn administratie" in mail
    assert "onze" not in letter + mail and "wij" not in (letter + mail).lower().split()
    letter, mail = _letter_and_mail(overdue["books"], "fourteen_day")
    assert "Volgens mijn administratie" in letter and "Ik verzoek u" in mail


def test_a_practice_that_says_wij_and_a_client_greeted_formally(
        overdue: dict[str, Any]) -> None:
    books = overdue["books"]
    update_practice(books, {"voice": "wij"})
    update_client(books, overdue["ilse"].id, {"salutation": "mevrouw"})
    letter, mail = _letter_and_mail(books, "first")
    assert "Geachte mevrouw Visser," in letter and mail.startswith("Geachte mevrouw Visser,")
    assert "Op 1 oktober 2026 hebben wij u factuur" in letter
    assert "Volgens onze administratie" in letter and "Volgens onze administratie" in mail
    letter, mail = _letter_and_mail(books, "fourteen_day")
    assert "Volgens onze administratie" in letter and "Wij verzoeken u" in mail


def test_the_exemption_sentence_ends_with_a_full_stop(overdue: dict[str, Any]) -> None:
    from invoices.invoice_pdf import render_invoice
    from ledger.billing.status import get_invoice

    books = overdue["books"]
    update_practice(books, {"vat_regime": "exempt"})
    client = make_client(books, "Jan Jansen")
    record_session(books, client.id, overdue["treatment"].id, package="none")
    info = issue_invoice(books, create_invoice(books, client.id).id)
    printed = text(render_invoice(get_invoice(books, info.number)))
    assert "Vrijgesteld van btw op grond van art. 11 lid 1 sub g Wet OB." in printed


@pytest.fixture
def db(runner_practice: dict[str, Any]) -> str:
    return str(runner_practice["books"].db.path)


def test_voice_and_greeting_on_the_command_line(inproc: Any) -> None:
    cli = inproc
    done = cli("client", "add", "--name", "Ilse Visser", "--salutation", "mevrouw",
               "--formal-name", "Visser-de Wit", "--json")
    assert done.returncode == 0, done.stderr
    added = json.loads(done.stdout)
    assert (added["salutation"], added["formal_name"]) == ("mrs", "Visser-de Wit")
    done = cli("client", "edit", str(added["id"]), "--salutation", "first_name", "--json")
    assert json.loads(done.stdout)["salutation"] == "first_name"
    done = cli("client", "edit", str(added["id"]), "--salutation", "madam")
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "salutation" in done.stderr and "first_name, mrs, mr" in done.stderr
    done = cli("practice", "set", "--voice", "wij", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["voice"] == "we"
    assert "we" in cli("practice", "show").stdout


def test_documents_get_names_in_their_language(overdue: dict[str, Any]) -> None:
    from invoices.archive import ensure_pdf
    from invoices.steps.statements import client_statement_file
    from tests.factories import sell_package

    books = overdue["books"]
    assert ensure_pdf(books, "2026-0001").name == "factuur-2026-0001.pdf"
    john = make_client(books, "John Smith", language="en")
    package = sell_package(books, john.id, overdue["plan"].id)
    assert ensure_pdf(books, package.invoice_number).name == (
        f"invoice-{package.invoice_number}.pdf")
    done = client_statement_file(books, overdue["ilse"].id, 2026)
    assert done.path.name == "jaaroverzicht-2026-ilse-visser.pdf"
    done = client_statement_file(books, john.id, 2026)
    assert done.path.name == "annual-statement-2026-john-smith.pdf"
