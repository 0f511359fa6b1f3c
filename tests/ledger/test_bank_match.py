"""The matching rules, as a table: what a payment with this text and amount is for."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.bank.match import OpenInvoice, name_matches, numbers_in, propose

PATTERN = "{year}-{seq:04d}"
OPEN = [
    OpenInvoice(1, "2026-0001", date(2026, 10, 1), "Anna de Vries", 65_00),
    OpenInvoice(2, "2026-0002", date(2026, 10, 8), "Anna de Vries", 65_00),
    OpenInvoice(3, "2026-0003", date(2026, 10, 9), "Bram Bakker", 300_00),
    OpenInvoice(4, "2026-0004", date(2026, 10, 10), "Özgür Çelik", 65_00),
    OpenInvoice(6, "2026-0006", date(2026, 10, 12), "Łukasz Wiśniewski", 72_50),
]
ISSUED = [inv.number for inv in OPEN] + ["2026-0005"]  # 0005 is paid


@pytest.mark.parametrize(("text", "found"), [
    ("Factuur 2026-0001", ["2026-0001"]),
    ("fact 2026 0002 / 2026.0003", ["2026-0002", "2026-0003"]),
    ("20260004", ["2026-0004"]),
    ("nota 2026-0001, 2026-0001 dubbel", ["2026-0001"]),
    ("datum 24-11-2026 bedrag 65", []),
    ("X2026-0001", []),
    ("2026-00011", ["2026-0011"]),
])
def test_numbers_in_text(text: str, found: list[str]) -> None:
    assert numbers_in(text, PATTERN) == found


@pytest.mark.parametrize(("payer", "client", "same"), [
    ("A. de Vries", "Anna de Vries", True),
    ("HR A DE VRIES EO", "Anna de Vries", True),
    ("VRIES A DE", "Anna de Vries", True),
    ("P. de Vries", "Anna de Vries", False),
    ("OZGUR CELIK", "Özgür Çelik", True),
    ("L WISNIEWSKI", "Łukasz Wiśniewski", True),
    ("L WISNIEWSKY", "Łukasz Wiśniewski", True),  # a typo in a long name
    ("Bakker", "Bram Bakker", True),
    ("Eneco", "Anna de Vries", False),
    ("", "Anna de Vries", False),
])
def test_name_matches(payer: str, client: str, same: bool) -> None:
    assert name_matches(payer, client) is same


@pytest.mark.parametrize(("amount", "payer", "text", "status", "rule", "booked", "certain"), [
    (130_00, "A. de Vries", "Factuur 2026-0001 en 2026-0002", "proposed", "number",
     [("2026-0001", 65_00), ("2026-0002", 65_00)], True),
    (65_00, "A. de Vries", "2026-0002", "proposed", "number", [("2026-0002", 65_00)], True),
    (100_00, "B BAKKER", "2026-0003 eerste deel", "proposed", "number_part",
     [("2026-0003", 100_00)], False),
    (65_00, "A. de Vries", "2026-0001 2026-0002", "proposed", "number_part",
     [("2026-0001", 65_00)], False),
    (350_00, "B BAKKER", "2026-0003", "proposed", "number_part", [("2026-0003", 300_00)],
     False),
    (65_00, "OZGUR CELIK", "behandeling november", "proposed", "amount_name",
     [("2026-0004", 65_00)], False),
    (72_50, "Stichting X", "zorg", "proposed", "amount", [("2026-0006", 72_50)], False),
    (65_00, "J. Onbekend", "gift", "unmatched", "", [], False),
    (42_50, "J. Onbekend", "gift", "unmatched", "", [], False),
    (65_00, "Iemand", "2026-0005", "unmatched", "", [], False),
    (-23_10, "Eneco", "2026-0001", "unmatched", "", [], False),
])
def test_proposals(amount: int, payer: str, text: str, status: str, rule: str,
                   booked: list[tuple[str, int]], certain: bool) -> None:
    proposal = propose(amount, payer, text, OPEN, ISSUED, PATTERN)
    assert proposal.status == status
    assert proposal.rule == rule
    assert [(a.number, a.amount) for a in proposal.allocations] == booked
    assert proposal.certain is certain


def test_notes_explain_what_is_left_for_review() -> None:
    partial = propose(100_00, "B BAKKER", "2026-0003", OPEN, ISSUED, PATTERN)
    assert partial.note == "partial payment: €100.00 of €300.00 on 2026-0003"
    over = propose(350_00, "B BAKKER", "2026-0003", OPEN, ISSUED, PATTERN)
    assert over.note == "€50.00 more than is open on 2026-0003"
    paid = propose(65_00, "Iemand", "2026-0005", OPEN, ISSUED, PATTERN)
    assert paid.note == "nothing open on 2026-0005"
    look = propose(12_00, "A de Vries", "x", OPEN, ISSUED, PATTERN)
    assert look.note == "no open invoice of this amount; the payer looks like Anna de Vries"


def test_two_invoices_of_one_client_same_amount_takes_the_oldest() -> None:
    proposal = propose(65_00, "A. de Vries", "behandeling", OPEN, ISSUED, PATTERN)
    assert [a.number for a in proposal.allocations] == ["2026-0001"]
    assert "oldest" in proposal.note


def test_another_pattern() -> None:
    assert numbers_in("betaling F2026-00012 ok", "F{year}-{seq:05d}") == ["F2026-00012"]
    assert numbers_in("betaling f 2026 00012", "F{year}-{seq:05d}") == []
    assert numbers_in("nr F202600012", "F{year}-{seq:05d}") == ["F2026-00012"]
