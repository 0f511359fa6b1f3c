"""Drawing a document top-down straight on ReportLab's canvas, without a layout engine.

An invoice is a handful of fixed blocks and one table, so it is drawn directly: text is
measured with the font's own widths and wrapped with ReportLab's ``simpleSplit``, blocks
that must stay together move to the next page as a whole, and table rows flow onto more
pages with their header repeated. Platypus (Paragraph markup parsing, table layout passes)
cost four times the floor of drawing the same text; this costs a fraction of it.

Text never passes through a markup parser here: what is drawn is the literal string, so
a client called ``Jansen & <Zonen>`` prints as written with nothing to escape. Control
characters other than tab are dropped (they are not text and some break the PDF's text
layer). All text of a page goes into one text object, drawn after the page's backgrounds,
rules and QR code, so text is always on top.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from invoices.fonts import BOLD, REGULAR
from invoices.page import ACCENT, BOTTOM, GREY, MARGIN, TOP, WIDTH

BLACK = colors.black
NBSP = "\u00a0"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: object) -> str:
    """``text`` as one printable string: control characters dropped, tabs as spaces."""
    value = "" if text is None else str(text)
    return _CONTROL.sub("", value).replace("\t", " ")


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    leading: float
    color: Any = BLACK


# The styles of the drawn documents (the platypus ones in invoices.layout match them).
BODY = Style(REGULAR, 9, 12)
SMALL = Style(REGULAR, 7.5, 9.5, GREY)
CELL = Style(REGULAR, 8.5, 10.5)
NAME = Style(BOLD, 13, 16, ACCENT)
PAD = 3  # table cell padding left and right (points)


def wrap(text: object, style: Style, width: float, *, break_words: bool = True) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (newlines kept); at least one.
    Lines break between words; a word wider than the line is broken between letters
    (unless ``break_words`` is false: the program's own short labels may reach into a
    cell's padding rather than lose a letter to the next line)."""
    value = clean(text)
    if "\n" not in value and stringWidth(value, style.font, style.size) <= width:
        return [value.replace(NBSP, " ")]
    if NBSP in value:
        lines = _split_kept(value, style, width)
    else:
        lines = simpleSplit(value, style.font, style.size, width) or [""]
    if not break_words or all(stringWidth(line, style.font, style.size) <= width
                              for line in lines):
        return lines
    return [part for line in lines for part in _break_word(line, style, width)]


def unbroken(text: object) -> str:
    """``text`` (an amount, an IBAN, an invoice number) as one word for :func:`wrap`: its
    spaces are kept but never break the line; it is drawn with plain spaces."""
    return clean(text).replace(" ", NBSP)


def _split_kept(value: str, style: Style, width: float) -> list[str]:
    """Greedy line breaking at plain spaces only (a no-break space joins a word), the
    no-break spaces drawn as plain ones."""
    lines: list[str] = []
    for paragraph in value.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if current and stringWidth(candidate.replace(NBSP, " "), style.font,
                                       style.size) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    return [line.replace(NBSP, " ") for line in lines] or [""]


def _break_word(line: str, style: Style, width: float) -> list[str]:
    """``line`` cut between letters into pieces no wider than ``width`` (one letter at
    least per piece, so a column narrower than a letter still ends)."""
    if stringWidth(line, style.font, style.size) <= width:
        return [line]
    pieces, current = [], ""
    for letter in line:
        if current and stringWidth(current + letter, style.font, style.size) > width:
            pieces.append(current)
            current = letter.lstrip()
        else:
            current += letter
    if current:
        pieces.append(current)
    return pieces


