"""The tax-year export: it reconciles with the books, hides health notes, neutralises
formulas, repeats byte for byte and never leaves half a folder."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import stat
import zipfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import event, func, select

from invoices.year_documents import PdfDocuments
from ledger.base.codes import InvoiceKind
from ledger.base.dates import FixedClock
from ledger.base.money import format_money, to_decimal
from ledger.billing.issuing import issue_invoice
from ledger.billing.sessions import create_invoice
from ledger.books import Books
from ledger.costs.entries import add_cost
from ledger.demo import load_demo
from ledger.store.models import Invoice, InvoiceLine
from ledger.yearend.export import MANIFEST, ExportResult, export_year
from ledger.yearend.figures import YearEnd, year_end
from tests.factories import NOW, make_client, make_treatment, record_session
from tests.invoices.pdftools import text as pdf_text

YEAR = 2026
RECEIPT = b"%PDF-1.4 bon Olie & Co"
EVIL = '=HYPERLINK("http://x")'
NOTES = EVIL + " knie doet pijn na val"


def files_of(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo practice (12 clients) with one cost and its receipt, built once."""
    folder = tmp_path_factory.mktemp("demo")
    books = Books.open(str(folder / "books.sqlite3"), clock=FixedClock(NOW), interface="test")
    load_demo(books, clients=12)
    receipt = folder / "bon.pdf"
    receipt.write_bytes(RECEIPT)
    add_cost(books, {"date": "2026-03-04", "supplier": "Olie & Co", "category": "materials",
                     "amount": "48,40", "vat_rate": "21", "receipt": str(receipt)})
    books.close()
    return folder / "books.sqlite3"


@pytest.fixture(scope="module")
def exported(demo_db: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[dict[str, Any]]:
    """One export of the demo year, with every SQL statement it sent to the database."""
    books = Books.open(str(demo_db), clock=FixedClock(NOW), interface="test")
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(books.db.engine, "before_cursor_execute", record)
    out = tmp_path_factory.mktemp("export")
    result = export_year(books, YEAR, out, documents=PdfDocuments(books))
    event.remove(books.db.engine, "before_cursor_execute", record)
    with books.db.read() as session:
        credit_numbers = list(session.scalars(select(Invoice.number).where(
            Invoice.kind == InvoiceKind.CREDIT, Invoice.number.is_not(None))))
    yield {"books": books, "result": result, "statements": statements,
           "credit_numbers": credit_numbers,
           "figures": year_end(books, YEAR), "out": out, "files": files_of(result.folder),
           "zip": result.zip_path.read_bytes()}
    books.close()


def _line_sums(books: Books) -> tuple[int, int]:
    with books.db.read() as session:
        net, vat = session.execute(
            select(func.sum(InvoiceLine.net_cents), func.sum(InvoiceLine.vat_cents))
            .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
            .where(Invoice.number.is_not(None), Invoice.date >= date(YEAR, 1, 1),
                   Invoice.date <= date(YEAR, 12, 31))).one()
    return int(net), int(vat)


def _cents(value: Any) -> int:
    """A workbook number (euros) back to cents, exactly."""
    return int((Decimal(str(value)) * 100).to_integral_exact())


def _sheet_sum(sheet: Any, header: str) -> int:
    rows = list(sheet.iter_rows(values_only=True))
    index = list(rows[0]).index(header)
    return sum(_cents(row[index]) for row in rows[1:] if row[index] is not None)


def _csv(folder: Path, name: str, *, dutch: bool) -> list[dict[str, str]]:
    raw = (folder / ("csv-nl" if dutch else "csv") / f"{name}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == dutch
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""),
                            delimiter=";" if dutch else ",")
    return list(reader)


def _csv_sum(rows: list[dict[str, str]], column: str, *, dutch: bool) -> int:
    total = 0
    for row in rows:
        value = row[column]
        if value:
            total += _cents(value.replace(",", ".") if dutch else value)
    return total


