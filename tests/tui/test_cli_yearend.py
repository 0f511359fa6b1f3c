"""Costs, kilometres, the extended year report and the export, typed at the command line."""

from __future__ import annotations

import hashlib
import stat
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from ledger.base.dates import FixedClock
from ledger.billing.issuing import issue_invoice
from ledger.billing.payments import register_payment
from ledger.billing.sessions import create_invoice
from ledger.books import Books
from ledger.practice.profile import update_practice
from tests.factories import (
    NOW,
    PRACTICE,
    make_client,
    make_plan,
    make_treatment,
    record_session,
    sell_package,
)
from tests.tui.test_cli_worked_example import InProcess

CONTRACT = ("year", "turnover_net", "vat", "turnover_gross", "by_month", "by_quarter",
            "payments_received", "open_at_year_end")


def test_cost_add_and_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    cli = InProcess(tmp_path / "books.sqlite3", monkeypatch, capsys)
    cli.run("init")
    receipt = tmp_path / "bon.pdf"
    receipt.write_bytes(b"%PDF-1.4 bon")
    cost = cli.real.json("cost", "add", "--date", "04-03-2026", "--supplier", "Olie & Co",
                    "--description", "Amandelolie", "--category", "materials",
                    "--amount", "€ 48,40", "--vat-rate", "21", "--method", "pin",
                    "--receipt", str(receipt))
    assert (cost["amount"], cost["vat"], cost["net"], cost["vat_rate"]) == (
        "48.40", "8.40", "40.00", "21")
    stored = tmp_path / cost["receipt"]
    assert stored.read_bytes() == b"%PDF-1.4 bon"
    assert cost["receipt_sha256"] == hashlib.sha256(b"%PDF-1.4 bon").hexdigest()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    cli.json("cost", "add", "--date", "2026-05-01", "--supplier", "Verzekeraar",
             "--category", "Verzekeringen", "--amount", "120", "--vat", "0")
    listed = cli.json("cost", "list", "--year", "2026")
    assert [(c["supplier"], c["category"], c["amount"]) for c in listed] == [
        ("Olie & Co", "materials", "48.40"), ("Verzekeraar", "insurance", "120.00")]
    text = cli.run("cost", "list").stdout
    assert "Olie & Co" in text and "€48.40" in text
    categories = cli.json("cost", "categories")
    assert len(categories) == 11 and categories[0]["name"] == "Materialen en oliën"
    bad = cli.run("cost", "add", "--date", "2026-05-01", "--supplier", "X", "--category",
                  "boats", "--amount", "10", expect=1)
    assert bad.stderr.count("\n") == 1 and bad.stderr.startswith("solebook: category:")
    bad = cli.run("cost", "add", "--date", "2026-05-01", "--supplier", "X", "--category",
                  "rent", "--amount", "10", "--vat", "1", "--vat-rate", "21", expect=2)
    assert len(cli.json("cost", "list")) == 2


def test_kilometres(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                    capsys: pytest.CaptureFixture[str]) -> None:
    cli = InProcess(tmp_path / "books.sqlite3", monkeypatch, capsys)
    trip = cli.real.json("km", "add", "--date", "2026-06-01", "--km", "12,5", "--description",
                    "Utrecht - Zeist")
    assert (trip["km"], trip["rate"], trip["amount"]) == ("12.5", "0.23", "2.88")
    assert cli.json("km", "rate", "0,25")["rate"] == "0.25"
    cli.json("km", "add", "--date", "2026-06-02", "--km", "10", "--description", "Zeist")
    assert [t["amount"] for t in cli.json("km", "list")] == ["2.88", "2.50"]
    assert cli.run("km", "add", "--date", "2026-06-02", "--km", "-1", "--description", "x",
                   expect=1).stderr.startswith("solebook: km:")


