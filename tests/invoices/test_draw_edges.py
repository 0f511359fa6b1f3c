"""The canvas-drawn invoice at its edges: a word wider than its column, a line taller than
a page, a first line that does not fit under the header, a long name in the running
header, and rendering in several threads with nothing cached yet."""

from __future__ import annotations

import dataclasses
import io
import sys
from typing import Any

import pdfplumber
import pytest

from invoices import subsets
from invoices.invoice_pdf import render_invoice
from invoices.page import BOTTOM, MARGIN, PAGE_WIDTH
from ledger.billing.status import get_invoice
from tests.factories import make_client, sell_package
from tests.invoices import pdftools


@pytest.fixture
def sale(shop: dict[str, Any]) -> Any:
    books = shop["books"]
    return get_invoice(books, sell_package(books, shop["anna"].id,
                                           shop["plan"].id).invoice_number)


def _with(info: Any, descriptions: list[str], **client: str) -> Any:
    line = info.lines[0]
    lines = tuple(dataclasses.replace(line, id=line.id + i, position=i + 1, description=d)
                  for i, d in enumerate(descriptions))
    return dataclasses.replace(info, lines=lines, client={**info.client, **client})


def _words(pdf: bytes) -> list[list[dict[str, Any]]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_words() for page in document.pages]


def test_a_word_wider_than_its_column_is_broken_inside_the_page(sale: Any) -> None:
    word = "Voetreflexzone" + "behandeling" * 12
    pdf = render_invoice(_with(sale, [word, "kort"]))
    right = PAGE_WIDTH - MARGIN + 1
    assert all(w["x1"] <= right for page in _words(pdf) for w in page)
    assert word in pdftools.text(pdf).replace(" ", "")  # every letter is there


def test_a_line_taller_than_a_page_continues_under_the_header(sale: Any) -> None:
    tall = "\n".join(f"regel {n}" for n in range(90))
    pdf = render_invoice(_with(sale, ["eerste", tall, "laatste"]))
    pages = pdftools.pages(pdf)
    assert len(pages) >= 3
    text = " ".join(pages)
    assert all(f"regel {n} " in text + " " for n in range(90))
    for page, words in zip(pages, _words(pdf), strict=True):
        assert "Datum Omschrijving" in page or "laatste" not in page
        footer_band = [w["text"] for w in words if w["bottom"] > 842 - BOTTOM
                       and w["top"] < 842 - BOTTOM + 10]  # between body and footer
        assert footer_band == []
    assert "Datum Omschrijving" in pages[1]  # the header repeated where the line goes on


def test_the_header_is_not_left_alone_at_the_bottom_of_a_page(sale: Any) -> None:
    info = _with(sale, ["\n".join(f"r{n}" for n in range(6))],
                 address="\n".join(f"straat {n}" for n in range(38)))
    pages = pdftools.pages(render_invoice(info))
    for page in pages:
        if "Datum Omschrijving" in page:
            assert "r0" in page  # the first line is under its header


def test_a_long_name_in_the_running_header_is_cut_to_the_page(sale: Any) -> None:
    info = _with(sale, [f"regel {n}" for n in range(60)], name="Jansen\tvan " + "Dijk " * 40)
    pdf = render_invoice(info)
    assert len(_words(pdf)) >= 2
    right = PAGE_WIDTH - MARGIN + 1
    assert all(w["x1"] <= right for w in _words(pdf)[1])
    assert "…" in pdftools.pages(pdf)[1]


def test_threads_that_all_miss_the_cache_give_the_same_bytes(shop: dict[str, Any]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    books = shop["books"]
    infos = []
    for name in ("Łukasz Wiśniewski", "Nguyễn Thị Minh", "Ağaoğlu Şükrü", "Dvořák Řehoř",
                 "Ærøskøbing Ñoño", "Kőrösi Ödön", "Ţepeş Ăla", "Żółć Gęślą"):
        client = make_client(books, name)
        infos.append(get_invoice(books, sell_package(books, client.id,
                                                     shop["plan"].id).invoice_number))
    subsets.clear()
    expected = [render_invoice(info) for info in infos]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        for _ in range(5):
            subsets.clear()  # every thread makes its own subset at the same moment
            with ThreadPoolExecutor(max_workers=len(infos)) as pool:
                assert list(pool.map(render_invoice, infos)) == expected
    finally:
        sys.setswitchinterval(interval)
