"""Claim statements for the insurer: each treatment, its share of the series, not an invoice.

Anna bought a three-treatment series for € 100,00 on 2 November 2026 and used it on 3, 10
and 17 November; she also had a massage on 24 November, invoiced separately, and missed an
appointment on 20 November (a fee, not a treatment).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from invoices.statements import client_year_statement, package_statement, render_statement
from ledger.base.errors import InputError, NotFound
from ledger.billing.credits import credit_invoice
from ledger.billing.issuing import issue_invoice
from ledger.billing.sessions import create_invoice
from tests.factories import make_plan, record_session, sell_package
from tests.invoices import pdftools


@pytest.fixture
def week(shop: dict[str, Any]) -> dict[str, Any]:
    books, anna, treatment = shop["books"], shop["anna"], shop["treatment"]
    plan = make_plan(books, treatment.id, name="Driekwartreeks", sessions=3, price="100")
    package = sell_package(books, anna.id, plan.id, date(2026, 11, 2))
    for day in (3, 10, 17):
        record_session(books, anna.id, treatment.id, date(2026, 11, day), package=package.id)
    record_session(books, anna.id, treatment.id, date(2026, 11, 20), package="none",
                   status="no_show", fee=2500)
    record_session(books, anna.id, treatment.id, date(2026, 11, 24), package="none")
    invoice = issue_invoice(books, create_invoice(books, anna.id).id)
    return {**shop, "package": package, "invoice": invoice}


INSURER = ["AGB-code therapeut 90123456", "AGB-code praktijk 90654321",
           "Beroepsvereniging VNRT", "Lidmaatschapsnummer VNRT-1234",
           "Registernummer RBCZ 210987", "Cliënt Anna de Vries",
           "Geboortedatum cliënt 12 maart 1985",
           "Lindenlaan 4", "3514 CD Utrecht"]


def test_package_statement_prices_each_treatment_at_its_exact_share(
        week: dict[str, Any]) -> None:
    statement = package_statement(week["books"], week["package"].id)
    assert [r.price for r in statement.rows] == [3334, 3333, 3333]
    assert statement.total == 10000
    text = pdftools.text(render_statement(statement))
    for field in [
        "Declaratieoverzicht", "Dit is geen factuur.", "U hoeft dit overzicht niet te betalen",
        "03-11-2026 Voetreflexmassage 24009 2026-0001 € 33,34",
        "10-11-2026 Voetreflexmassage 24009 2026-0001 € 33,33",
        "17-11-2026 Voetreflexmassage 24009 2026-0001 € 33,33",
        "Totaal € 100,00", "Driekwartreeks: 3 behandelingen voor € 100,00, gekocht op "
        "2 november 2026 met factuur 2026-0001; 3 van 3 gebruikt",
        "Datum 24 november 2026", *INSURER,
    ]:
        assert field in text, field
    assert "Factuur 2026" not in text  # never titled as an invoice
    assert pdftools.qr_codes(render_statement(statement)) == []


def test_year_statement_lists_treatments_not_fees(week: dict[str, Any]) -> None:
    statement = client_year_statement(week["books"], week["anna"].id, 2026)
    assert [(r.date.day, r.price, r.invoice_number) for r in statement.rows] == [
        (3, 3334, "2026-0001"), (10, 3333, "2026-0001"), (17, 3333, "2026-0001"),
        (24, 6500, "2026-0002")]
    text = pdftools.text(render_statement(statement))
    for field in ["Jaaroverzicht 2026", "Periode 1 januari t/m 31 december 2026",
                  "24-11-2026 Voetreflexmassage 24009 2026-0002 € 65,00",
                  "03-11-2026 Voetreflexmassage (Driekwartreeks) 24009 2026-0001 € 33,34",
                  "Totaal € 165,00", "Dit is geen factuur.", *INSURER]:
        assert field in text, field
    assert "20-11-2026" not in text  # the missed appointment is no treatment


def test_a_credited_treatment_is_no_longer_claimed(week: dict[str, Any]) -> None:
    books = week["books"]
    credit_invoice(books, week["invoice"].number)
    statement = client_year_statement(books, week["anna"].id, 2026)
    assert [r.invoice_number for r in statement.rows] == ["2026-0001"] * 3
    assert client_year_statement(books, week["anna"].id, 2025).rows == ()


def test_english_statement(shop: dict[str, Any]) -> None:
    books, john = shop["books"], shop["john"]
    package = sell_package(books, john.id, shop["plan"].id)
    record_session(books, john.id, shop["treatment"].id, package=package.id)
    text = pdftools.text(render_statement(package_statement(books, package.id)))
    for field in ["Claim statement", "This is not an invoice.", "Do not pay it.",
                  "24/11/2026 Voetreflexmassage 24009 2026-0001 €60.00", "Total €60.00",
                  "Therapist AGB code 90123456", "Client's date of birth 4 July 1980",
                  "page 1 of 1"]:
        assert field in text, field


def test_statement_renders_identically_twice(week: dict[str, Any]) -> None:
    statement = package_statement(week["books"], week["package"].id)
    assert render_statement(statement) == render_statement(statement)


def test_unknown_package_and_bad_year(shop: dict[str, Any]) -> None:
    with pytest.raises(NotFound, match="package"):
        package_statement(shop["books"], 99)
    with pytest.raises(InputError, match="year"):
        client_year_statement(shop["books"], shop["anna"].id, 20266)