@pytest.mark.slow
def test_everything_gives_the_same_turnover_vat_and_open_amounts(
        exported: dict[str, Any]) -> None:
    books, result = exported["books"], exported["result"]
    figures: YearEnd = exported["figures"]
    net, vat = _line_sums(books)
    totals = figures.totals
    # the year report
    assert (totals.turnover_net, totals.vat) == (net, vat)
    open_amount = totals.open_at_year_end
    assert open_amount == figures.debtors_total > 0
    # the workbook, read back
    book = openpyxl.load_workbook(result.folder / f"{YEAR}-jaarcijfers.xlsx")
    invoices, credits = book["Facturen"], book["Creditnota's"]
    assert _sheet_sum(invoices, "Excl. btw") + _sheet_sum(credits, "Excl. btw") == net
    assert _sheet_sum(invoices, "Btw") + _sheet_sum(credits, "Btw") == vat
    assert _sheet_sum(book["Openstaand 31-12"], "Openstaand") == open_amount
    vat_sheet = book["Btw per kwartaal"]
    assert _sheet_sum(vat_sheet, "1a btw") == vat
    summary = {row[0]: row[1] for row in book[f"Samenvatting {YEAR}"].iter_rows(
        min_row=2, values_only=True)}
    assert _cents(summary["Omzet exclusief btw"]) == net
    assert _cents(summary["Btw in rekening gebracht"]) == vat
    assert _cents(summary["Openstaand per 31 december (debiteuren)"]) == open_amount
    negative = [row for row in credits.iter_rows(min_row=2) if row[7].value is not None]
    assert negative and all(c[7].data_type == "n" and c[7].value < 0 for c in negative)
    assert all(isinstance(c[1].value, type(invoices["B2"].value)) for c in negative)
    assert invoices["B2"].is_date and invoices["B2"].number_format == "dd-mm-yyyy"
    # the CSV files, Dutch and ISO
    for dutch in (True, False):
        names = ("Excl. btw", "Btw", "Openstaand") if dutch else ("net", "vat", "open")
        rows = _csv(result.folder, "invoices", dutch=dutch)
        rows += _csv(result.folder, "credit_notes", dutch=dutch)
        assert _csv_sum(rows, names[0], dutch=dutch) == net
        assert _csv_sum(rows, names[1], dutch=dutch) == vat
        debtors = _csv(result.folder, "open_at_year_end", dutch=dutch)
        assert _csv_sum(debtors, names[2], dutch=dutch) == open_amount
    assert _csv(result.folder, "invoices", dutch=True)[0]["Datum"].count("-") == 2
    # the annual report PDF
    report = pdf_text((result.folder / f"{YEAR}-jaarcijfers.pdf").read_bytes())
    assert f"Omzet exclusief btw {format_money(net)}" in report
    assert f"Btw in rekening gebracht {format_money(vat)}" in report
    assert f"Openstaand per 31 december {format_money(open_amount)}" in report
    assert "pagina 3 van 3" in report or "pagina 2 van 2" in report


def test_the_folder_holds_every_document_and_a_true_manifest(exported: dict[str, Any]) -> None:
    result: ExportResult = exported["result"]
    books: Books = exported["books"]
    folder = result.folder
    with books.db.read() as session:
        numbers = set(session.scalars(select(Invoice.number).where(
            Invoice.number.is_not(None), Invoice.date >= date(YEAR, 1, 1))))
    # a Dutch practice: Dutch names, the documents' own (factuur-2026-0001.pdf)
    pdfs = {p.name for sub in ("facturen", "creditnotas") for p in (folder / sub).glob("*.pdf")}
    credits = set(exported["credit_numbers"])
    assert pdfs == {f"{'creditnota' if n in credits else 'factuur'}-{n}.pdf" for n in numbers}
    assert credits and credits < numbers
    assert [p.read_bytes() for p in (folder / "bonnen").iterdir()] == [RECEIPT]
    statements = list((folder / "jaaroverzichten").glob("jaaroverzicht-2026-0*.pdf"))
    assert len(statements) == 12  # every demo client had treatments
    assert "Anna" in pdf_text(statements[0].read_bytes()) or statements
    manifest = (folder / MANIFEST).read_text().splitlines()
    listed = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in manifest}
    on_disk = files_of(folder)
    assert listed == {k: v for k, v in on_disk.items() if k != MANIFEST}
    for path in folder.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path
    with zipfile.ZipFile(result.zip_path) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {n.split("/", 1)[1] for n in names} == set(on_disk)
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.read(f"solebook-{YEAR}/{MANIFEST}") == (folder / MANIFEST).read_bytes()


def test_the_export_never_reads_health_notes(exported: dict[str, Any]) -> None:
    statements = exported["statements"]
    assert any("FROM invoice" in s for s in statements)  # the recording worked
    assert not [s for s in statements if "health_note" in s]


@pytest.mark.slow
def test_repeating_the_export_gives_the_same_files(exported: dict[str, Any]) -> None:
    books, out = exported["books"], exported["out"]
    again = export_year(books, YEAR, out, documents=PdfDocuments(books))  # over the first
    assert files_of(again.folder) == exported["files"]
    assert again.zip_path.read_bytes() == exported["zip"]
    assert sorted(p.name for p in out.iterdir()) == [f"solebook-{YEAR}", f"solebook-{YEAR}.zip"]


