"""The flowing documents (statements, letters, the annual report): styles, tables, build.

:func:`build_pdf` lays a story of platypus flowables out on the page of
:mod:`invoices.page` (same footer, page numbers and fixed metadata as the invoices, which
are drawn straight on the canvas by :mod:`invoices.invoice_pdf`). A letter's first page
begins with the same top as the invoice's (:class:`invoices.letterhead.FirstPage`: the
letterhead, the address in the envelope's window, the references beside it). The output
depends only on what is passed in, so a document renders to the same bytes on every run.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Table,
    TableStyle,
)

from invoices.draw import Pen, draw_qr
from invoices.epc import QrModules
from invoices.fonts import BOLD, REGULAR, register_fonts
from invoices.letterhead import FirstPage
from invoices.page import (
    ACCENT,
    BOTTOM,
    GREY,
    LIGHT,
    MARGIN,
    PAGE_HEIGHT,
    RULE,
    WIDTH,
    DocumentCanvas,
    Metadata,
    PageDecor,
    fit_footer,
)

__all__ = ["ACCENT", "GREY", "LIGHT", "RULE", "WIDTH", "FirstPage", "PageDecor", "QrCode",
           "build_pdf", "fit_footer", "grid", "key_values", "plain", "styles"]


_STYLES: dict[str, ParagraphStyle] = {}
NOTICE_PAD = 2.5 * mm


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles (DejaVu Sans; fonts registered on first use). Made once per
    process: the documents call this for every block, and ReportLab never changes a style
    it is given."""
    if not _STYLES:
        _STYLES.update(_make_styles())
    return _STYLES


def _make_styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12)
    return {
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.5, textColor=GREY),
        "small_r": ParagraphStyle("small_r", base, fontSize=7.5, leading=9.5, textColor=GREY,
                                  alignment=TA_RIGHT),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", base, fontName=BOLD, fontSize=8, leading=10),
        "head_r": ParagraphStyle("head_r", base, fontName=BOLD, fontSize=8, leading=10,
                                 alignment=TA_RIGHT),
        "right": ParagraphStyle("right", base, alignment=TA_RIGHT),
        "name": ParagraphStyle("name", base, fontName=BOLD, fontSize=13, leading=16,
                               textColor=ACCENT),
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=18, leading=22,
                                textColor=ACCENT, spaceAfter=2 * mm),
        "section": ParagraphStyle("section", base, fontName=BOLD, fontSize=9.5, leading=12,
                                  spaceBefore=4 * mm, spaceAfter=1.5 * mm, textColor=ACCENT),
        # The box is drawn borderPadding outside the text: indenting the text as much
        # keeps the box inside the margins.
        "notice": ParagraphStyle("notice", base, fontName=BOLD, fontSize=9.5, leading=12.5,
                                 borderColor=ACCENT, borderWidth=0.8, borderPadding=NOTICE_PAD,
                                 leftIndent=NOTICE_PAD, rightIndent=NOTICE_PAD,
                                 backColor=LIGHT, spaceBefore=5 * mm, spaceAfter=4 * mm),
    }


def grid(rows: Sequence[Sequence[Any]], widths: Sequence[float], *, header: bool = True,
         right_from: int | None = None, zebra: bool = True,
         extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    """A table in the documents' style; columns from ``right_from`` on are right-aligned,
    and with ``header`` the first row repeats on every page."""
    table = Table(list(rows), colWidths=list(widths), repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if right_from is not None:
        commands.append(("ALIGN", (right_from, 0), (-1, -1), "RIGHT"))
    if header:
        commands += [
            ("FONTNAME", (0, 0), (-1, 0), BOLD),
            ("FONTSIZE", (0, 0), (-1, 0), 8),
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ]
        if zebra and len(rows) > 2:
            commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, LIGHT]))
    commands += list(extra)
    table.setStyle(TableStyle(commands))
    return table


def plain(rows: Sequence[Sequence[Any]], widths: Sequence[float],
          extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    """A borderless layout table (blocks side by side), top-aligned, without padding."""
    table = Table(list(rows), colWidths=list(widths))
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        *extra]))
    return table


class QrCode(Flowable):
    """A QR code as vector squares (see :func:`invoices.draw.draw_qr`)."""

    def __init__(self, code: QrModules, size: float) -> None:
        super().__init__()
        self.code = code
        self.size = size
        self.hAlign = "RIGHT"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.code.runs, self.code.size, 0, 0, self.size)


def _first_template(first_page: FirstPage) -> PageTemplate:
    """The first page of a letter: its top drawn as the invoice draws it (letterhead, the
    address in the envelope's window, the references beside it), the story below."""
    top = first_page.body_top()
    frame = Frame(MARGIN, BOTTOM, WIDTH, top - BOTTOM, id="first", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)

    def draw_top(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        pen = Pen(canvas)
        first_page.draw(pen)
        pen.flush()
        canvas.restoreState()

    return PageTemplate(id="first", frames=[frame], onPage=draw_top,
                        autoNextPageTemplate="page")


def build_pdf(story: list[Any], frame: PageDecor, *, key: str, stamp: datetime, title: str,
              author: str, subject: str = "", language: str = "nl",
              first_page: FirstPage | None = None) -> bytes:
    """Lay out ``story`` on A4 pages and return the PDF's bytes (deterministic). A letter
    passes its ``first_page`` (letterhead, address and references); the story then
    begins below the envelope's window."""
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=BOTTOM, title=title, author=author, subject=subject, creator="solebook",
        producer="solebook (ReportLab)", invariant=1, lang=language,
        initialFontName=REGULAR,
    )
    body = Frame(MARGIN, BOTTOM, WIDTH, PAGE_HEIGHT - MARGIN - BOTTOM, id="body",
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    templates = [PageTemplate(id="page", frames=[body])]
    if first_page is not None:
        templates.insert(0, _first_template(first_page))
    doc.addPageTemplates(templates)
    meta = Metadata(key=key, stamp=stamp, title=title, author=author, subject=subject,
                    language=language)

    def canvas_maker(out: Any, **options: Any) -> DocumentCanvas:
        for given in ("pagesize", "invariant", "initialFontName", "lang"):
            options.pop(given, None)  # DocumentCanvas sets these itself
        return DocumentCanvas(out, decor=frame, meta=meta, **options)

    doc.build(story, canvasmaker=canvas_maker)
    return buffer.getvalue()


def key_values(rows: list[tuple[str, str]], widths: tuple[float, float]) -> Table:
    """Label and value pairs (small grey labels); rows with an empty value are left out."""
    from invoices.markup import para

    s = styles()
    data = [[para(k, s["small"]), para(v, s["cell"])] for k, v in rows if v]
    table = grid(data, widths, header=False, zebra=False, extra=[
        ("LEFTPADDING", (0, 0), (0, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])
    table.hAlign = "LEFT"
    return table
