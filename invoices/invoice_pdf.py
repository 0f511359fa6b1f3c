"""Invoice and credit note PDFs: an :class:`~ledger.base.views.InvoiceInfo` drawn on A4.

Everything printed comes from the InvoiceInfo that ledger computed: lines, VAT rows and
totals, and for an issued invoice the practice and client snapshots frozen at issue. No
amount is computed here. The output depends only on that frozen data (and the logo that
was in force at issue), so an issued invoice re-renders to the same bytes.

The page is drawn straight on ReportLab's canvas with :class:`invoices.draw.Pen` (fixed
columns, measured and wrapped text, blocks kept together, table rows flowing onto more
pages under a repeated header): an invoice is small and regular, and a layout engine made
it cost five times the bare floor of drawing its text.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import datetime

from reportlab.lib.units import mm

from invoices.draw import (
    BODY,
    CELL,
    PAD,
    SMALL,
    Pen,
    Style,
    clean,
    key_value_height,
    key_values,
    unbroken,
    wrap,
)
from invoices.epc import epc_payload, qr_modules
from invoices.fonts import BOLD
from invoices.layout_version import LAYOUT
from invoices.letterhead import FirstPage
from invoices.page import (
    ACCENT,
    LIGHT,
    MARGIN,
    WIDTH,
    Metadata,
    PageDecor,
    document_canvas,
    fit_footer,
)
from invoices.parties import footer_parts, insurance_mode, insurance_rows
from invoices.texts import Texts, texts_for
from ledger.base.codes import InvoiceKind, VatRegime, charges_vat
from ledger.base.views import InvoiceInfo, LineInfo

_FIXED_STAMP = datetime(2000, 1, 1)
RIGHT = MARGIN + WIDTH
#: Label and value columns of the payment and the insurer's blocks: one column of values.
DETAILS = (45 * mm, 80 * mm)
HEAD = Style(BOLD, 8, 10)
TITLE = Style(BOLD, 18, 22, ACCENT)
SECTION = Style(BOLD, 9.5, 12, ACCENT)
NOTICE = Style(BOLD, 9.5, 12.5)
TOTAL = Style(BOLD, 10, 12)


def _title(info: InvoiceInfo, t: Texts) -> str:
    _ = t.gettext
    if info.is_draft:
        kind = _("Draft credit note") if info.kind == InvoiceKind.CREDIT else _("Draft invoice")
    else:
        kind = _("Credit note") if info.kind == InvoiceKind.CREDIT else _("Invoice")
    return kind + (f" {info.number}" if info.number else "")


def _first_page(info: InvoiceInfo, t: Texts, logo: bytes | None) -> FirstPage:
    """Letterhead, the client's name and address in the envelope's window (nothing else
    of the client: the date of birth is in the insurer's block), and number, dates and
    client number right of the window."""
    _ = t.gettext
    credit = info.kind == InvoiceKind.CREDIT
    rows = [
        (_("Credit note number") if credit else _("Invoice number"), info.number or "—"),
        (_("Date") if credit else _("Invoice date"), t.date(info.date)),
    ]
    if credit and info.credit_of_number:
        rows.append((_("Credits invoice"), _("{number} of {date}").format(
            number=unbroken(info.credit_of_number),
            date=unbroken(t.date(info.credit_of_date)))))
    if not credit:
        rows.append((_("Due date"), t.date(info.due_date)))
    rows.append((_("Client number"), str(info.client_id)))
    return FirstPage(info.practice, t, info.client.get("name") or info.client_name,
                     info.client, rows, logo)


# -- the table of lines ----------------------------------------------------------------
class _Column:
    __slots__ = ("right", "width", "x")

    def __init__(self, x: float, width: float, right: bool) -> None:
        self.x, self.width, self.right = x, width, right

    def at(self) -> float:
        return self.x + self.width - PAD if self.right else self.x + PAD


def _columns(widths: Sequence[float], first_right: int) -> list[_Column]:
    columns, x = [], MARGIN
    for index, width in enumerate(widths):
        columns.append(_Column(x, width, index >= first_right))
        x += width
    return columns


def _lines_table(pen: Pen, info: InvoiceInfo, t: Texts) -> None:
    _ = t.gettext
    vat_column = info.vat_regime == VatRegime.STANDARD
    code_column = insurance_mode(info.practice) or any(x.performance_code for x in info.lines)
    head = [_("Date"), _("Description")]
    widths = [20 * mm, 0.0]
    if code_column:
        head.append(_("Perf.\ncode"))
        widths.append(17 * mm)
    head += [_("Qty"), _("Price")]
    widths += [11 * mm, 22 * mm]
    if vat_column:
        head.append(_("VAT"))
        widths.append(12 * mm)
    head.append(_("Amount"))
    widths.append(23 * mm)
    widths[1] = WIDTH - sum(widths)
    columns = _columns(widths, 2 + int(code_column))
    head_lines = [wrap(text, HEAD, column.width - 2 * PAD, break_words=False)
                  for text, column in zip(head, columns, strict=True)]
    head_height = max(len(x) for x in head_lines) * HEAD.leading + 5

    def draw_head() -> None:
        bottom = pen.y - head_height
        for lines, column in zip(head_lines, columns, strict=True):
            top = bottom + 2.5 + len(lines) * HEAD.leading  # bottom-aligned
            pen.lines(column.at(), top, lines, HEAD, "right" if column.right else "left")
        pen.rule(MARGIN, RIGHT, bottom, ACCENT, 0.8)
        pen.y = bottom

    rows: list[list[str]] = []
    for line in info.lines:
        prepaid = is_prepayment(info, line) and insurance_mode(info.practice)
        text = line.description
        if prepaid:
            text += "\n" + _("Not for claiming with your health insurer: claim each "
                                     "treatment once it is given, with the claim statement "
                                     "(declaratieoverzicht).")
        row = [t.date(line.supply_date, "short"), text]
        if code_column:
            # A series is paid before its treatments are given: its sale is not claimable,
            # so it carries no performance code (the claim statement lists each treatment).
            row.append("" if line.package_id is not None else line.performance_code)
        row += [str(line.quantity), t.money(line.unit_price)]
        if vat_column:
            row.append(t.rate(line.vat_rate))
        row.append(t.money(line.gross))
        rows.append(row)
    description = columns[1].width - 2 * PAD
    # Amounts, dates and codes stay on one line (a wide amount may reach into the cell's
    # padding); the description wraps, between words and inside a too-long word.
    cells_of = [[wrap(text, CELL, description) if index == 1 else [clean(text)]
                 for index, text in enumerate(row)] for row in rows]
    page_room = pen.top - pen.bottom - head_height  # for rows under a header on a new page
    first = max((len(x) for x in cells_of[0]), default=1) if cells_of else 1
    first_height = first * CELL.leading + 5
    pen.keep(head_height + (first_height if first_height <= page_room else CELL.leading + 5))
    draw_head()
    zebra = len(rows) > 1
    for number, cells in enumerate(cells_of):
        # A row taller than what is left goes to the next page whole, or, when it is taller
        # than a whole page, in parts (each part under the repeated header).
        while cells:
            lines = max(len(x) for x in cells)
            height = lines * CELL.leading + 5
            if not pen.fits(height) and height <= page_room and pen.keep(height):
                draw_head()
            room = max(int((pen.y - pen.bottom - 5) // CELL.leading), 1)
            part = [x[:room] for x in cells]
            cells = [x[room:] for x in cells] if lines > room else []
            if cells and not any(cells):
                cells = []
            height = max(len(x) for x in part) * CELL.leading + 5
            if zebra and number % 2:
                pen.fill(MARGIN, pen.y - height, WIDTH, height, LIGHT)
            for lines_, column in zip(part, columns, strict=True):
                pen.lines(column.at(), pen.y - 2.5, lines_, CELL,
                          "right" if column.right else "left")
            pen.y -= height
            if cells:
                pen.new_page()
                draw_head()


def is_prepayment(info: InvoiceInfo, line: LineInfo) -> bool:
    """Whether ``line`` sells a series (paid before its treatments are given)."""
    return info.kind == InvoiceKind.INVOICE and line.package_id is not None and line.gross > 0


def _totals(pen: Pen, info: InvoiceInfo, t: Texts) -> None:
    _ = t.gettext
    rows: list[tuple[str, str]] = []
    if info.vat_regime == VatRegime.STANDARD:
        for row in info.vat_rows:
            rate = t.rate(row.rate)
            rows.append((_("Total excl. VAT {rate}").format(rate=rate), t.money(row.net)))
            rows.append((_("VAT {rate}").format(rate=rate), t.money(row.vat)))
    height = len(rows) * (CELL.leading + 5) + TOTAL.leading + 7
    pen.keep(height)
    label_x, value_x = RIGHT - 28 * mm - PAD, RIGHT - PAD
    for label, value in rows:
        pen.lines(label_x, pen.y - 2.5, [label], CELL, "right")
        pen.lines(value_x, pen.y - 2.5, [value], CELL, "right")
        pen.y -= CELL.leading + 5
    pen.rule(RIGHT - 83 * mm, RIGHT, pen.y, ACCENT, 0.8)
    pen.lines(label_x, pen.y - 4, [_("Total")], TOTAL, "right")
    pen.lines(value_x, pen.y - 4, [t.money(info.total)], TOTAL, "right")
    pen.y -= TOTAL.leading + 7


def _section(pen: Pen, title: str, body_height: float) -> None:
    """A section heading, kept on one page with the block that follows it."""
    pen.skip(4 * mm)
    pen.keep(SECTION.leading + 1.5 * mm + body_height)
    pen.lines(MARGIN, pen.y, [title], SECTION)
    pen.y -= SECTION.leading + 1.5 * mm


def _payment(pen: Pen, info: InvoiceInfo, t: Texts) -> None:
    _ = t.gettext
    practice = info.practice
    if info.kind == InvoiceKind.CREDIT:
        text = _("The amount of {amount} will be set off against what you owe or refunded to "
                 "you.").format(amount=unbroken(t.money(-info.total)))
        lines = wrap(text, BODY, WIDTH)
        _section(pen, _("Refund"), len(lines) * BODY.leading)
        pen.y -= pen.lines(MARGIN, pen.y, lines, BODY)
        return
    holder = practice.get("account_holder") or practice.get("name", "")
    iban = t.iban(practice.get("iban", ""))
    term = int(practice.get("payment_term") or 0)
    text = _("Please transfer {amount} by {date} to {iban} in the name of {holder}, quoting "
             "{number}.").format(amount=unbroken(t.money(info.total)),
                                 date=t.date(info.due_date), iban=unbroken(iban),
                                 holder=holder, number=unbroken(info.number))
    rows = [(_("IBAN"), iban), (_("Account holder"), holder), (_("Amount"), t.money(info.total)),
            (_("Reference"), info.number or ""), (_("Due date"), t.date(info.due_date)),
            (_("Payment term"), t.ngettext("{n} day", "{n} days", term).format(n=term))]
    try:
        payload = epc_payload(name=holder, iban=practice.get("iban", ""), amount=info.total,
                              text=info.number or "")
    except ValueError:
        payload = ""
    lines = wrap(text, BODY, WIDTH - 38 * mm)
    widths = DETAILS
    left = len(lines) * BODY.leading + 2 * mm + key_value_height(rows, widths)
    qr_size = 30 * mm
    right = qr_size + SMALL.leading if payload else 0
    _section(pen, _("Payment"), max(left, right))
    top = pen.y
    used = pen.lines(MARGIN, top, lines, BODY) + 2 * mm
    used += key_values(pen, MARGIN, top - used, rows, widths)
    if payload:
        code = qr_modules(payload)
        pen.qr(code.runs, code.size, RIGHT - qr_size, top - qr_size, qr_size)
        pen.lines(RIGHT, top - qr_size, [_("Scan with your banking app")], SMALL, "right")
    pen.y = top - max(used, right)


def _insurance(pen: Pen, info: InvoiceInfo, t: Texts) -> None:
    if not insurance_mode(info.practice):
        return
    client = {**info.client, "name": info.client.get("name") or info.client_name}
    rows = insurance_rows(info.practice, client, t)
    widths = DETAILS
    _section(pen, t.gettext("Details for your health insurer"), key_value_height(rows, widths))
    pen.y -= key_values(pen, MARGIN, pen.y, rows, widths)


def _notice(pen: Pen, text: str) -> None:
    """A boxed, bold warning across the page (the draft's "not a valid invoice")."""
    pad = 2.5 * mm
    lines = wrap(text, NOTICE, WIDTH - 2 * pad)
    height = len(lines) * NOTICE.leading + 2 * pad
    pen.skip(5 * mm)
    pen.keep(height)
    pen.box(MARGIN, pen.y - height, WIDTH, height, LIGHT, ACCENT, 0.8)
    pen.lines(MARGIN + pad, pen.y - pad, lines, NOTICE)
    pen.y -= height + 4 * mm


def draw_invoice(pen: Pen, info: InvoiceInfo, t: Texts, logo: bytes | None = None) -> None:
    _ = t.gettext
    _first_page(info, t, logo).draw(pen)
    title = wrap(_title(info, t), TITLE, WIDTH)
    pen.keep(len(title) * TITLE.leading + 2 * mm)
    pen.y -= pen.lines(MARGIN, pen.y, title, TITLE) + 2 * mm
    if info.is_draft:
        _notice(pen, _("Draft: not a valid invoice until it is issued."))
    if info.kind == InvoiceKind.CREDIT and info.credit_of_number:
        pen.paragraph(_("This credit note corrects invoice {number} of {date}.").format(
            number=unbroken(info.credit_of_number), date=t.date(info.credit_of_date)), BODY)
        pen.skip(3 * mm)
    _lines_table(pen, info, t)
    pen.skip(3 * mm)
    _totals(pen, info, t)
    if info.vat_regime != VatRegime.STANDARD and info.regime_text:
        pen.skip(3 * mm)
        pen.paragraph(t.regime_statement(info.regime_text), BODY)
    if not info.is_draft:
        _payment(pen, info, t)
    _insurance(pen, info, t)


def render_invoice(info: InvoiceInfo, logo: bytes | None = None) -> bytes:
    """The PDF of an invoice or credit note. ``info.practice`` / ``info.client`` must hold
    the snapshots (for a draft, the current details; see invoices.archive.load_document)."""
    t = texts_for(info.language)
    _ = t.gettext
    title = _title(info, t)
    client_name = info.client.get("name") or info.client_name
    page_label: Callable[[int, int], str] = lambda page, pages: _(  # noqa: E731
        "page {page} of {pages}").format(page=page, pages=pages)
    decor = PageDecor(
        footer=fit_footer(footer_parts(info.practice, t,
                                       charges_vat=charges_vat(info.vat_regime))),
        page_label=page_label,
        running_header=f"{title} · {client_name} · {info.practice.get('name', '')}",
    )
    stamp = info.issued_at or (datetime.combine(info.date, datetime.min.time()) if info.date
                               else _FIXED_STAMP)
    meta = Metadata(key=f"{info.kind} {info.number or f'draft {info.id}'}", stamp=stamp,
                    title=title, author=info.practice.get("name", ""), subject=client_name,
                    language=t.language)
    buffer = io.BytesIO()
    canvas = document_canvas(buffer, decor, meta)
    pen = Pen(canvas)
    draw_invoice(pen, info, t, logo)
    pen.finish()
    canvas.save()
    return buffer.getvalue()


__all__ = ["LAYOUT", "draw_invoice", "render_invoice"]
