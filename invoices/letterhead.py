"""The top of a letter's first page, laid out for a window envelope (DIN 5008, form B).

Invoices, credit notes, claim and year statements and the reminder letters all begin the
same way, drawn by :class:`FirstPage` (the invoice on its own canvas, the platypus
documents through :func:`invoices.layout.build_pdf`'s first page):

- the letterhead (logo, the practice's name and therapist on the left, its contact
  details on the right) ends above the window;
- the window, 20-105 mm from the left and 45-90 mm from the top of the page, holds only
  the practice's return address on one line in small print at its top and, in its lower
  part (the address zone, from 62.7 mm), the client's name and address, indented 5 mm;
- the reference block (number, dates, client number) is to the right of the window;
- the body (title, lines, letter text) begins below the window.

Measures are in points from the bottom of the page, as ReportLab draws; the window's
edges are given from the top-left corner, as the standard gives them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from invoices.draw import BODY, NAME, SMALL, Pen, Style, key_value_height, key_values, wrap
from invoices.page import MARGIN, PAGE_HEIGHT, TOP, WIDTH
from invoices.parties import address_lines, contact_lines
from invoices.texts import Texts

#: The window of a DIN 5008 form B envelope: left, top, right, bottom, from the top-left.
WINDOW = (20 * mm, 45 * mm, 105 * mm, 90 * mm)
ADDRESS_ZONE = 62.7 * mm  # from the top: the recipient's part of the window (27.3 mm)
ADDRESS_X = WINDOW[0] + 5 * mm
ADDRESS_WIDTH = WINDOW[2] - ADDRESS_X - 5 * mm
RETURN_TOP = WINDOW[1] + 2 * mm  # the return address, just inside the window's top
INFO_X = WINDOW[2] + 5 * mm  # the reference block, right of the window
INFO = (30 * mm, MARGIN + WIDTH - INFO_X - 30 * mm)  # its label and value columns
HEADER_ROOM = WINDOW[1] - 2 * mm - (PAGE_HEIGHT - TOP)  # the letterhead's left column
LOGO = (45 * mm, 20 * mm)  # the largest a logo is drawn
BODY_GAP = 8 * mm  # between the window (or the reference block) and the body
RETURN = Style(BODY.font, 6.5, 8, SMALL.color)
RETURN_SMALLEST = 5.0


def from_top(distance: float) -> float:
    """The height above the page's bottom of a point ``distance`` below its top."""
    return PAGE_HEIGHT - distance


def return_line(practice: dict[str, Any], t: Texts) -> tuple[str, Style] | None:
    """The practice's return address on one line and the style that fits it in the
    window: its name and address, made smaller for a long one, or the address alone when
    the name makes it too small to read; None when not even that fits."""
    place = address_lines(practice, t)
    if not place:
        return None
    for parts in ([practice.get("name", ""), *place], place):
        text = " · ".join(x for x in parts if x)
        width = stringWidth(text, RETURN.font, RETURN.size)
        if width <= ADDRESS_WIDTH:
            return text, RETURN
        size = RETURN.size * ADDRESS_WIDTH / width
        if size >= RETURN_SMALLEST:
            return text, Style(RETURN.font, size, size * 1.25, RETURN.color)
    return None


@dataclass(frozen=True)
class FirstPage:
    """What the top of the first page shows: the practice (letterhead and return
    address), the addressee, and the document's references right of the window."""

    practice: dict[str, Any]
    t: Texts
    name: str  # the addressee
    client: dict[str, Any]  # the addressee's address (a client snapshot)
    info: Sequence[tuple[str, str]]  # label and value; rows without a value are left out
    logo: bytes | None = None
    _address: list[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        block = [self.name, *address_lines(self.client, self.t)]
        object.__setattr__(self, "_address", [
            line for item in block if item for line in wrap(item, BODY, ADDRESS_WIDTH)])

    def address_top(self) -> float:
        """The top of the address: the address zone's, or higher for a long address (never
        above the return address)."""
        height = len(self._address) * BODY.leading
        lowest = from_top(WINDOW[3]) + 1 * mm + height
        highest = from_top(RETURN_TOP) - RETURN.leading - 1 * mm
        return min(max(from_top(ADDRESS_ZONE), lowest), highest)

    def body_top(self) -> float:
        """Where the body begins: below the window and below the reference block."""
        bottom = min(from_top(WINDOW[3]),
                     self.address_top() - len(self._address) * BODY.leading,
                     from_top(ADDRESS_ZONE) - key_value_height(self.info, INFO))
        return bottom - BODY_GAP

    def draw(self, pen: Pen) -> None:
        """Letterhead, return address, address and references; ``pen.y`` is left where
        the body begins."""
        _letterhead(pen, self.practice, self.t, self.logo)
        returned = return_line(self.practice, self.t)
        if returned is not None:
            pen.lines(ADDRESS_X, from_top(RETURN_TOP), [returned[0]], returned[1])
        pen.lines(ADDRESS_X, self.address_top(), self._address, BODY)
        key_values(pen, INFO_X, from_top(ADDRESS_ZONE), self.info, INFO)
        pen.y = self.body_top()


def _letterhead(pen: Pen, practice: dict[str, Any], t: Texts, logo: bytes | None) -> None:
    """Logo and practice name on the left, ending above the window (the logo is made
    smaller when the name needs the room); the contact details on the right."""
    top = TOP
    names = wrap(practice.get("name", ""), NAME, WIDTH * 0.6)
    therapist = practice.get("therapist_name")
    below = (wrap(therapist, BODY, WIDTH * 0.6)
             if therapist and therapist != practice.get("name") else [])
    text_height = len(names) * NAME.leading + len(below) * BODY.leading
    left = top
    logo_room = min(LOGO[1], HEADER_ROOM - text_height - 2 * mm)
    if logo and logo_room >= 6 * mm:
        left -= pen.image(logo, MARGIN, left, LOGO[0], logo_room) + 2 * mm
    left -= pen.lines(MARGIN, left, names, NAME)
    pen.lines(MARGIN, left, below, BODY)
    contact = [line for item in contact_lines(practice, t) for line in
               wrap(item, BODY, WIDTH * 0.4)]
    pen.lines(MARGIN + WIDTH, top, contact, BODY, align="right")


__all__ = ["ADDRESS_ZONE", "INFO", "WINDOW", "FirstPage", "from_top", "return_line"]
