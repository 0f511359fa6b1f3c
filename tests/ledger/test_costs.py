"""Costs with receipts, cost categories and business kilometres."""

from __future__ import annotations

import hashlib
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ledger.base.errors import InputError, RuleViolation
from ledger.books import Books
from ledger.costs.entries import (
    add_cost,
    add_trip,
    get_km_rate,
    list_categories,
    list_costs,
    list_trips,
    parse_km,
    save_category,
    set_km_rate,
)
from ledger.store.models.costs import Cost

RECEIPT = b"%PDF-1.4 receipt of Olie & Co, 48,40 incl. 8,40 btw"


def cost(books: Books, **raw: str | None) -> object:
    base: dict[str, str | None] = {"date": "04-03-2026", "supplier": "Olie & Co",
                                   "description": "Amandelolie 1 l", "category": "materials",
                                   "amount": "48,40"}
    return add_cost(books, {**base, **raw})


def test_the_categories_of_a_sole_traders_return_are_seeded_in_dutch(books: Books) -> None:
    categories = list_categories(books)
    assert [c.key for c in categories] == [
        "materials", "linen", "training", "association", "insurance", "rent", "phone",
        "marketing", "travel", "equipment", "other"]
    assert categories[5].name == "Huur behandelruimte"


def test_categories_are_editable(books: Books) -> None:
    save_category(books, "rent", "Huur praktijkruimte")
    save_category(books, "software", "Software en abonnementen")
    names = {c.key: c.name for c in list_categories(books)}
    assert names["rent"] == "Huur praktijkruimte"
    assert names["software"] == "Software en abonnementen"
    info = cost(books, category="Software en abonnementen")
    assert info.category_key == "software"  # type: ignore[attr-defined]
    with pytest.raises(InputError, match=r"^key:"):
        save_category(books, "Bad Key", "x")


def test_vat_from_the_rate_is_computed_from_the_gross_half_up(books: Books) -> None:
    info = cost(books, vat_rate="21")
    assert (info.amount, info.vat, info.net, info.vat_rate) == (  # type: ignore[attr-defined]
        4840, 840, 4000, Decimal(21))
    info = cost(books, amount="10,00", vat_rate="9")
    assert info.vat == 83  # type: ignore[attr-defined]  # 10 * 9/109 = 0.8257 -> 0.83


def test_vat_as_on_the_receipt_is_kept(books: Books) -> None:
    info = cost(books, vat="8,40", method="pin")
    assert (info.vat, info.vat_rate, info.method) == (840, None, "pin")  # type: ignore[attr-defined]
    stored = list_costs(books, 2026)
    assert [(c.supplier, c.amount, c.vat) for c in stored] == [("Olie & Co", 4840, 840)]
    assert list_costs(books, 2025) == []


@pytest.mark.parametrize(("raw", "field"), [
    ({"vat": "50,00"}, "VAT"),
    ({"vat": "1,00", "vat_rate": "21"}, "VAT"),
    ({"category": "boats"}, "category"),
    ({"amount": "0"}, "amount"),
    ({"amount": "abc"}, "amount"),
    ({"date": "31-02-2026"}, "date"),
    ({"supplier": ""}, "supplier"),
    ({"method": "cheque"}, "method"),
])
def test_bad_input_names_the_field_and_stores_nothing(books: Books, raw: dict[str, str],
                                                      field: str) -> None:
    with pytest.raises(InputError) as caught:
        cost(books, **raw)
    assert caught.value.field == field
    with books.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Cost)) == 0


def test_a_refund_is_a_negative_cost_with_negative_vat(books: Books) -> None:
    info = cost(books, amount="-12,10", vat_rate="21")
    assert (info.amount, info.vat) == (-1210, -210)  # type: ignore[attr-defined]


def test_the_receipt_is_copied_with_its_hash_and_private_mode(books: Books,
                                                              tmp_path: Path) -> None:
    source = tmp_path / "bon olie (maart).pdf"
    source.write_bytes(RECEIPT)
    info = cost(books, vat_rate="21", receipt=str(source))
    path = books.db.data_dir / info.receipt_path  # type: ignore[attr-defined, operator]
    assert info.receipt_path.startswith("documents/receipts/2026/")  # type: ignore[attr-defined]
    assert path.read_bytes() == RECEIPT
    assert info.receipt_sha256 == hashlib.sha256(RECEIPT).hexdigest()  # type: ignore[attr-defined]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    source.write_bytes(b"changed later")  # the copy does not follow the original
    assert path.read_bytes() == RECEIPT


def test_a_missing_receipt_is_refused_before_anything_is_stored(books: Books,
                                                                tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^receipt:"):
        cost(books, receipt=str(tmp_path / "nope.pdf"))
    assert list_costs(books) == []


def test_a_cost_that_cannot_be_stored_leaves_no_receipt_behind(books: Books,
                                                               tmp_path: Path) -> None:
    save_category(books, "linen", "Linnen en wasserij", active=False)
    source = tmp_path / "bon.pdf"
    source.write_bytes(RECEIPT)
    with pytest.raises(RuleViolation, match=r"^category:"):
        cost(books, category="linen", receipt=str(source))
    receipts = books.db.documents_dir / "receipts"
    assert not [p for p in receipts.rglob("*") if p.is_file()]
    assert list_costs(books) == []


def test_kilometres_keep_the_rate_of_their_day(books: Books) -> None:
    assert get_km_rate(books) == 23
    first = add_trip(books, date(2026, 3, 2), parse_km("12,5"), "Utrecht - Zeist")
    set_km_rate(books, 25)
    second = add_trip(books, date(2026, 3, 9), parse_km("40"), "Cursus Amersfoort")
    assert (first.rate, first.amount) == (23, 288)  # 12.5 x 0.23 = 2.875 -> 2.88
    assert (second.rate, second.amount) == (25, 1000)
    assert [t.rate for t in list_trips(books, 2026)] == [23, 25]


@pytest.mark.parametrize("text", ["0", "-3", "12,55", "twelve", ""])
def test_bad_distances_are_refused(text: str) -> None:
    with pytest.raises(InputError, match=r"^km:"):
        parse_km(text)
