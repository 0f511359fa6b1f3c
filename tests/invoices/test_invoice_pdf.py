"""Invoice and credit note PDFs read back: every field Dutch invoice law and insurers ask.

The worked example: Anna de Vries buys the Hardloopreeks (5 x Voetreflexmassage for
€ 300,00, 21% VAT) on Tuesday 24 November 2026 at Voetreflex Praktijk Zool in Utrecht.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from invoices.epc import epc_payload
from invoices.invoice_pdf import render_invoice
from ledger.billing.credits import credit_invoice
from ledger.billing.drafts import add_free_line
from ledger.billing.issuing import issue_invoice
from ledger.billing.sessions import create_invoice
from ledger.billing.status import get_invoice
from ledger.practice.profile import EXEMPT_TEXT, KOR_TEXT, update_practice
from tests.factories import record_session, sell_package
from tests.invoices import pdftools
from tests.invoices.conftest import practice_with

SALE_NL = ("Hardloopreeks — vooruitbetaling voor 5 behandelingen Voetreflexmassage, geldig tot "
           "24 november 2027")
SALE_EN = ("Hardloopreeks — prepayment for 5 treatments Voetreflexmassage, valid until "
           "24 November 2027")
NOT_CLAIMABLE_NL = ("Niet declareren bij uw zorgverzekeraar: declareer elke behandeling nadat "
                    "die gegeven is, met het declaratieoverzicht.")


def sale_pdf(shop: dict[str, Any], who: str = "anna") -> tuple[Any, bytes]:
    books = shop["books"]
    package = sell_package(books, shop[who].id, shop["plan"].id)
    info = get_invoice(books, package.invoice_number)
    return info, render_invoice(info)


# ------------------------------------------------------------------- mandatory fields
COMMON_NL = [
    "Factuur 2026-0001", "Factuurnummer 2026-0001", "Factuurdatum 24 november 2026",
    "Vervaldatum 8 december 2026",
    # the practice: full name, street address, KvK
    "Voetreflex Praktijk Zool", "Dorpsstraat 12", "3512 AB Utrecht", "KvK 12345678",
    # the client: full name and address
    "Anna de Vries", "Lindenlaan 4", "3514 CD Utrecht",
    # what was supplied, when, how many, at what price
    SALE_NL, "24-11-2026", "1 € 300,00",
    # payment: IBAN in groups of four, account holder, term, reference
    "IBAN NL91 ABNA 0417 1643 00", "Ten name van M. de Zool", "Bedrag € 300,00",
    "Kenmerk 2026-0001", "Betalingstermijn 14 dagen",
    "Graag € 300,00 vóór 8 december 2026 overmaken naar NL91 ABNA 0417 1643 00 ten name van "
    "M. de Zool, onder vermelding van 2026-0001.",
    "Totaal € 300,00", "pagina 1 van 1",
]


def test_standard_regime_dutch_invoice_has_every_mandatory_field(shop: dict[str, Any]) -> None:
    _, pdf = sale_pdf(shop)
    text = pdftools.text(pdf)
    for field in [*COMMON_NL, "btw-id NL000099998B57", "Btw Bedrag",
                  "€ 300,00 21% € 300,00",  # unit price, VAT rate, amount
                  "Totaal excl. btw 21% € 247,93", "Btw 21% € 52,07"]:
        assert field in text, field
    assert "Vrijgesteld" not in text


@pytest.mark.parametrize(("regime", "statement"), [("exempt", EXEMPT_TEXT), ("kor", KOR_TEXT)])
def test_exempt_and_kor_show_no_vat_but_the_statement(shop: dict[str, Any], regime: str,
                                                      statement: str) -> None:
    practice_with(shop["books"], vat_regime=regime)
    info, pdf = sale_pdf(shop)
    text = pdftools.text(pdf)
    for field in COMMON_NL:
        assert field in text, field
    assert statement in text
    assert info.regime_text == statement
    # no VAT column, no VAT amounts, no rate, and no btw-id (not charging VAT)
    for absent in ("Btw", "btw 21%", "21%", "€ 52,07", "€ 247,93", "btw-id"):
        assert absent not in text, absent
    assert "Prijs Bedrag" in text


ENGLISH = [
    "Invoice 2026-0001", "Invoice number 2026-0001", "Invoice date 24 November 2026",
    "Due date 8 December 2026", "John Smith", "12 High Street", "1012 AB Amsterdam",
    SALE_EN, "24/11/2026", "IBAN NL91 ABNA 0417 1643 00", "Account holder M. de Zool",
    "Amount €300.00", "Reference 2026-0001", "Payment term 14 days", "Total €300.00",
    "KvK 12345678", "page 1 of 1", "Client's date of birth 4 July 1980",
]


@pytest.mark.parametrize("regime", ["standard", "exempt", "kor"])
def test_english_invoice_in_each_regime(shop: dict[str, Any], regime: str) -> None:
    practice_with(shop["books"], vat_regime=regime)
    _, pdf = sale_pdf(shop, "john")
    text = pdftools.text(pdf)
    for field in ENGLISH:
        assert field in text, field
    if regime == "standard":
        assert "Total excl. VAT 21% €247.93" in text and "VAT 21% €52.07" in text
        assert "VAT id NL000099998B57" in text
    else:
        statement = (
            "Exempt from VAT under article 11(1)(g) of the Dutch VAT Act (Wet OB)"
            if regime == "exempt" else
            "Exempt from VAT under the small business scheme (kleineondernemersregeling, KOR)")
        assert statement in text
        assert "VAT" not in text.replace(statement, "")
    assert "Factuur" not in text and "betalingstermijn" not in text.lower()


def test_a_custom_exemption_text_is_printed_as_written_in_english(shop: dict[str, Any]) -> None:
    custom = "Vrijgesteld van btw (art. 11 lid 1 sub g Wet OB), BIG 19012345601"
    practice_with(shop["books"], vat_regime="exempt", exempt_text=custom)
    _, pdf = sale_pdf(shop, "john")
    assert custom in pdftools.text(pdf)


# -------------------------------------------------------------------- insurance fields
def test_insurance_fields_on_every_invoice(shop: dict[str, Any]) -> None:
    books, anna, treatment = shop["books"], shop["anna"], shop["treatment"]
    for day in (2, 9):
        record_session(books, anna.id, treatment.id, date(2026, 11, day), package="none")
    info = issue_invoice(books, create_invoice(books, anna.id).id)
    text = pdftools.text(render_invoice(info))
    for field in ["AGB-code therapeut 90123456", "AGB-code praktijk 90654321",
                  "Beroepsvereniging VNRT", "Lidmaatschapsnummer VNRT-1234",
                  "Registernummer RBCZ 210987", "Therapeut Marieke de Zool",
                  "Geboortedatum cliënt 12 maart 1985",
                  # per treatment: date, therapy, performance code, price
                  "02-11-2026 Voetreflexmassage 24009 1 € 65,00 21% € 65,00",
                  "09-11-2026 Voetreflexmassage 24009 1 € 65,00 21% € 65,00",
                  "Prestatie- code"]:
        assert field in text, field


def test_without_agb_codes_there_is_no_insurer_block(shop: dict[str, Any]) -> None:
    practice_with(shop["books"], agb_therapist="", agb_practice="")
    _, pdf = sale_pdf(shop)
    text = pdftools.text(pdf)
    assert "zorgverzekeraar" not in text and "Geboortedatum" not in text


# ------------------------------------------------------------------------- credit note
def test_credit_note_has_its_number_the_original_and_negative_amounts(
        shop: dict[str, Any]) -> None:
    books = shop["books"]
    info, _ = sale_pdf(shop)
    credit = credit_invoice(books, info.number)
    pdf = render_invoice(credit)
    text = pdftools.text(pdf)
    for field in ["Creditfactuur 2026-0002", "Creditfactuurnummer 2026-0002",
                  "Crediteert factuur 2026-0001 van 24 november 2026",
                  "Deze creditfactuur corrigeert factuur 2026-0001 van 24 november 2026.",
                  SALE_NL, "-1 € 300,00 21% € -300,00", "Totaal excl. btw 21% € -247,93",
                  "Btw 21% € -52,07", "Totaal € -300,00", "Terugbetaling",
                  "Het bedrag van € 300,00 wordt verrekend"]:
        assert field in text, field
    assert "Vervaldatum" not in text
    assert pdftools.qr_codes(pdf) == []  # nothing to pay


# --------------------------------------------------------------------------- EPC QR code
def test_qr_code_carries_the_epc_payload_for_the_invoice_total(shop: dict[str, Any]) -> None:
    books = shop["books"]
    info, _ = sale_pdf(shop)
    from ledger.billing.payments import register_payment

    register_payment(books, info.number, 10000)  # a payment later changes nothing
    info = get_invoice(books, info.number)
    assert info.open == 20000
    pdf = render_invoice(info)
    expected = epc_payload(name="M. de Zool", iban="NL91ABNA0417164300", amount=30000,
                           text="2026-0001")
    assert pdftools.qr_codes(pdf) == [expected]
    assert expected.split("\n")[7] == "EUR300.00"


# ------------------------------------------------------------------------ reproducible
def test_rendering_twice_gives_identical_bytes(shop: dict[str, Any]) -> None:
    info, first = sale_pdf(shop)
    assert render_invoice(info) == first


def test_issued_pdf_depends_only_on_frozen_data(shop: dict[str, Any]) -> None:
    books = shop["books"]
    info, before = sale_pdf(shop)
    update_practice(books, {"name": "Praktijk Nieuwe Naam", "iban": "NL02ABNA0123456789"})
    from ledger.practice.clients import update_client

    update_client(books, shop["anna"].id, {"address": "Nieuwe Gracht 1"})
    books.clock.advance(timedelta(days=40))  # type: ignore[attr-defined]
    again = get_invoice(books, info.number)
    assert again.status == "overdue"
    assert render_invoice(again) == before


def test_metadata_is_fixed_by_the_invoice(shop: dict[str, Any]) -> None:
    import io

    from pypdf import PdfReader

    _, pdf = sale_pdf(shop)
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert meta["/CreationDate"].startswith("D:20261124100000")  # issued_at, not the clock
    assert meta["/Title"] == "Factuur 2026-0001"
    assert meta["/Author"] == "Voetreflex Praktijk Zool"


# ---------------------------------------------------------------------------- layout
def test_forty_lines_flow_onto_more_pages_with_the_header_repeated(
        shop: dict[str, Any]) -> None:
    books, anna, treatment = shop["books"], shop["anna"], shop["treatment"]
    start = date(2026, 1, 5)
    for week in range(40):
        record_session(books, anna.id, treatment.id, start + timedelta(days=7 * week),
                       package="none")
    draft = create_invoice(books, anna.id)
    add_free_line(books, draft.id, description="Reiskosten huisbezoek " * 12, amount=1500,
                  vat_rate=Decimal(21))
    info = issue_invoice(books, draft.id)
    assert len(info.lines) == 41
    pages = pdftools.pages(render_invoice(info))
    total = len(pages)
    assert total >= 2
    for number, page in enumerate(pages, start=1):
        assert f"pagina {number} van {total}" in page
        assert "Datum Omschrijving Prestatie- code Aantal Prijs Btw Bedrag" in page
    assert "Factuur 2026-0001 · Anna de Vries" in pages[1]  # running header from page 2
    assert "05-01-2026 Voetreflexmassage" in pages[0]
    assert "05-10-2026 Voetreflexmassage" in " ".join(pages[1:])
    assert "Totaal € 2.615,00" in " ".join(pages)  # 40 x € 65,00 + € 15,00
    assert "Reiskosten huisbezoek Reiskosten" in " ".join(pages)  # the long line wrapped


# --------------------------------------------------------------------- names and safety
def test_hostile_names_render_literally_and_fetch_nothing(
        shop: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from tests.factories import make_client

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the renderer tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    books = shop["books"]
    for name in ("Jansen & <Zonen>", '<img src="http://x">', "<b>Vet</b> &amp; <br/>"):
        client = make_client(books, name, address="<font size=40>Straat</font> 1")
        package = sell_package(books, client.id, shop["plan"].id)
        pdf = render_invoice(get_invoice(books, package.invoice_number))
        text = pdftools.text(pdf)
        assert name in text
        assert "<font size=40>Straat</font> 1" in text
        assert pdftools.images(pdf) == 0


@pytest.mark.parametrize("name", ["Łukasz Wiśniewski", "Özgür Çelik", "Nguyễn Thị Minh"])
def test_unicode_names_come_back_with_every_letter(shop: dict[str, Any], name: str) -> None:
    from reportlab.pdfbase import pdfmetrics

    from invoices.fonts import REGULAR, register_fonts
    from tests.factories import make_client

    books = shop["books"]
    client = make_client(books, name)
    package = sell_package(books, client.id, shop["plan"].id)
    pdf = render_invoice(get_invoice(books, package.invoice_number))
    assert pdftools.text(pdf).count(name) >= 2  # address block and insurer block
    assert pdftools.fonts(pdf) == {"DejaVuSans", "DejaVuSans-Bold"}  # embedded, no fallback
    register_fonts()
    glyphs = pdfmetrics.getFont(REGULAR).face.charToGlyph
    assert all(ord(c) in glyphs for c in name)  # drawn, not boxes


def test_package_sale_is_one_line_at_the_series_price(shop: dict[str, Any]) -> None:
    info, pdf = sale_pdf(shop)
    assert len(info.lines) == 1
    text = pdftools.text(pdf)
    assert f"24-11-2026 {SALE_NL} {NOT_CLAIMABLE_NL} 1 € 300,00 21% € 300,00" in text
    assert "24009" not in text  # a prepayment is not a claimable treatment
