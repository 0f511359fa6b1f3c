"""What is open adds up the same way everywhere: an invoice paid and then credited is money
to pay back, never netted against what clients still owe. The overview, the invoice list,
the Year screen and ``report year --json`` show the same two figures.

The books of this test (24 November 2026)::

    2026-0001  Anna   € 65,00   paid € 65,00 on 10 November, credited in full on 20 November
    2026-0002  Bob    € 300,00  the Hardloopreeks, not paid yet

so € 300,00 is to be received and € 65,00 is to be paid back (not "open € 235,00")."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from ledger.billing.credits import credit_invoice
from ledger.billing.issuing import issue_invoice
from ledger.billing.payments import register_payment
from ledger.billing.sessions import create_invoice
from ledger.books import Books
from tests.factories import (
    cli_env,
    make_client,
    make_plan,
    make_treatment,
    record_session,
    sell_package,
)
from tests.tui.pilot import drive, screen_text, settle

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def refund_due(practice: Books) -> Books:
    anna, bob = make_client(practice, "Anna de Vries"), make_client(practice, "Bob Jansen")
    treatment = make_treatment(practice)
    record_session(practice, anna.id, treatment.id, date(2026, 11, 3), package="none")
    paid = issue_invoice(practice, create_invoice(practice, anna.id).id, date(2026, 11, 3))
    register_payment(practice, paid.number, 6500, on=date(2026, 11, 10))
    credit_invoice(practice, paid.number, on=date(2026, 11, 20))
    sell_package(practice, bob.id, make_plan(practice, treatment.id).id, date(2026, 11, 21))
    return practice


def test_three_screens_and_the_report_agree(refund_due: Books, make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> dict[str, str]:
        shown = {}
        for key in ("1", "4", "5"):
            await pilot.press(key)
            await settle(pilot)
            shown[key] = screen_text(pilot)
        return shown

    shown = drive(make_tui(refund_due), scenario)
    both = "te ontvangen € 300,00 · terug te betalen € 65,00"
    assert f"Te laat € 0,00 · {both}" in shown["1"], shown["1"]
    assert f"3 facturen · totaal € 300,00 · {both}" in shown["4"], shown["4"]
    assert f"op 31 december {both}" in shown["5"], shown["5"]
    assert "235" not in shown["1"] + shown["4"] + shown["5"]

    done = subprocess.run([sys.executable, "-m", "tui.cli.main", "report", "year", "2026",
                           "--json"], cwd=ROOT, env=cli_env(str(refund_due.db.path)),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["open_at_year_end"], report["to_refund_at_year_end"]) == ("300.00", "65.00")


def test_the_year_screen_speaks_dutch_and_english(refund_due: Books, make_tui: Any) -> None:
    async def scenario(pilot: Pilot[Any]) -> str:
        await pilot.press("5")
        await settle(pilot)
        return screen_text(pilot)

    dutch = drive(make_tui(refund_due), scenario)
    english = drive(make_tui(refund_due, language="en"), scenario)
    assert re.search(r"\b1 sessie gegeven · 1,00 uur behandeld", dutch), dutch
    assert all(f"K{q} |" in dutch for q in range(1, 5)) and "Q1 |" not in dutch
    assert re.search(r"\b1 session given · 1\.00 hours of treatment", english), english
    assert all(f"Q{q} |" in english for q in range(1, 5)) and "K1 |" not in english
