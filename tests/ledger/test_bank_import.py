"""Importing a week of bank statement lines into the books (every format, both databases).

The practice has four open invoices (see ``open_invoices``); the statement is the week in
tests/bank_samples.py: a payment of two invoices at once, a partial payment, a payment
without a number, an unknown payer and a debit.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ledger.bank.booking import confirm_line, list_lines, reject_line
from ledger.bank.importing import import_statement
from ledger.base.errors import InputError, NotFound, RuleViolation
from ledger.billing.issuing import issue_invoice
from ledger.billing.sessions import create_invoice
from ledger.billing.status import get_invoice
from ledger.books import Books
from ledger.store.models import Payment
from ledger.store.models.paid import BankImport, BankLine, BankMatch
from tests.bank_samples import FORMATS, WEEK, Tx, camt_08, ing_semicolon
from tests.factories import make_client, record_session, sell_package


def _issue(books: Books, client_id: int, treatment_id: int, day: date) -> str:
    record_session(books, client_id, treatment_id, day, package="none")
    draft = create_invoice(books, client_id, None)
    number = issue_invoice(books, draft.id, day).number
    assert number is not None
    return number


@pytest.fixture
def open_invoices(runner_practice: dict[str, Any]) -> dict[str, Any]:
    """2026-0001 and -0002: Anna de Vries, € 65 each; 2026-0003: Bram Bakker's series of
    € 300; 2026-0004: Özgür Çelik, € 65. All issued in October, so overdue now."""
    books = runner_practice["books"]
    anna, treatment = runner_practice["client"], runner_practice["treatment"]
    bram = make_client(books, "Bram Bakker")
    ozgur = make_client(books, "Özgür Çelik")
    numbers = [_issue(books, anna.id, treatment.id, date(2026, 10, 1)),
               _issue(books, anna.id, treatment.id, date(2026, 10, 8)),
               sell_package(books, bram.id, runner_practice["plan"].id,
                            date(2026, 10, 9)).invoice_number,
               _issue(books, ozgur.id, treatment.id, date(2026, 10, 10))]
    assert numbers == ["2026-0001", "2026-0002", "2026-0003", "2026-0004"]
    return {**runner_practice, "anna": anna, "bram": bram, "ozgur": ozgur}


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / f"statement-{name}"
    path.write_bytes(data)
    return path


def _count(books: Books, model: Any) -> int:
    with books.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)))


def _payments(books: Books) -> list[tuple[str, int, date, str]]:
    with books.db.read() as session:
        rows = session.execute(select(Payment).order_by(Payment.id)).scalars().all()
        return [(get_invoice(books, p.invoice_id).number or "", p.amount_cents, p.date,
                 p.reference) for p in rows]


# The formats differ only before the database is involved, so the matrix runs on SQLite;
# the tests after it run on PostgreSQL as well.
@pytest.mark.sqlite_only
@pytest.mark.parametrize("name", sorted(FORMATS))
def test_import_books_the_certain_and_proposes_the_rest(
        open_invoices: dict[str, Any], tmp_path: Path, name: str) -> None:
    books = open_invoices["books"]
    path = _file(tmp_path, name, FORMATS[name]())

    proposed = import_statement(books, path)
    assert [(v.status, v.invoice_numbers) for v in proposed.lines] == [
        ("proposed", ("2026-0001", "2026-0002")),
        ("proposed", ("2026-0003",)),
        ("proposed", ("2026-0004",)),
        ("unmatched", ()),
        ("debit", ()),
    ]
    assert _payments(books) == []  # without --yes nothing is booked

    again = import_statement(books, path)  # the same file again adds nothing
    assert [v.status for v in again.lines] == ["duplicate"] * 5
    assert [v.id for v in again.lines] == [v.id for v in proposed.lines]
    assert again.import_id is None
    assert (_count(books, BankLine), _count(books, BankImport)) == (5, 1)
    assert _payments(books) == []

    third = import_statement(books, path, book_certain=True)  # and with --yes: books the
    assert [v.status for v in third.lines] == ["booked"] + ["duplicate"] * 4  # certain one
    assert third.lines[0].note == "imported before; booked now"
    assert _count(books, BankLine) == 5
    assert _payments(books) == [("2026-0001", 65_00, date(2026, 11, 20), "E2E-0001"),
                                ("2026-0002", 65_00, date(2026, 11, 20), "E2E-0001")]
    assert [v.status for v in import_statement(books, path, book_certain=True).lines] == [
        "duplicate"] * 5
    assert len(_payments(books)) == 2
    assert get_invoice(books, "2026-0001").status == "paid"
    assert get_invoice(books, "2026-0002").status == "paid"


def test_yes_books_only_the_certain_line(open_invoices: dict[str, Any], tmp_path: Path) -> None:
    books = open_invoices["books"]
    result = import_statement(books, _file(tmp_path, "ing", ing_semicolon()), book_certain=True)
    assert [v.status for v in result.lines] == ["booked", "proposed", "proposed", "unmatched",
                                                "debit"]
    assert [m.payment_id is not None for m in result.lines[0].matches] == [True, True]
    assert result.lines[1].note == "partial payment: €100.00 of €300.00 on 2026-0003"
    assert [p[:2] for p in _payments(books)] == [("2026-0001", 65_00), ("2026-0002", 65_00)]
    assert get_invoice(books, "2026-0003").open == 300_00

    # the review: the partial payment as proposed, Özgür's line corrected, the gift ignored
    review = list_lines(books, status="review")
    assert [v.counterparty_name for v in review] == ["J. Onbekend", "OZGUR CELIK", "B BAKKER"]
    confirm_line(books, result.lines[1].id)
    assert get_invoice(books, "2026-0003").open == 200_00
    corrected = confirm_line(books, result.lines[2].id, [("2026-0004", None)])
    assert [(m.invoice_number, m.rule, m.status) for m in corrected.matches] == [
        ("2026-0004", "amount_name", "rejected"), ("2026-0004", "manual", "confirmed")]
    assert get_invoice(books, "2026-0004").status == "paid"
    assert reject_line(books, result.lines[3].id, ignore=True).status == "ignored"
    assert list_lines(books, status="review") == []
    with pytest.raises(RuleViolation, match="already booked"):
        confirm_line(books, result.lines[0].id)
    with pytest.raises(RuleViolation, match="money paid out"):
        confirm_line(books, result.lines[4].id, [("2026-0003", 100)])
    assert len(_payments(books)) == 4


def test_a_failed_correction_books_nothing(open_invoices: dict[str, Any],
                                           tmp_path: Path) -> None:
    books = open_invoices["books"]
    result = import_statement(books, _file(tmp_path, "ing", ing_semicolon()))
    line = result.lines[0].id  # 130.00
    with pytest.raises(RuleViolation, match="more than is open on 2026-0001"):
        confirm_line(books, line, [("2026-0004", 3000), ("2026-0001", 10000)])
    with pytest.raises(RuleViolation, match="is € 130,00, not € 130,01"):
        confirm_line(books, line, [("2026-0001", 6500), ("2026-0004", 6501)])
    with pytest.raises(NotFound, match="there is no invoice"):
        confirm_line(books, line, [("2026-0099", None)])
    assert _payments(books) == []
    with books.db.read() as session:
        statuses = session.scalars(select(BankMatch.status).where(BankMatch.line_id == line))
        assert sorted(statuses) == ["proposed", "proposed"]


def test_a_later_line_does_not_take_what_an_earlier_one_proposes(
        open_invoices: dict[str, Any], tmp_path: Path) -> None:
    books = open_invoices["books"]
    day = date(2026, 11, 20)
    twice = (Tx(day, WEEK[2].amount, "OZGUR CELIK", "NL1", "november", "A"),
             Tx(day, WEEK[2].amount, "OZGUR CELIK", "NL1", "november nogmaals", "B"))
    result = import_statement(books, _file(tmp_path, "ing", ing_semicolon(twice)))
    assert [v.status for v in result.lines] == ["proposed", "unmatched"]
    third = Tx(date(2026, 11, 21), WEEK[2].amount, "OZGUR CELIK", "NL1", "derde", "C")
    later = import_statement(books, _file(tmp_path, "ing2", ing_semicolon((twice[0], third))))
    assert [v.status for v in later.lines] == ["duplicate", "unmatched"]


def test_unreadable_file(open_invoices: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        import_statement(open_invoices["books"], tmp_path / "nope.xml")
    assert _count(open_invoices["books"], BankLine) == 0


def test_a_file_is_stored_a_chunk_at_a_time_as_one_import(
        open_invoices: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines are read and stored a chunk at a time (here three): the views keep the
    file's order, duplicates and new lines mixed within and across chunks, the record
    counts them all, and later chunks see what earlier ones proposed."""
    import ledger.bank.importing as importing

    monkeypatch.setattr(importing, "CHUNK", 3)
    books = open_invoices["books"]
    days = [date(2026, 11, d) for d in range(2, 9)]
    txs = tuple(Tx(day, WEEK[3].amount, f"Gever {n}", f"NL{n}", f"gift {n}", f"G{n}")
                for n, day in enumerate(days))
    first = import_statement(books, _file(tmp_path, "a", ing_semicolon(txs[1:6:2])))
    assert [v.status for v in first.lines] == ["unmatched"] * 3
    ozgur = (Tx(date(2026, 11, 9), WEEK[2].amount, "OZGUR CELIK", "NL9", "nov", "O"),
             Tx(date(2026, 11, 9), WEEK[2].amount, "OZGUR CELIK", "NL9", "nov 2", "P"))
    both = (*txs, *ozgur)
    result = import_statement(books, _file(tmp_path, "b", ing_semicolon(both)))
    assert [v.status for v in result.lines] == [
        "unmatched", "duplicate", "unmatched", "duplicate", "unmatched", "duplicate",
        "unmatched", "proposed", "unmatched"]  # the second € 65 finds 2026-0004 taken
    assert [v.counterparty_name for v in result.lines][:7] == [f"Gever {n}" for n in range(7)]
    assert [v.id for v in result.lines[1:6:2]] == [v.id for v in first.lines]
    with books.db.read() as session:
        record = session.get(BankImport, result.import_id)
        assert record is not None and (record.lines_new, record.lines_duplicate) == (6, 3)
    assert _count(books, BankLine) == 9


