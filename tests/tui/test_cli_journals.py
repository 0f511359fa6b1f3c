"""The journals at the command line (issue 17): ``report ledger`` (trial balance and an
account's card) agrees with ``report year``, ``export auditfile`` and ``export beancount``
write their files, and a bad account is refused in one line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ledger.base.dates import FixedClock
from ledger.billing.payments import register_payment
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


@pytest.mark.slow
def test_report_ledger_and_the_exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "books.sqlite3"
    cli = InProcess(db, monkeypatch, capsys)
    cli.run("init")
    books = Books.open(str(db), clock=FixedClock(NOW), interface="test")
    update_practice(books, dict(PRACTICE))
    client = make_client(books)
    treatment = make_treatment(books)
    package = sell_package(books, client.id, make_plan(books, treatment.id).id,
                           on=date(2026, 2, 2))
    record_session(books, client.id, treatment.id, on=date(2026, 2, 9))
    register_payment(books, package.invoice_number, 10000, on=date(2026, 2, 3), method="pin")
    books.close()

    ledger = cli.real.json("report", "ledger", "2026")
    accounts = {a["code"]: a for a in ledger["accounts"]}
    assert ledger["total_debit"] == ledger["total_credit"] == "449.58"
    year = cli.json("report", "year", "2026")
    assert Decimal(accounts["1600"]["closing"]) == -Decimal(year["prepaid_liability_net"])
    assert accounts["1300"]["closing"] == year["open_at_year_end"] == "200.00"
    assert (accounts["1110"]["rgs"], accounts["1110"]["closing"]) == ("BLimKruSto", "100.00")
    card = cli.json("report", "ledger", "2026", "--account", "1600")
    assert [(line["journal"], line["document"], line["credit"], line["debit"])
            for line in card["lines"]] == [("VK", "2026-0001", "247.93", "0.00"),
                                           ("MEM", "2026-0001", "0.00", "49.58")]
    assert card["lines"][-1]["balance"] == card["account"]["closing"] == "-198.35"
    # descriptions: in JSON the practice's language (Dutch), on screen the run's (--lang en)
    assert card["lines"][0]["description"].startswith("Hardloopreeks — vooruitbetaling")
    debtors = cli.json("report", "ledger", "2026", "--account", "1300")["lines"]
    assert [line["description"] for line in debtors] == [
        "Factuur 2026-0001 - Anna de Vries", "Betaling factuur 2026-0001"]
    shown = cli.run("report", "ledger", "2026", "--account", "1300").stdout
    assert "Invoice 2026-0001 - Anna de Vries" in shown and "Payment invoice" in shown

    written = cli.real.json("export", "auditfile", "2026", "-o", str(tmp_path / "2026.xaf"))
    assert (written["entries"], written["total_debit"]) == (3, "449.58")
    assert (tmp_path / "2026.xaf").read_text("utf-8").startswith("<?xml")
    assert "<desc>Invoice 2026-0001 - Anna de Vries</desc>" in (tmp_path / "2026.xaf").read_text()
    cli.json("export", "beancount", "2026", "-o", str(tmp_path / "2026.beancount"))
    assert "Assets:1300-Debiteuren  300.00 EUR" in (tmp_path / "2026.beancount").read_text()
    changed = cli.real.json("chart", "set", "1600", "--rgs", "BSchOpaVob")
    assert changed == {"code": "1600", "name": "Vooruitontvangen bedragen (series)",
                       "kind": "B", "rgs": "BSchOpaVob"}
    assert changed in cli.json("chart", "list")
    bad = cli.run("report", "ledger", "2026", "--account", "7777", expect=1)
    assert bad.stderr == "solebook: account: 7777 is not in the chart\n"
