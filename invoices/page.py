"""The page every solebook document is printed on: A4, margins, colours, footer, metadata.

No layout engine here, only ReportLab's canvas, so the invoice renderer (drawn straight on
the canvas) and the platypus documents (statements, letters, the annual report, through
:mod:`invoices.layout`) share one page frame. :func:`document_canvas` makes a canvas whose
output depends only on what is passed in: ReportLab runs in invariant mode, the creation
date is the document's own date (not the clock), and the PDF's file identifier is derived
from the document's key. Pages are kept until :meth:`save` so that each can say
"page n of N" and carry the running header from page 2 on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from invoices import subsets
from invoices.fonts import BOLD, REGULAR, register_fonts

rl_config.invariant = 1  # repeatable output; document_canvas also fixes date and file id
rl_config.useA85 = 0  # binary (compressed) streams: smaller and faster than ASCII85

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
BOTTOM = 24 * mm  # room for the footer
TOP = PAGE_HEIGHT - MARGIN  # where the body starts on every page
WIDTH = PAGE_WIDTH - 2 * MARGIN
GREY = colors.HexColor("#5f6368")
LIGHT = colors.HexColor("#eef1f4")
RULE = colors.HexColor("#c4c9cf")
ACCENT = colors.HexColor("#1f4e79")


@dataclass(frozen=True)
class PageDecor:
    """What is drawn around the body on every page (plain text, never parsed as markup)."""

    footer: Sequence[str]
    page_label: Callable[[int, int], str]  # (page, pages) -> "pagina 1 van 2"
    running_header: str = ""  # shown from page 2 on


@dataclass(frozen=True)
class Metadata:
    """The PDF's document information: fixed by the document, never by the clock."""

    key: str  # identifies the document; the PDF's file id is derived from it
    stamp: datetime  # creation date
    title: str
    author: str
    subject: str = ""
    language: str = "nl"


PRACTICE_ZONE = "Europe/Amsterdam"
"""The time zone of the clock's naive local times (the practice is in the Netherlands)."""


class _FixedStamp:
    """ReportLab's TimeStamp, fixed at the document's own date: the clock's local time with
    the Netherlands' offset for that moment (``+01'00'`` in winter, ``+02'00'`` in summer),
    so a reader that converts to UTC gets the real moment."""

    def __init__(self, when: datetime) -> None:
        from zoneinfo import ZoneInfo

        local = when if when.tzinfo else when.replace(tzinfo=ZoneInfo(PRACTICE_ZONE))
        offset = local.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        self.t = local.timestamp()
        self.lt = local.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh, self.dmm = divmod(minutes, 60)  # written as +01'00' (never negative here)
        self.tzname = local.tzname() or ""


class DocumentCanvas(Canvas):
    """A canvas that decorates each page with footer and "page n of N" when it is saved,
    with a fixed creation date and file identifier."""

    decor: PageDecor

    def __init__(self, out: IO[bytes] | str, *, decor: PageDecor, meta: Metadata,
                 **kwargs: Any) -> None:
        register_fonts()
        super().__init__(out, pagesize=A4, invariant=1, initialFontName=REGULAR,
                         lang=meta.language, **kwargs)
        self.decor = decor
        doc = self._doc
        doc._timeStamp = _FixedStamp(meta.stamp)
        doc.signature = hashlib.md5(b"solebook " + meta.key.encode("utf-8"),
                                    usedforsecurity=False)
        self.setTitle(meta.title)
        self.setAuthor(meta.author)
        self.setSubject(meta.subject)
        self.setCreator("solebook")
        self.setProducer("solebook (ReportLab)")
        subsets.seed(doc)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            decorate(self, self.decor, number, total)
            super().showPage()
        subsets.embed_fonts(self._doc)
        super().save()


def document_canvas(out: IO[bytes], decor: PageDecor, meta: Metadata) -> DocumentCanvas:
    return DocumentCanvas(out, decor=decor, meta=meta)


def decorate(canvas: Canvas, frame: PageDecor, page: int, pages: int) -> None:
    """Footer rule and lines, the page label, and from page 2 on the running header."""
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, BOTTOM - 5 * mm, PAGE_WIDTH - MARGIN, BOTTOM - 5 * mm)
    canvas.setFillColor(GREY)
    canvas.setFont(REGULAR, 7)
    y = BOTTOM - 9 * mm
    for text in frame.footer:
        canvas.drawString(MARGIN, y, fitted(text, REGULAR, 7, WIDTH - 30 * mm))
        y -= 3.3 * mm
    canvas.setFont(REGULAR, 7.5)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, BOTTOM - 9 * mm, frame.page_label(page, pages))
    if page > 1 and frame.running_header:
        canvas.setFont(BOLD, 8)
        canvas.drawString(MARGIN, PAGE_HEIGHT - MARGIN + 4 * mm,
                          fitted(frame.running_header, BOLD, 8, WIDTH))
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, PAGE_HEIGHT - MARGIN + 2.5 * mm, PAGE_WIDTH - MARGIN,
                    PAGE_HEIGHT - MARGIN + 2.5 * mm)
    canvas.restoreState()


def fitted(text: str, font: str, size: float, width: float) -> str:
    """``text`` as one printable line no wider than ``width``: control characters dropped,
    cut with an ellipsis when too long (the footer and the running header are one line)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    line = " ".join("".join(c if c >= " " else " " for c in text).split())
    if stringWidth(line, font, size) <= width:
        return line
    while line and stringWidth(line + "…", font, size) > width:
        line = line[:-1]
    return line.rstrip() + "…"


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