def _small_practice(db: Path) -> None:
    books = Books.open(str(db), clock=FixedClock(NOW), interface="test")
    update_practice(books, dict(PRACTICE))
    anna = make_client(books)
    massage = make_treatment(books)
    plan = make_plan(books, massage.id)
    record_session(books, anna.id, massage.id, date(2026, 2, 3))
    invoice = issue_invoice(books, create_invoice(books, anna.id).id, date(2026, 2, 28))
    register_payment(books, invoice.number or "", 6500, on=date(2026, 3, 5))
    package = sell_package(books, anna.id, plan.id, date(2026, 10, 1))
    record_session(books, anna.id, massage.id, date(2026, 10, 8), package=package.id)
    books.close()


def test_report_year_keeps_its_contract_and_adds_the_year_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "books.sqlite3"
    _small_practice(db)
    cli = InProcess(db, monkeypatch, capsys)
    cli.run("cost", "add", "--date", "2026-04-01", "--supplier", "Verhuurder", "--category",
            "rent", "--amount", "242,00", "--vat-rate", "21")
    report = cli.real.json("report", "year", "2026")
    assert all(key in report for key in CONTRACT)
    assert (report["turnover_gross"], report["open_at_year_end"]) == ("365.00", "300.00")
    assert len(report["by_month"]) == 12 and len(report["by_quarter"]) == 4
    assert report["prepaid_liability"] == "240.00"  # 4 of 5 sessions at € 60,00
    assert report["prepaid_sessions_left"] == 4
    assert [d["open"] for d in report["debtors"]] == ["300.00"]
    assert report["by_package_plan"][0]["gross"] == "300.00"
    assert report["by_treatment"][0]["gross"] == "65.00"
    q2 = report["vat_return"][1]
    assert (q2["5b"], q2["balance"]) == ("42.00", "-42.00")
    assert report["costs_total"]["expense"] == "200.00"
    assert (report["turnover_net"], report["result"]) == ("301.65", "101.65")  # - 200.00
    assert report["sessions"]["given"] == 2 and report["sessions"]["treatment_hours"] == "2.00"
    text = cli.run("report", "year", "2026").stdout
    assert "result €101.65" in text


def test_export_year_writes_the_folder_and_zip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "books.sqlite3"
    _small_practice(db)
    cli = InProcess(db, monkeypatch, capsys)
    out = tmp_path / "out"
    result = cli.real.json("export", "year", "2026", "--out", str(out))
    folder = Path(result["folder"])
    assert folder == out / "solebook-2026" and Path(result["zip"]).is_file()
    # a Dutch practice's bookkeeper gets Dutch names
    assert {"2026-jaarcijfers.xlsx", "2026-jaarcijfers.pdf", "MANIFEST.sha256",
            "2026-auditfile.xaf", "2026-journals.beancount", "facturen/factuur-2026-0001.pdf",
            "facturen/factuur-2026-0002.pdf",
            "jaaroverzichten/jaaroverzicht-2026-00001-anna-de-vries.pdf"} <= set(result["files"])
    documents = [f for f in result["files"] if not f.startswith("csv")]  # CSVs keep keys
    assert not [f for f in documents if "invoice" in f or "statement" in f]
    sheets = openpyxl.load_workbook(folder / "2026-jaarcijfers.xlsx").sheetnames
    assert sheets[:8] == ["Samenvatting 2026", "Facturen", "Creditnota's", "Betalingen",
                          "Openstaand 31-12", "Reeksen 31-12", "Kosten", "Btw per kwartaal"]
    # an English practice's, English ones
    cli.run("practice", "set", "--language", "en")
    files = set(cli.json("export", "year", "2026", "--out", str(out))["files"])
    assert {"2026-figures.xlsx", "2026-annual-report.pdf", "invoices/invoice-2026-0001.pdf",
            "statements/annual-statement-2026-00001-anna-de-vries.pdf"} <= files
    assert not [f for f in files if "factu" in f or "jaar" in f or "overzicht" in f]
    bad = cli.run("export", "year", "1800", "--out", str(out), expect=1)
    assert bad.stderr.startswith("solebook: year:")
    (tmp_path / "file").write_text("x")
    bad = cli.run("export", "year", "2026", "--out", str(tmp_path / "file"), expect=1)
    assert bad.stderr.startswith("solebook: out:")
