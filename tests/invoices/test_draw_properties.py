"""The canvas-drawn invoice (invoices.draw) with text it was not written for.

Property tests: whatever the names, addresses and descriptions hold (any Unicode, control
characters, very long words, many lines), rendering gives a PDF, every page carries its
"pagina n van N", and text made of ordinary letters comes back from the page as written.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoices.invoice_pdf import render_invoice
from ledger.billing.status import get_invoice
from tests.factories import sell_package
from tests.invoices import pdftools

ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=120)
WORDS = st.lists(st.text("abcdefghijklmnopqrstuvwxyzëéïöüÀÉ-", min_size=1, max_size=14),
                 min_size=1, max_size=8).map(" ".join)


@st.composite
def invoices(draw: Any, base: Any) -> Any:
    line = base.lines[0]
    lines = tuple(dataclasses.replace(line, id=line.id + i, position=i + 1,
                                      description=draw(st.one_of(ANY_TEXT, WORDS)))
                  for i in range(draw(st.integers(1, 45))))
    client = {**base.client, "name": draw(st.one_of(ANY_TEXT, WORDS)),
              "address": draw(ANY_TEXT), "city": draw(ANY_TEXT)}
    return dataclasses.replace(base, lines=lines, client=client)


def test_any_text_renders_and_every_page_is_numbered(shop: dict[str, Any]) -> None:
    books = shop["books"]
    base = get_invoice(books, sell_package(books, shop["anna"].id,
                                           shop["plan"].id).invoice_number)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(info=invoices(base))
    def check(info: Any) -> None:
        pdf = render_invoice(info)
        assert pdf.startswith(b"%PDF-")
        pages = pdftools.pages(pdf)
        for page, text in enumerate(pages, start=1):
            assert f"pagina {page} van {len(pages)}" in text
        if len(info.lines) > 30:
            assert len(pages) >= 2
        text = " ".join(pages)
        name = info.client["name"]
        if name.strip() and all(c in " -" or _letter(c) for c in name):
            assert " ".join(name.split()) in text
        for line in info.lines:
            words = line.description.split()
            if words and all(len(w) <= 14 and all(map(_letter, w)) for w in words):
                assert words[0] in text  # wrapped lines keep their words

    check()


def _letter(c: str) -> bool:
    """A left-to-right letter of the Basic Multilingual Plane that the document's typeface
    has. Others print as a box, as in any PDF of this font; right-to-left scripts are drawn
    in logical order (ReportLab does no bidi shaping) and a PDF reader reverses them; and
    letters beyond U+FFFF (mathematical alphabets) do not read back through ReportLab's
    ToUnicode map: none of these is a name or a treatment in a Dutch practice."""
    import unicodedata

    from reportlab.pdfbase import pdfmetrics

    from invoices.fonts import REGULAR, register_fonts

    register_fonts()
    return (c.isalpha() and ord(c) <= 0xFFFF and unicodedata.bidirectional(c) == "L"
            and ord(c) in pdfmetrics.getFont(REGULAR).face.charToGlyph)