def test_a_bad_entry_far_into_a_file_leaves_nothing_stored(
        open_invoices: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks before the bad line were stored in the same transaction: all rolled back."""
    import ledger.bank.importing as importing
    from tests.bank_samples import camt_08

    monkeypatch.setattr(importing, "CHUNK", 2)
    books = open_invoices["books"]
    data = camt_08().replace(b"<c:CdtDbtInd>DBIT</c:CdtDbtInd>", b"<c:CdtDbtInd>X</c:CdtDbtInd>")
    with pytest.raises(InputError, match=r"statement-camt\.xml: entry .*: CdtDbtInd must be"):
        import_statement(books, _file(tmp_path, "camt.xml", data))
    assert (_count(books, BankLine), _count(books, BankImport)) == (0, 0)


@pytest.mark.parametrize("name", ["camt.xml", "mt940.sta"])
def test_a_statement_is_read_once_and_its_record_has_the_hash_of_what_was_read(
        open_invoices: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        name: str) -> None:
    """The file is read from disk once (a CAMT.053 as a stream); the import's record keeps
    the SHA-256 of the bytes its lines were read from."""
    import ledger.bank.reading as reading
    from tests.bank_samples import camt_08
    from tests.bank_samples_more import mt940_abnamro

    txs = tuple(Tx(date(2026, 11, 1 + n % 28), Decimal(n + 1), f"Partij {n}",
                   "NL20INGB0001234567", f"omschrijving {n}", f"E{n}") for n in range(2000))
    data = camt_08(txs) if name == "camt.xml" else mt940_abnamro(txs)
    path = _file(tmp_path, name, data)
    read = [0]
    readinto = reading.StatementFile.readinto

    def counted(self: Any, buffer: Any) -> int:
        got = readinto(self, buffer)
        read[0] += got
        return got

    monkeypatch.setattr(reading.StatementFile, "readinto", counted)
    books = open_invoices["books"]
    result = import_statement(books, path)
    assert len(data) > 200_000
    # once, and what is looked at first: a kilobyte for the format, XML's prolog
    assert len(data) < read[0] <= len(data) + 1024 + 65_536
    with books.db.read() as session:
        record = session.get(BankImport, result.import_id)
        assert record is not None
        assert record.sha256 == hashlib.sha256(data).hexdigest()


def test_the_invoices_a_line_may_pay_the_payers_own_first(
        open_invoices: dict[str, Any], tmp_path: Path) -> None:
    """For the one who corrects a line: the invoices of a client whose name the payer's
    looks like first (whatever their amount), then the others with the line's amount."""
    from ledger.bank.booking import candidates

    books = open_invoices["books"]
    week = (Tx(date(2026, 11, 20), Decimal("300.00"), "OZGUR CELIK", "NL20INGB0001234567",
               "behandelingen", "C-1"),
            Tx(date(2026, 11, 20), Decimal("65.00"), "Iemand Anders", "NL20INGB0001234568",
               "zomaar", "C-2"))
    result = import_statement(books, _file(tmp_path, "camt.xml", camt_08(week)))
    ozgur, stranger = result.lines
    assert [i.number for i in candidates(books, ozgur)] == ["2026-0004"]
    assert [i.number for i in candidates(books, stranger)] == [
        "2026-0001", "2026-0002", "2026-0004"]
