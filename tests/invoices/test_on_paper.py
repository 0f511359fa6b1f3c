"""Every document kind, in both languages, read back as a clerk, a bookkeeper or a client
reads the paper (issue 14): pdfplumber for words and their positions and the drawn boxes,
pypdf for fonts and dates.

The documents are made once for the module (``documents_kit``): a series of twenty for
€ 1.250,00, treatments from it and paid singly, a credit note, both statements, both
letters, and the annual report.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from invoices.page import MARGIN, PAGE_WIDTH
from ledger.base.dates import FixedClock
from ledger.books import Books
from tests.conftest import copy_database
from tests.factories import NOW, PRACTICE
from tests.invoices import pdftools
from tests.invoices.documents_kit import Documents, make_documents

KINDS = ["sale", "invoice", "credit", "claim", "year_statement", "reminder", "fourteen_day"]
ALL = [(kind, language) for kind in KINDS for language in ("nl", "en")]
ALL.append(("annual_report", "nl"))
IBAN = "NL91 ABNA 0417 1643 00"
AMOUNT = {"nl": re.compile(r"€ ?-?\d{1,3}(?:\.\d{3})*,\d{2}"),
          "en": re.compile(r"€-?\d{1,3}(?:,\d{3})*\.\d{2}")}
BIRTH_YEAR = {"nl": "1985", "en": "1980"}
WINDOW = (20 * mm, 45 * mm, 105 * mm, 90 * mm)  # DIN 5008: x0, top, x1, bottom (from top)
ADDRESS_ZONE = 62.7 * mm  # DIN 5008 form B: the recipient's part of the window, from the top
ADDRESS = {"nl": ["Ilse Visser", "Lindenlaan 4", "3514 CD Utrecht"],
           "en": ["John Smith", "12 High Street", "1012 AB Amsterdam"]}
RETURN_ADDRESS = "Voetreflex Praktijk Zool · Dorpsstraat 12 · 3512 AB Utrecht"


@pytest.fixture(scope="module")
def made(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Documents]:
    from ledger.practice.profile import update_practice

    path = copy_database(sqlite_template, tmp_path_factory.mktemp("paper") / "books.sqlite3")
    books = Books.open(str(path), clock=FixedClock(NOW), interface="test")
    update_practice(books, dict(PRACTICE))
    yield make_documents(books)
    books.close()


def _pdf(made: Documents, kind: str, language: str) -> Any:
    return pdfplumber.open(io.BytesIO(made.pdfs[(kind, language)]))


def _lines(page: Any) -> list[str]:
    return [line for line in (page.extract_text() or "").split("\n") if line.strip()]


# ------------------------------------------------------------------ on every document
@pytest.mark.parametrize(("kind", "language"), ALL)
def test_every_font_is_embedded(made: Documents, kind: str, language: str) -> None:
    data = made.pdfs[(kind, language)]
    assert pdftools.fonts(data) <= {"DejaVuSans", "DejaVuSans-Bold"}
    assert pdftools.unembedded_fonts(data) == set()


@pytest.mark.parametrize(("kind", "language"), ALL)
def test_every_drawn_box_is_inside_the_margins(made: Documents, kind: str,
                                               language: str) -> None:
    with _pdf(made, kind, language) as pdf:
        for page in pdf.pages:
            shapes = [*page.rects, *page.lines, *page.curves]
            assert shapes  # rules and boxes are drawn on every page
            for shape in shapes:
                assert shape["x0"] >= MARGIN - 0.5, (page.page_number, shape["x0"])
                assert shape["x1"] <= PAGE_WIDTH - MARGIN + 0.5, (page.page_number,
                                                                   shape["x1"])


def _spans_the_break(pattern: re.Pattern[str], first: str, second: str) -> list[str]:
    """What ``pattern`` matches only across the end of ``first`` into ``second``."""
    found = []
    for glue in (" ", ""):
        joined = first + glue + second
        for match in pattern.finditer(joined):
            if match.start() < len(first) < match.end() - len(glue) + 1 and \
                    match.group() not in first and match.group() not in second:
                found.append(match.group())
    return found


@pytest.mark.parametrize(("kind", "language"), ALL)
def test_no_iban_amount_or_invoice_number_breaks_over_two_lines(
        made: Documents, kind: str, language: str) -> None:
    numbers = [n for lang in ("nl", "en") for n in made.numbers[lang]]
    patterns = [AMOUNT[language], re.compile(re.escape(IBAN)),
                *(re.compile(re.escape(n)) for n in numbers)]
    seen = 0
    with _pdf(made, kind, language) as pdf:
        for page in pdf.pages:
            lines = _lines(page)
            seen += sum(len(p.findall(line)) for p in patterns for line in lines)
            for first, second in itertools.pairwise(lines):
                for pattern in patterns:
                    assert not _spans_the_break(pattern, first, second), (first, second)
    assert seen  # the document does print amounts and numbers


# --------------------------------------------------------- invoices, statements, letters
@pytest.mark.parametrize(("kind", "language"), [x for x in ALL if x[0] != "annual_report"])
def test_no_date_of_birth_shows_through_the_envelope_window(
        made: Documents, kind: str, language: str) -> None:
    x0, top, x1, bottom = WINDOW
    with _pdf(made, kind, language) as pdf:
        first = pdf.pages[0]
        words = first.extract_words()
        in_window = [w["text"] for w in words if w["x0"] < x1 and w["x1"] > x0
                     and w["top"] < bottom and w["bottom"] > top]
        assert BIRTH_YEAR[language] not in in_window
        printed = [w for page in pdf.pages for w in page.extract_words()
                   if w["text"] == BIRTH_YEAR[language]]
    if kind not in ("reminder", "fourteen_day"):  # letters carry no date of birth at all
        assert printed, "the insurer's block gives the date of birth"


@pytest.mark.parametrize(("kind", "language"), [x for x in ALL if x[0] != "annual_report"])
def test_the_address_and_nothing_else_lies_in_the_envelope_window(
        made: Documents, kind: str, language: str) -> None:
    """Name and address wholly inside the window, in its lower part (the address zone);
    above them at most the practice's return address in small print; nothing else."""
    address, above = _in_the_window(made.pdfs[(kind, language)])
    assert address == ADDRESS[language]
    assert above == [RETURN_ADDRESS]


