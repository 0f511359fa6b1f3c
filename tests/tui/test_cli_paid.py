"""Getting paid at the command line, each command run as its own process.

The books: the practice of tests/factories.py; Anna de Vries (e-mail anna@example.nl) had
treatments 40 and 39 days ago, Bram Bakker bought the € 300 series 38 days ago. All three
invoices are overdue today (the real date: the commands run on the system clock).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ledger.billing.issuing import issue_invoice
from ledger.billing.sessions import create_invoice
from ledger.books import Books
from ledger.practice.profile import update_practice
from tests.bank_samples import BILLION_LAUGHS, Tx, camt_08
from tests.factories import (
    ENGLISH,
    PRACTICE,
    cli_env,
    make_client,
    make_plan,
    make_treatment,
    record_session,
    sell_package,
)
from tests.smtp_server import PASSWORD, QUIET, USER, Inbox, smtp_server

__all__ = ["smtp_server"]  # fixture
pytestmark = QUIET


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


class Cli:
    """Runs ``solebook`` on one database: as its own process (``proc``), or, to keep the
    suite fast, through the same entry point inside the test process (``run``)."""

    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str],
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.db, self.capsys, self.monkeypatch = db, capsys, monkeypatch

    def proc(self, *args: str, expect: int = 0, env: dict[str, str] | None = None) -> Ran:
        result = subprocess.run([sys.executable, "-m", "tui.cli.main", *ENGLISH, *args],
                                capture_output=True, text=True,
                                env={**cli_env(str(self.db)), **(env or {})}, timeout=60)
        assert result.returncode == expect, (args, result.stdout, result.stderr)
        return Ran(result.returncode, result.stdout, result.stderr)

    def run(self, *args: str, expect: int = 0, env: dict[str, str] | None = None) -> Ran:
        from tui.cli.main import main

        with self.monkeypatch.context() as patch:
            patch.setenv("SOLEBOOK_DB", str(self.db))
            for key, value in (env or {}).items():
                patch.setenv(key, value)
            self.capsys.readouterr()
            with pytest.raises(SystemExit) as exited:
                main([*ENGLISH, *args])
        out, err = self.capsys.readouterr()
        assert exited.value.code == expect, (args, out, err)
        return Ran(int(exited.value.code or 0), out, err)

    def json(self, *args: str, env: dict[str, str] | None = None) -> Any:
        return json.loads(self.run(*args, "--json", env=env).stdout)


@pytest.fixture
def books_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
               monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    db = tmp_path / "books.sqlite3"
    books = Books.open(str(db), interface="test")
    try:
        update_practice(books, {**PRACTICE, "email": "praktijk@zool.nl"})
        anna = make_client(books, "Anna de Vries", email="anna@example.nl")
        bram = make_client(books, "Bram Bakker")
        treatment = make_treatment(books)
        numbers = []
        for days in (40, 39):
            day = date.today() - timedelta(days=days)
            record_session(books, anna.id, treatment.id, day, package="none")
            numbers.append(issue_invoice(books, create_invoice(books, anna.id, None).id,
                                         day).number)
        plan = make_plan(books, treatment.id)
        numbers.append(sell_package(books, bram.id, plan.id,
                                    date.today() - timedelta(days=38)).invoice_number)
    finally:
        books.close()
    return {"db": db, "numbers": numbers, "tmp": tmp_path,
            "cli": Cli(db, capsys, monkeypatch)}


def test_mail_settings_through_practice_set(books_file: dict[str, Any]) -> None:
    cli = books_file["cli"]
    out = cli.run("practice", "set", "--smtp-host", "Smtp.Example.NL", "--smtp-port", "587",
                   "--smtp-security", "starttls", "--smtp-user", "zool",
                   "--email-from", "facturen@zool.nl")
    assert out.stdout.startswith("Mail settings saved.")
    shown = json.loads(cli.proc("practice", "show", "--json",
                                env={"SOLEBOOK_SMTP_PASSWORD": "s3cret-pw"}).stdout)
    assert {k: shown[k] for k in ("smtp_host", "smtp_port", "smtp_security", "smtp_user",
                                  "email_from", "smtp_password_source")} == {
        "smtp_host": "smtp.example.nl", "smtp_port": 587, "smtp_security": "starttls",
        "smtp_user": "zool", "email_from": "facturen@zool.nl",
        "smtp_password_source": "environment"}
    assert shown["name"] == PRACTICE["name"]
    assert "s3cret-pw" not in json.dumps(shown)
    # a bad mail value or a bad profile value: one line, and neither part is saved
    bad = cli.proc("practice", "set", "--smtp-security", "tls2", "--name", "X", expect=1)
    assert bad.stderr == "solebook: SMTP security: tls2 is not one of: none, starttls, ssl\n"
    bad = cli.run("practice", "set", "--smtp-host", "mail.zool.nl", "--kvk", "12", expect=1)
    assert bad.stderr.count("\n") == 1 and "KvK" in bad.stderr
    shown = cli.json("practice", "show")
    assert (shown["smtp_host"], shown["name"]) == ("smtp.example.nl", PRACTICE["name"])
    both = cli.json("practice", "set", "--smtp-port", "2525", "--city", "Zeist")
    assert both["city"] == "Zeist"
    assert cli.json("practice", "show")["smtp_port"] == 2525


def test_invoice_send(books_file: dict[str, Any], smtp_server: Inbox) -> None:
    cli, number = books_file["cli"], books_file["numbers"][0]
    cli.run("practice", "set", "--smtp-host", smtp_server.host, "--smtp-port",
             str(smtp_server.port), "--smtp-security", "none", "--smtp-user", USER,
             "--email-from", "facturen@zool.nl")
    sent = json.loads(cli.proc("invoice", "send", number, "--json",
                               env={"SOLEBOOK_SMTP_PASSWORD": PASSWORD}).stdout)
    assert (sent["status"], sent["to"], sent["attachment"]) == (
        "sent", "anna@example.nl", f"factuur-{number}.pdf")
    [got] = smtp_server.received
    part = next(got.message.iter_attachments())
    archived = json.loads(cli.run("invoice", "pdf", number, "--json").stdout)["archived"]
    assert part.get_payload(decode=True) == Path(archived).read_bytes()

    failed = cli.proc("invoice", "send", number, expect=1,
                      env={"SOLEBOOK_SMTP_PASSWORD": "wrong"})
    assert failed.stdout == ""
    assert failed.stderr.startswith("solebook: e-mail: 127.0.0.1:")
    assert "refused the login of zool (wrong user name or password)" in failed.stderr
    assert failed.stderr.count("\n") == 1
    log = cli.json("mail", "log", number)
    assert [(r["status"], r["kind"]) for r in log] == [("failed", "invoice"), ("sent", "invoice")]
    no_one = cli.run("invoice", "send", books_file["numbers"][2], expect=1)
    assert no_one.stderr == ("solebook: to: Bram Bakker has no e-mail address; give --to "
                             "ADDRESS or add it with `solebook client edit 2 --email ADDRESS`\n")


def _statement(books_file: dict[str, Any]) -> Path:
    a, b, bram = books_file["numbers"]
    today = date.today()
    week = (
        Tx(today, Decimal("130.00"), "A. de Vries", "NL20INGB0001234567", f"Factuur {a} en {b}",
           "E2E-1"),
        Tx(today, Decimal("100.00"), "B BAKKER", "NL44RABO0123456789", f"{bram} deel 1",
           "E2E-2"),
        Tx(today, Decimal("42.50"), "J. Onbekend", "NL69INGB0123456789", "gift", "E2E-3"),
        Tx(today, Decimal("-23.10"), "Eneco", "NL21RABO0300097265", "termijn", "E2E-4"),
    )
    path = books_file["tmp"] / "camt053.xml"
    path.write_bytes(camt_08(week))
    return path


def test_bank_import_review_and_book(books_file: dict[str, Any]) -> None:
    cli = books_file["cli"]
    a, b, bram = books_file["numbers"]
    path = _statement(books_file)
    first = json.loads(cli.proc("bank", "import", str(path), "--json").stdout)
    assert first["format"] == "camt053"
    assert [(x["invoice_numbers"], x["amount"], x["status"]) for x in first["lines"]] == [
        ([a, b], "130.00", "proposed"), ([bram], "100.00", "proposed"),
        ([], "42.50", "unmatched"), ([], "-23.10", "debit")]
    assert cli.json("invoice", "show", a)["status"] == "overdue"

    again = cli.json("bank", "import", str(path), "--yes")
    assert [x["status"] for x in again["lines"]] == ["booked", "duplicate", "duplicate",
                                                     "duplicate"]
    assert cli.json("invoice", "show", a)["status"] == "paid"
    assert len(cli.json("bank", "list")) == 4  # nothing added by importing twice

    review = cli.json("bank", "list", "--review")
    assert [x["name"] for x in review] == ["J. Onbekend", "B BAKKER"]
    line = review[1]["id"]
    booked = cli.run("bank", "confirm", str(line), "--invoice", f"{bram}=80")
    assert booked.stdout == f"Line {line} booked: €80.00 on {bram}. €20.00 not allocated.\n"
    assert cli.json("invoice", "show", bram)["open"] == "220.00"
    rejected = cli.run("bank", "reject", str(review[0]["id"]), "--ignore")
    assert rejected.stdout == f"Line {review[0]['id']} is ignored.\n"
    assert cli.json("bank", "list", "--review") == []
    text = cli.run("bank", "import", str(path)).stdout
    assert "0 new lines" in text and "4 imported before" in text


def test_hostile_xml_is_refused_in_one_line(books_file: dict[str, Any]) -> None:
    cli, evil = books_file["cli"], books_file["tmp"] / "evil.xml"
    evil.write_bytes(BILLION_LAUGHS)
    result = cli.proc("bank", "import", str(evil), "--yes", expect=1)
    assert result.stderr == ("solebook: file: evil.xml: the XML declares a DTD or entities, "
                             "which a bank statement never needs; refused for safety\n")
    assert cli.json("bank", "list") == []


def test_reminders(books_file: dict[str, Any]) -> None:
    cli, tmp = books_file["cli"], books_file["tmp"]
    a, _b, bram = books_file["numbers"]
    overdue = json.loads(cli.proc("reminder", "list", "--json").stdout)
    assert [(r["number"], r["days_overdue"], r["open"], r["next_step"]) for r in overdue] == [
        (a, 26, "65.00", "first"), (books_file["numbers"][1], 25, "65.00", "first"),
        (bram, 24, "300.00", "first")]
    sent = cli.json("reminder", "send", bram, "--kind", "fourteen_day", "--pdf",
                   str(tmp / "aanmaning.pdf"))
    assert (sent["kind"], sent["amount"], sent["costs"], sent["channel"]) == (
        "fourteen_day", "300.00", "45.00", "letter")
    assert sent["pay_by"] == (date.today() + timedelta(days=16)).isoformat()
    assert (tmp / "aanmaning.pdf").read_bytes() == Path(sent["file"]).read_bytes()
    listed = {r["number"]: r for r in cli.json("reminder", "list")}
    assert [x["kind"] for x in listed[bram]["reminders"]] == ["fourteen_day"]
    assert listed[bram]["next_step"] == "wait"
    early = cli.run("reminder", "send", a, "--to", "x@example.nl", expect=1)
    assert early.stderr == "solebook: to: only with --email\n"
    text = cli.run("reminder", "send", a).stdout
    assert text.startswith(f"Payment reminder for {a} recorded: €65.00 open.")


def test_templates(books_file: dict[str, Any]) -> None:
    cli = books_file["cli"]
    shown = cli.json("mail", "template", "invoice", "--language", "en")
    assert shown["subject"] == "Invoice {number} from {practice_name}"
    assert not shown["edited"] and "due_date" in shown["fields"]
    bad = cli.proc("mail", "template", "invoice", "--subject", "Factuur {nummer}", expect=1)
    assert bad.stderr.startswith("solebook: subject: unknown field {nummer}; the fields are: ")
    body = books_file["tmp"] / "body.txt"
    body.write_text("Hoi {client_name},\n\nzie bijlage.\n", encoding="utf-8")
    changed = cli.json("mail", "template", "invoice", "--body-file", str(body))
    assert changed["edited"] and changed["body"] == "Hoi {client_name},\n\nzie bijlage.\n"
