"""What every solebook document shares: A4 page, styles, footer, page numbers, fixed metadata.

:func:`build_pdf` turns a story of flowables into PDF bytes that depend only on what is
passed in: ReportLab runs in invariant mode, the creation date is the document's own date
(not the clock), and the PDF's file identifier is derived from the document's key. So the
same issued invoice renders to the same bytes on every run, in every process.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table, TableStyle

from invoices.fonts import BOLD, REGULAR, register_fonts

rl_config.invariant = 1  # repeatable output; build_pdf also fixes date and file id itself
rl_config.useA85 = 0  # binary (compressed) streams: smaller and faster than ASCII85

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
BOTTOM = 24 * mm  # room for the footer
WIDTH = PAGE_WIDTH - 2 * MARGIN
GREY = colors.HexColor("#5f6368")
LIGHT = colors.HexColor("#eef1f4")
RULE = colors.HexColor("#c4c9cf")
ACCENT = colors.HexColor("#1f4e79")


_STYLES: dict[str, ParagraphStyle] = {}


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
        "notice": ParagraphStyle("notice", base, fontName=BOLD, fontSize=9.5, leading=12.5,
                                 borderColor=ACCENT, borderWidth=0.8, borderPadding=2.5 * mm,
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
    """A QR code drawn as black squares (one rectangle per horizontal run of modules)."""

    def __init__(self, matrix: list[list[bool]], size: float) -> None:
        super().__init__()
        self.matrix = matrix
        self.size = size
        self.hAlign = "RIGHT"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        count = len(self.matrix)
        canvas = self.canv
        canvas.saveState()
        canvas.scale(self.size / count, self.size / count)  # one unit = one module
        canvas.setFillColor(colors.black)
        path = canvas.beginPath()
        for y, row in enumerate(self.matrix):
            x = 0
            while x < len(row):
                if not row[x]:
                    x += 1
                    continue
                start = x
                while x < len(row) and row[x]:
                    x += 1
                path.rect(start, count - y - 1, x - start, 1)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()


@dataclass(frozen=True)
class PageDecor:
    """What is drawn around the story on every page (plain text, never parsed as markup)."""

    footer: Sequence[str]
    page_label: Callable[[int, int], str]  # (page, pages) -> "pagina 1 van 2"
    running_header: str = ""  # shown from page 2 on


class _FixedStamp:
    """ReportLab's TimeStamp, fixed at the document's own date (UTC, no offset)."""

    def __init__(self, when: datetime) -> None:
        self.t = when.timestamp()
        self.lt = when.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


def _canvas_class(frame: PageDecor, key: str, stamp: datetime) -> type[Canvas]:
    class DocumentCanvas(Canvas):
        """Keeps pages until the end so each can say "page n of N"; fixes date and id."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            doc = self._doc
            doc._timeStamp = _FixedStamp(stamp)
            doc.signature = hashlib.md5(b"solebook " + key.encode("utf-8"),
                                        usedforsecurity=False)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                _decorate(self, frame, number, total)
                super().showPage()
            super().save()

    return DocumentCanvas


def _decorate(canvas: Canvas, frame: PageDecor, page: int, pages: int) -> None:
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, BOTTOM - 5 * mm, PAGE_WIDTH - MARGIN, BOTTOM - 5 * mm)
    canvas.setFillColor(GREY)
    canvas.setFont(REGULAR, 7)
    y = BOTTOM - 9 * mm
    for text in frame.footer:
        canvas.drawString(MARGIN, y, text)
        y -= 3.3 * mm
    canvas.setFont(REGULAR, 7.5)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, BOTTOM - 9 * mm, frame.page_label(page, pages))
    if page > 1 and frame.running_header:
        canvas.setFont(BOLD, 8)
        canvas.drawString(MARGIN, PAGE_HEIGHT - MARGIN + 4 * mm, frame.running_header)
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, PAGE_HEIGHT - MARGIN + 2.5 * mm, PAGE_WIDTH - MARGIN,
                    PAGE_HEIGHT - MARGIN + 2.5 * mm)
    canvas.restoreState()


def fit_footer(parts: Sequence[str], font_size: float = 7, width: float = WIDTH - 30 * mm
               ) -> list[str]:
    """Join footer parts with `` · `` into as few lines as fit the footer's width."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    lines: list[str] = []
    current = ""
    for part in (p for p in parts if p):
        candidate = f"{current} · {part}" if current else part
        if current and stringWidth(candidate, REGULAR, font_size) > width:
            lines.append(current)
            current = part
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines[:3]


def build_pdf(story: list[Any], frame: PageDecor, *, key: str, stamp: datetime, title: str,
              author: str, subject: str = "", language: str = "nl") -> bytes:
    """Lay out ``story`` on A4 pages and return the PDF's bytes (deterministic)."""
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
    doc.addPageTemplates([PageTemplate(id="page", frames=[body])])
    doc.build(story, canvasmaker=_canvas_class(frame, key, stamp))
    return buffer.getvalue()