def _in_the_window(data: bytes) -> tuple[list[str], list[str]]:
    """The lines of the first page in the window: those in its address zone, and those
    above it (checked to be small print). Fails on anything only partly in the window, and
    on an image (the logo) in it."""
    x0, top, x1, bottom = WINDOW
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        words = page.extract_words(extra_attrs=["size"])
        assert all(image["bottom"] <= top or image["x0"] >= x1 for image in page.images)
    touching = [w for w in words if w["x0"] < x1 and w["x1"] > x0
                and w["top"] < bottom and w["bottom"] > top]
    for word in touching:  # nothing half in the window
        assert x0 <= word["x0"] and word["x1"] <= x1, word
        assert top <= word["top"] and word["bottom"] <= bottom, word
    rows: dict[int, list[Any]] = {}
    for word in sorted(touching, key=lambda w: (round(w["top"]), w["x0"])):
        rows.setdefault(round(word["top"]), []).append(word)
    lines = [(" ".join(w["text"] for w in row), row) for _top, row in sorted(rows.items())]
    above = [(text, row) for text, row in lines if row[0]["top"] < ADDRESS_ZONE]
    assert all(word["size"] <= 7 for _text, row in above for word in row)  # small print
    return ([text for text, row in lines if row[0]["top"] >= ADDRESS_ZONE],
            [text for text, _row in above])


def test_long_names_and_a_logo_keep_the_window_clear(sqlite_template: Path,
                                                     tmp_path: Path) -> None:
    """A practice name over two lines and a logo stay above the window (the logo made
    smaller), the return address leaves out a name that makes it too long, and a client's
    long name wraps inside the window."""
    from PIL import Image

    from invoices.invoice_pdf import render_invoice
    from invoices.statements import package_statement, render_statement
    from ledger.billing.status import get_invoice
    from ledger.practice.profile import update_practice
    from tests.factories import make_client, make_plan, make_treatment, sell_package

    logo = io.BytesIO()
    Image.new("RGB", (600, 300), (31, 78, 121)).save(logo, "PNG")
    books = Books.open(str(copy_database(sqlite_template, tmp_path / "books.sqlite3")),
                       clock=FixedClock(NOW), interface="test")
    try:
        update_practice(books, {**PRACTICE, "name": "Praktijk voor Voetreflexologie en "
                                                    "Ontspanning De Gezonde Voetzool"})
        client = make_client(books, "Johanna Wilhelmina Cornelia van der Heijden-Vermeulen")
        plan = make_plan(books, make_treatment(books).id)
        package = sell_package(books, client.id, plan.id)
        documents = [render_invoice(get_invoice(books, package.invoice_number), logo.getvalue()),
                     render_statement(package_statement(books, package.id), logo.getvalue())]
    finally:
        books.close()
    for data in documents:
        assert pdftools.images(data) == 1
        address, above = _in_the_window(data)
        assert " ".join(address) == ("Johanna Wilhelmina Cornelia van der Heijden-Vermeulen "
                                     "Lindenlaan 4 3514 CD Utrecht")
        assert len(address) == 4
        assert above == ["Dorpsstraat 12 · 3512 AB Utrecht"]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("kind", ["sale", "invoice"])