class Pen:
    """Writes on a canvas from the top of the page down, starting new pages as needed.

    ``y`` is the top of the space still free on the current page. Text is collected in a
    text object per page (font and colour switches only when they change) and drawn when
    the page is finished.
    """

    def __init__(self, canvas: Canvas, top: float = TOP, bottom: float = BOTTOM) -> None:
        self.canvas = canvas
        self.top = top
        self.bottom = bottom
        self.y = top
        self.pages = 1
        self._start_text()

    def _start_text(self) -> None:
        self._text = self.canvas.beginText()
        self._font: tuple[str, float] | None = None
        self._color: Any = None

    # -- space -------------------------------------------------------------------------
    def fits(self, height: float) -> bool:
        return self.y - height >= self.bottom

    def keep(self, height: float) -> bool:
        """Start a new page unless ``height`` fits here (or this page is still empty).
        Returns whether a new page was started."""
        if self.fits(height) or self.y >= self.top:
            return False
        self.new_page()
        return True

    def skip(self, height: float) -> None:
        """Leave ``height`` of white space (none at the top of a page)."""
        if self.y < self.top:
            self.y = max(self.y - height, self.bottom)

    def new_page(self) -> None:
        self.canvas.drawText(self._text)
        self.canvas.showPage()
        self._start_text()
        self.y = self.top
        self.pages += 1

    def flush(self) -> None:
        """Draw the text collected so far and go on on the same page (for a page that a
        layout engine fills further, see :func:`invoices.layout.build_pdf`)."""
        self.canvas.drawText(self._text)
        self._start_text()

    def finish(self) -> None:
        self.canvas.drawText(self._text)
        self.canvas.showPage()

    # -- text --------------------------------------------------------------------------
    def text(self, x: float, baseline: float, value: str, style: Style,
             align: str = "left") -> None:
        """One line of text; ``x`` is its left edge, or its right edge for ``align="right"``."""
        if not value:
            return
        text = self._text
        font = (style.font, style.size)
        if font != self._font:
            text.setFont(style.font, style.size, style.leading)
            self._font = font
        if style.color is not self._color:
            text.setFillColor(style.color)
            self._color = style.color
        if align == "right":
            x -= stringWidth(value, style.font, style.size)
        text.setTextOrigin(x, baseline)
        text.textOut(value)

    def lines(self, x: float, top: float, values: Sequence[str], style: Style,
              align: str = "left") -> float:
        """Lines one below the other from ``top`` down; returns the height they take."""
        baseline = top - style.size
        for value in values:
            self.text(x, baseline, value, style, align)
            baseline -= style.leading
        return len(values) * style.leading

    def paragraph(self, value: object, style: Style, width: float = WIDTH,
                  x: float = MARGIN) -> None:
        """Wrapped text at ``y``, flowing onto the next page line by line."""
        for line in wrap(value, style, width):
            self.keep(style.leading)
            self.lines(x, self.y, [line], style)
            self.y -= style.leading

    # -- graphics (under the text) -----------------------------------------------------
    def fill(self, x: float, y: float, width: float, height: float, color: Any) -> None:
        canvas = self.canvas
        canvas.setFillColor(color)
        canvas.rect(x, y, width, height, stroke=0, fill=1)

    def rule(self, x1: float, x2: float, y: float, color: Any, width: float) -> None:
        canvas = self.canvas
        canvas.setStrokeColor(color)
        canvas.setLineWidth(width)
        canvas.line(x1, y, x2, y)

    def box(self, x: float, y: float, width: float, height: float, fill: Any, stroke: Any,
            line_width: float) -> None:
        canvas = self.canvas
        canvas.setFillColor(fill)
        canvas.setStrokeColor(stroke)
        canvas.setLineWidth(line_width)
        canvas.rect(x, y, width, height, stroke=1, fill=1)

    def qr(self, runs: Sequence[tuple[int, int, int]], modules: int, x: float, y: float,
           size: float) -> None:
        """A QR code as one filled path: ``runs`` are (row, first column, length) of dark
        modules, row 0 at the top, in a square of ``modules`` a side drawn at (x, y)."""
        draw_qr(self.canvas, runs, modules, x, y, size)

    def image(self, data: bytes, x: float, top: float, max_width: float,
              max_height: float) -> float:
        """An image (the logo) scaled to fit, its top-left at (x, top); returns its height."""
        reader = ImageReader(io.BytesIO(data))
        width, height = reader.getSize()
        scale = min(max_width / width, max_height / height)
        self.canvas.drawImage(reader, x, top - height * scale, width * scale, height * scale,
                              mask="auto")
        return float(height * scale)


def draw_qr(canvas: Canvas, runs: Sequence[tuple[int, int, int]], modules: int, x: float,
            y: float, size: float) -> None:
    """Shared by the invoice renderer and the letters' flowable: vector squares, sharp at
    any zoom and the same bytes on every render."""
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / modules, size / modules)  # one unit = one module
    canvas.setFillColor(BLACK)
    # One path of whole-module rectangles, written as PDF operators directly: the integer
    # coordinates need none of the path object's float formatting (a code has ~300 runs).
    top = modules - 1
    canvas.addLiteral("".join(f"{start} {top - row} {length} 1 re\n"
                              for row, start, length in runs) + "f")
    canvas.restoreState()


# -- label and value rows (measured first, drawn at a given top) -----------------------
def key_value_height(rows: Sequence[tuple[str, str]], widths: tuple[float, float]) -> float:
    return sum(_kv_row(k, v, widths)[2] for k, v in rows if v)


def _kv_row(key: str, value: str, widths: tuple[float, float]
            ) -> tuple[list[str], list[str], float]:
    keys = wrap(key, SMALL, widths[0] - PAD)
    values = wrap(value, CELL, widths[1] - 2 * PAD)
    return keys, values, max(len(keys) * SMALL.leading, len(values) * CELL.leading) + 2


def key_values(pen: Pen, x: float, top: float, rows: Sequence[tuple[str, str]],
               widths: tuple[float, float]) -> float:
    """Small grey labels with their values beside them; rows without a value are left
    out. Returns the height drawn."""
    y = top
    for key, value in rows:
        if not value:
            continue
        keys, values, height = _kv_row(key, value, widths)
        pen.lines(x, y - 1, keys, SMALL)
        pen.lines(x + widths[0] + PAD, y - 1, values, CELL)
        y -= height
    return top - y
