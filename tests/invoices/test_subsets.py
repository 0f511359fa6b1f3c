"""Font subsets shared between documents (invoices.subsets) change no byte of the output."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from invoices import subsets
from invoices.invoice_pdf import render_invoice
from ledger.billing.status import get_invoice
from tests.factories import make_client, sell_package
from tests.invoices import pdftools


def test_shared_subsets_give_the_same_bytes_as_fresh_ones(shop: dict[str, Any]) -> None:
    books = shop["books"]
    names = ["Anna de Vries", "Łukasz Wiśniewski", "Zoë Ünal-Ç"]
    infos = []
    for name in names:
        client = make_client(books, name)
        infos.append(get_invoice(books, sell_package(books, client.id,
                                                     shop["plan"].id).invoice_number))
    subsets.clear()
    fresh = [render_invoice(info) for info in infos]
    assert subsets.compressed.misses > 0
    hits = subsets.compressed.hits
    again = [render_invoice(info) for info in infos]
    assert subsets.compressed.hits > hits  # the second round came from the cache
    assert again == fresh
    for name, pdf in zip(names, again, strict=True):
        assert name in pdftools.text(pdf)


def test_the_seed_keeps_most_documents_on_one_subset(shop: dict[str, Any]) -> None:
    """Two invoices with different Dutch names and amounts embed identical font files."""
    books = shop["books"]
    subsets.clear()
    for name in ("Anna de Vries", "Joël Brouwer-Ëkman"):
        client = make_client(books, name)
        render_invoice(get_invoice(books, sell_package(books, client.id,
                                                       shop["plan"].id).invoice_number))
    # Each distinct (font file or ToUnicode map) is compressed once: two faces, one subset
    # each, whatever the names and amounts were.
    assert subsets.compressed.misses == 4


def test_drawing_an_invoice_does_not_load_the_layout_engine() -> None:
    code = ("import sys, invoices.invoice_pdf; "
            "print('reportlab.platypus' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_rendering_in_several_threads_gives_the_same_bytes(shop: dict[str, Any]) -> None:
    """The interface renders in worker threads: the shared caches must not mix documents."""
    from concurrent.futures import ThreadPoolExecutor

    books = shop["books"]
    infos = []
    for name in ("Anna de Vries", "Łukasz Wiśniewski", "Zoë Ünal", "Nguyễn Thị Minh"):
        client = make_client(books, name)
        infos.append(get_invoice(books, sell_package(books, client.id,
                                                     shop["plan"].id).invoice_number))
    subsets.clear()
    expected = [render_invoice(info) for info in infos]
    subsets.clear()
    with ThreadPoolExecutor(max_workers=4) as pool:
        rounds = [list(pool.map(render_invoice, infos)) for _ in range(5)]
    assert all(result == expected for result in rounds)