def test_payment_and_insurer_values_start_at_the_same_x(made: Documents, kind: str,
                                                        language: str) -> None:
    label = {"nl": "Therapeut", "en": "Therapist"}[language]
    with _pdf(made, kind, language) as pdf:
        words = pdf.pages[0].extract_words(keep_blank_chars=False)

    def value_x(name: str) -> float:
        row = next(w for w in words if w["text"] == name and w["x0"] < MARGIN + 1)
        return min(w["x0"] for w in words if abs(w["top"] - row["top"]) < 2
                   and w["x0"] > row["x1"])

    assert value_x("IBAN") == pytest.approx(value_x(label), abs=0.5)


SALE = {
    "nl": ("vooruitbetaling voor 20 behandelingen Voetreflexmassage, geldig tot 2 oktober 2027",
           "Niet declareren bij uw zorgverzekeraar: declareer elke behandeling nadat die "
           "gegeven is, met het declaratieoverzicht."),
    "en": ("prepayment for 20 treatments Voetreflexmassage, valid until 2 October 2027",
           "Not for claiming with your health insurer: claim each treatment once it is "
           "given, with the claim statement (declaratieoverzicht)."),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_series_sale_says_it_is_a_prepayment_without_a_performance_code(
        made: Documents, language: str) -> None:
    with _pdf(made, "sale", language) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        heads = {w["text"]: w for w in words if w["top"] < page.height / 2}  # its head
        left = heads["Omschrijving" if language == "nl" else "Description"]["x0"] - 1
        right = heads["Prestatie-" if language == "nl" else "Perf."]["x0"] - 1
        column = page.crop((left, heads["Prestatie-" if language == "nl" else "Perf."]["bottom"]
                            + 10, right, page.height / 2))
        description = " ".join((column.extract_text() or "").split())
        text = " ".join((page.extract_text() or "").split())
    for sentence in SALE[language]:
        assert sentence in description
    assert "24009" not in text  # no performance code on the sale
    assert "24009" in pdftools.text(made.pdfs[("invoice", language)])  # but on treatments


# -------------------------------------------------------------------- the annual report
def test_the_annual_report_has_its_own_title_the_day_it_was_made_and_few_pages(
        made: Documents) -> None:
    data = made.pdfs[("annual_report", "nl")]
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata is not None
    assert reader.metadata["/Title"] == "Jaarcijfers 2026"
    assert reader.metadata["/CreationDate"] == "D:20261124100000+01'00'"  # the clock's now
    pages = pdftools.pages(data)
    assert len(pages) == 2
    assert pages[0].startswith("Jaarcijfers 2026")
    assert "Jaaroverzicht" not in " ".join(pages)  # that is a client's year statement
    assert ("Opgemaakt op 24 november 2026; boeken bijgewerkt tot 24 november 2026."
            in pages[0])
    assert "Kleineondernemersregeling (KOR)" in pages[0]  # never alone on a last page


def test_a_long_debtor_list_leaves_no_near_empty_last_page(practice: Books) -> None:
    """However long the lists, the last page carries a list's end, never the KOR box alone."""
    import dataclasses

    from invoices.annual_report import render_annual_report
    from ledger.practice.profile import get_practice
    from ledger.yearend.figures import year_end
    from ledger.yearend.views import Debtor

    figures = year_end(practice, 2026)
    debtor = Debtor(invoice_id=1, number="2026-0001", date=NOW.date(), due_date=NOW.date(),
                    client_id=1,
                    client_name="Ilse Visser", total=6500, credited=0, paid=0, open=6500)
    for count in (10, 40, 75):
        long = dataclasses.replace(figures, debtors=(debtor,) * count)
        pages = pdftools.pages(render_annual_report(long, get_practice(practice), NOW))
        assert "Kleineondernemersregeling (KOR)" in pages[0], count
        assert len(pages[-1].split()) > 25, (count, pages[-1])


@pytest.mark.parametrize(("moment", "offset"), [
    (datetime(2026, 1, 15, 9, 30), "+01'00'"),  # winter time, CET
    (datetime(2026, 7, 15, 9, 30), "+02'00'"),  # summer time, CEST
])
def test_pdf_dates_carry_the_dutch_offset(moment: datetime, offset: str) -> None:
    from invoices.layout import PageDecor, build_pdf, styles
    from invoices.markup import para

    data = build_pdf([para("x", styles()["body"])], PageDecor((), lambda p, n: ""),
                     key="dates", stamp=moment, title="t", author="a")
    meta = PdfReader(io.BytesIO(data)).metadata
    assert meta is not None
    assert meta["/CreationDate"] == f"D:{moment:%Y%m%d%H%M%S}{offset}"
