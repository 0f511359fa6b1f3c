"""Every bank and format: the week of tests/bank_samples.py in each bank's own layout is
read exactly (lines, signed amounts, booking dates, payer, counter-account, reference),
imported once, and recognised when it comes again in another format."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ledger.bank.accounts import set_extra_accounts
from ledger.bank.booking import count_lines, list_lines
from ledger.bank.formats import account_number, read_statement
from ledger.bank.importing import import_statement
from ledger.base.errors import RuleViolation
from ledger.books import Books
from tests.bank_samples import FORMATS, WEEK, camt_02, ing_semicolon
from tests.bank_samples_more import ACCOUNTS, MORE, MORE_ACCOUNT, MORE_FORMAT, mt940_ing

AMOUNTS = [13000, 10000, 6500, 4250, -2310]
DAYS = [date(2026, 11, d) for d in (20, 21, 22, 23, 24)]
PAYERS = ["A. de Vries", "B BAKKER", "OZGUR CELIK", "J. Onbekend", "Eneco"]
#: Formats that carry the end-to-end reference of the payment.
WITH_REFERENCE = {"mt940-abnamro", "mt940-rabobank", "mt940-ing", "rabobank-english", "knab",
                  "asn", "sns", "regiobank"}


@pytest.mark.parametrize("name", sorted(MORE))
def test_each_bank_reads_the_week(name: str) -> None:
    statement = read_statement(MORE[name]())
    lines = statement.lines
    assert statement.format == MORE_FORMAT[name]
    assert len(lines) == 5
    assert [line.amount for line in lines] == AMOUNTS
    assert [line.booking_date for line in lines] == DAYS
    assert [line.counterparty_name for line in lines] == PAYERS
    assert [line.counterparty_iban for line in lines] == [tx.iban for tx in WEEK]
    assert [tx.text in line.description for line, tx in zip(lines, WEEK, strict=True)] == [True] * 5
    if name in WITH_REFERENCE:
        assert [line.bank_ref for line in lines] == [tx.ref for tx in WEEK]
    assert len({line.import_key for line in lines}) == 5


def test_the_same_payment_has_one_identity_in_every_format_of_an_account() -> None:
    """ABN AMRO's account in CAMT.053 (both versions), ING-style CSV of that account, the
    TAB export and MT940: the same five identities."""
    abn = [*(FORMATS[n]() for n in sorted(FORMATS)), MORE["mt940-abnamro"]()]
    identities = {tuple(line.identity for line in read_statement(data).lines) for data in abn}
    assert len(identities) == 1
    for bank in ("rabobank", "knab", "sns", "asn", "triodos"):
        mt940, csv = MORE[f"mt940-{bank}"](), MORE["rabobank-english" if bank == "rabobank"
                                                   else bank]()
        assert ([x.identity for x in read_statement(mt940).lines]
                == [x.identity for x in read_statement(csv).lines]), bank


def test_two_identical_payments_on_one_day_stay_two() -> None:
    twice = (WEEK[2], WEEK[2])
    first = read_statement(camt_02(twice)).lines
    assert first[0].identity != first[1].identity
    again = read_statement(ing_semicolon(twice)).lines
    assert [x.identity for x in first] == [x.identity for x in again]


def test_mt940_marks_and_statements() -> None:
    """RC (reversal of a credit) is money out, RD money in; two statements in one file."""
    data = mt940_ing().replace(b"C130,00NTRF", b"RD130,00NTRF").replace(
        b"C100,00NTRF", b"RC100,00NTRF")
    lines = read_statement(data).lines
    assert [line.amount for line in lines[:2]] == [13000, -10000]
    assert data.count(b":20:") == 2 and len(lines) == 5


@pytest.fixture
def books_of_all_accounts(runner_practice: dict[str, Any]) -> Books:
    books: Books = runner_practice["books"]
    set_extra_accounts(books, ",".join(ACCOUNTS.values()))
    return books


@pytest.mark.sqlite_only
@pytest.mark.parametrize("name", sorted(MORE))
def test_import_once_and_again(books_of_all_accounts: Books, tmp_path: Path, name: str) -> None:
    books = books_of_all_accounts
    path = tmp_path / name
    path.write_bytes(MORE[name]())
    first = import_statement(books, path)
    assert len(first.lines) == 5 and first.count("duplicate") == 0
    assert first.count("debit") == 1 and first.count("other") == 0
    assert {account_number(v.account) for v in first.lines} == {
        account_number(MORE_ACCOUNT[name])}
    again = import_statement(books, path)
    assert again.import_id is None and again.count("duplicate") == 5
    assert count_lines(books) == 5


@pytest.mark.sqlite_only
def test_cross_format_duplicates_are_found(books_of_all_accounts: Books, tmp_path: Path) -> None:
    books = books_of_all_accounts
    (tmp_path / "a.xml").write_bytes(camt_02(WEEK[:3]))
    (tmp_path / "b.sta").write_bytes(MORE["mt940-abnamro"]())
    assert import_statement(books, tmp_path / "a.xml").count("duplicate") == 0
    second = import_statement(books, tmp_path / "b.sta")
    assert [v.status for v in second.lines][:3] == ["duplicate"] * 3
    assert second.count("duplicate") == 3 and count_lines(books) == 5


@pytest.mark.sqlite_only
def test_lines_of_another_account_are_kept_apart(runner_practice: dict[str, Any],
                                                 tmp_path: Path) -> None:
    books: Books = runner_practice["books"]
    path = tmp_path / "knab.csv"
    path.write_bytes(MORE["knab"]())
    result = import_statement(books, path)
    assert [v.status for v in result.lines] == ["other"] * 5
    assert [v.account for v in result.lines] == [ACCOUNTS["knab"]] * 5
    assert not any(v.matches for v in result.lines)
    from ledger.bank.booking import confirm_line

    with pytest.raises(RuleViolation) as refused:
        confirm_line(books, result.lines[0].id, [("2026-0001", None)])
    assert "not one of the practice's" in refused.value.message
    set_extra_accounts(books, ACCOUNTS["knab"])
    assert [v.status for v in list_lines(books)] == ["debit", *["unmatched"] * 4]


@pytest.mark.sqlite_only
def test_review_list_pages(books_of_all_accounts: Books, tmp_path: Path) -> None:
    books = books_of_all_accounts
    (tmp_path / "x.csv").write_bytes(MORE["bunq"]())
    import_statement(books, tmp_path / "x.csv")
    assert count_lines(books, status="review") == 4
    pages = [list_lines(books, status="review", limit=3, offset=o) for o in (0, 3)]
    assert [len(p) for p in pages] == [3, 1]
    assert {v.id for v in pages[0]}.isdisjoint(v.id for v in pages[1])


def test_mt940_read_a_statement_at_a_time_reads_as_the_whole_file() -> None:
    """Each :20: is read on its own (the library's split, after a byte-order mark): the
    same transactions, in the same order, as the library reads from the whole file."""
    import mt940

    data = b"\xef\xbb\xbf" + mt940_ing().replace(b"\n", b"\r\n")
    lines = read_statement(data).lines
    whole = mt940.parse_statements(data.decode("utf-8-sig"),
                                   options=mt940.Options(strip_bom=True))
    assert len(whole) == 2 and [len(s.transactions) for s in whole] == [2, 3]
    assert [line.amount for line in lines] == [
        int(t.data["amount"].amount * 100) for s in whole for t in s.transactions]
    text = data.decode("utf-8-sig")
    second = text.rindex("\r\n:20:") + 2
    alone = (read_statement(text[:second].encode()).lines
             + read_statement(text[second:].encode()).lines)
    assert lines == alone