@pytest.fixture
def evil_practice(practice: Books) -> Books:
    """A client whose name and private notes hold a spreadsheet formula."""
    client = make_client(practice, EVIL, notes=NOTES)
    massage = make_treatment(practice)
    record_session(practice, client.id, massage.id, date(YEAR, 3, 2), notes=NOTES)
    issue_invoice(practice, create_invoice(practice, client.id).id, date(YEAR, 3, 31))
    return practice


def _all_text(folder: Path) -> str:
    """Everything a reader of the export could see: raw files, unzipped parts, PDF text."""
    parts = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix in (".xlsx", ".zip"):
            with zipfile.ZipFile(path) as archive:
                parts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        elif path.suffix == ".pdf":
            parts.append(pdf_text(data))
        else:
            parts.append(data.decode("utf-8", "replace"))
    return "\n".join(parts)


def test_formulas_are_neutralised_and_notes_left_out(evil_practice: Books,
                                                     tmp_path: Path) -> None:
    books = evil_practice
    result = export_year(books, YEAR, tmp_path, documents=PdfDocuments(books))
    sheet = openpyxl.load_workbook(result.folder / f"{YEAR}-jaarcijfers.xlsx")["Facturen"]
    cell = sheet["D2"]
    assert (cell.value, cell.data_type) == ("'" + EVIL, "s")
    for dutch, column in ((True, "Klant"), (False, "client")):
        [row] = _csv(result.folder, "invoices", dutch=dutch)
        assert row[column] == "'" + EVIL
    everything = _all_text(result.folder)
    assert "knie doet pijn" not in everything
    for line in everything.splitlines():  # no cell anywhere starts with the bare formula
        for cell_text in line.replace(",", ";").split(";"):
            assert not cell_text.strip('"').startswith("=HYPERLINK")


def test_a_failure_midway_leaves_no_half_folder(evil_practice: Books, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    books = evil_practice
    out = tmp_path / "out"
    import ledger.yearend.export as module

    calls = {"n": 0}
    real = module.csv_bytes

    def failing(*args: Any, **kwargs: Any) -> bytes:
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "csv_bytes", failing)
    with pytest.raises(OSError):
        export_year(books, YEAR, out, documents=PdfDocuments(books))
    assert list(out.iterdir()) == []
    monkeypatch.setattr(module, "csv_bytes", real)
    good = export_year(books, YEAR, out, documents=PdfDocuments(books))
    before = files_of(good.folder)
    zip_before = good.zip_path.read_bytes()

    def broken_report(self: Any, figures: Any) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(PdfDocuments, "annual_report", broken_report)
    with pytest.raises(RuntimeError):
        export_year(books, YEAR, out, documents=PdfDocuments(books))
    assert files_of(good.folder) == before  # the earlier export is untouched
    assert good.zip_path.read_bytes() == zip_before
    assert sorted(p.name for p in out.iterdir()) == [f"solebook-{YEAR}",
                                                          f"solebook-{YEAR}.zip"]


def test_an_export_without_documents_still_reconciles(evil_practice: Books,
                                                      tmp_path: Path) -> None:
    result = export_year(evil_practice, YEAR, tmp_path)
    assert not (result.folder / "invoices").exists()
    rows = _csv(result.folder, "invoices", dutch=False)
    assert [_cents(r["total"]) for r in rows] == [6500]
    assert to_decimal(6500) == Decimal("65.00")
    shutil.rmtree(result.folder)


def test_dutch_files_say_dutch_words_and_the_iso_csv_keeps_the_codes(
        exported: dict[str, Any]) -> None:
    """The Dutch CSV and the workbook name the VAT regime and the payment method in Dutch;
    the ISO CSV keeps the codes (as the JSON does)."""
    import openpyxl

    folder = exported["result"].folder
    dutch = _csv(folder, "invoices", dutch=True)
    iso = _csv(folder, "invoices", dutch=False)
    assert {row["Btw-regeling"] for row in dutch} == {"btw-plichtig (standaardregeling)"}
    assert {row["regime"] for row in iso} == {"standard"}
    methods = {row["Wijze"] for row in _csv(folder, "payments", dutch=True)}
    assert "contant" in methods and "cash" not in methods
    assert "cash" in {row["method"] for row in _csv(folder, "payments", dutch=False)}
    workbook = openpyxl.load_workbook(next(folder.glob("*.xlsx")), read_only=True)
    sheet = workbook["Facturen"]
    rows = list(sheet.iter_rows(values_only=True))
    column = list(rows[0]).index("Btw-regeling")
    assert {row[column] for row in rows[1:]} == {"btw-plichtig (standaardregeling)"}
