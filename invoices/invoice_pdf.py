"""Invoice and credit note PDFs: lays out an :class:`~ledger.views.InvoiceInfo` on A4.

Everything printed comes from the InvoiceInfo that ledger computed: lines, VAT rows and
totals, and for an issued invoice the practice and client snapshots frozen at issue. No
amount is computed here. The output depends only on that frozen data (and the logo that
was in force at issue), so an issued invoice re-renders to the same bytes.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Spacer, Table

from invoices.epc import epc_payload, qr_matrix
from invoices.fonts import BOLD
from invoices.layout import (
    ACCENT,
    WIDTH,
    PageDecor,
    QrCode,
    build_pdf,
    fit_footer,
    grid,
    plain,
    styles,
)
from invoices.markup import lines, para
from invoices.texts import Texts, texts_for
from ledger.views import InvoiceInfo

Snapshot = dict[str, Any]
META = (31 * mm, 62 * mm)  # label and value columns of the number/date block
_FIXED_STAMP = datetime(2000, 1, 1)


def country_name(code: str, t: Texts) -> str:
    """A country for an address line; empty for the Netherlands (the practice's own)."""
    code = (code or "").strip().upper()
    if not code or code == "NL":
        return ""
    from babel import Locale

    return str(Locale.parse("nl_NL" if t.language == "nl" else "en_IE").territories.get(
        code, code))


def address_lines(who: Snapshot, t: Texts) -> list[str]:
    city = " ".join(x for x in (who.get("postcode", ""), who.get("city", "")) if x)
    return [x for x in (who.get("address", ""), city, country_name(who.get("country", ""), t))
            if x]


def insurance_mode(practice: Snapshot) -> bool:
    """Insurers' fields are printed when the practice has an AGB code."""
    return bool(practice.get("agb_therapist") or practice.get("agb_practice"))


def birth_date(client: Snapshot) -> date | None:
    raw = client.get("birth_date") or ""
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def footer_parts(practice: Snapshot, t: Texts, *, charges_vat: bool) -> list[str]:
    _ = t.gettext
    place = ", ".join(address_lines(practice, t))
    parts = [practice.get("name", ""), place]
    if practice.get("kvk"):
        parts.append(_("KvK {number}").format(number=practice["kvk"]))
    if charges_vat and practice.get("vat_id"):
        parts.append(_("VAT id {number}").format(number=practice["vat_id"]))
    if practice.get("agb_practice"):
        parts.append(_("practice AGB {code}").format(code=practice["agb_practice"]))
    if practice.get("agb_therapist"):
        parts.append(_("therapist AGB {code}").format(code=practice["agb_therapist"]))
    if practice.get("association"):
        member = practice.get("membership_number", "")
        parts.append(_("{association} member {number}").format(
            association=practice["association"], number=member) if member
            else practice["association"])
    if practice.get("register_number"):
        parts.append(practice["register_number"])
    return parts


def header(practice: Snapshot, t: Texts, logo: bytes | None) -> Table:
    """Logo and practice name on the left, its contact details on the right."""
    s = styles()
    left: list[Any] = []
    if logo:
        left.append(logo_flowable(logo))
        left.append(Spacer(1, 2 * mm))
    left.append(para(practice.get("name", ""), s["name"]))
    if practice.get("therapist_name") and practice.get("therapist_name") != practice.get("name"):
        left.append(para(practice["therapist_name"], s["body"]))
    contact = [*address_lines(practice, t), practice.get("phone", ""), practice.get("email", "")]
    right = para("", s["right"], markup=lines(contact))
    return plain([[left, right]], [WIDTH * 0.6, WIDTH * 0.4])


def logo_flowable(data: bytes, max_w: float = 45 * mm, max_h: float = 20 * mm) -> Image:
    from reportlab.lib.utils import ImageReader

    width, height = ImageReader(io.BytesIO(data)).getSize()
    scale = min(max_w / width, max_h / height)
    image = Image(io.BytesIO(data), width=width * scale, height=height * scale)
    image.hAlign = "LEFT"
    return image


def key_values(rows: list[tuple[str, str]], widths: tuple[float, float]) -> Table:
    s = styles()
    data = [[para(k, s["small"]), para(v, s["cell"])] for k, v in rows if v]
    table = grid(data, widths, header=False, zebra=False, extra=[
        ("LEFTPADDING", (0, 0), (0, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])
    table.hAlign = "LEFT"
    return table


def _title(info: InvoiceInfo, t: Texts) -> str:
    _ = t.gettext
    if info.is_draft:
        return _("Draft credit note") if info.kind == "credit" else _("Draft invoice")
    return _("Credit note") if info.kind == "credit" else _("Invoice")


def _addressee(info: InvoiceInfo, t: Texts) -> list[Any]:
    s, _ = styles(), t.gettext
    client = info.client
    block = [para(client.get("name") or info.client_name, s["body"]),
             para("", s["body"], markup=lines(address_lines(client, t)))]
    born = birth_date(client)
    if born and insurance_mode(info.practice):
        block.append(para(_("Date of birth: {date}").format(date=t.date(born)), s["body"]))
    return block


def _meta(info: InvoiceInfo, t: Texts) -> Table:
    _ = t.gettext
    credit = info.kind == "credit"
    rows = [
        (_("Credit note number") if credit else _("Invoice number"), info.number or "—"),
        (_("Date") if credit else _("Invoice date"), t.date(info.date)),
    ]
    if credit and info.credit_of_number:
        rows.append((_("Credits invoice"), _("{number} of {date}").format(
            number=info.credit_of_number, date=t.date(info.credit_of_date))))
    if not credit:
        rows.append((_("Due date"), t.date(info.due_date)))
    rows.append((_("Client number"), str(info.client_id)))
    return key_values(rows, (META[0], META[1]))


def _lines_table(info: InvoiceInfo, t: Texts) -> Table:
    s, _ = styles(), t.gettext
    vat_column = info.vat_regime == "standard"
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
    rows: list[list[Any]] = [head]
    for line in info.lines:
        row: list[Any] = [t.date(line.supply_date, "short"), para(line.description, s["cell"])]
        if code_column:
            row.append(line.performance_code)
        row += [str(line.quantity), t.money(line.unit_price)]
        if vat_column:
            row.append(t.rate(line.vat_rate))
        row.append(t.money(line.gross))
        rows.append(row)
    first_number = 2 + int(code_column)
    return grid(rows, widths, right_from=first_number)


def _totals(info: InvoiceInfo, t: Texts) -> Table:
    _ = t.gettext
    rows: list[list[str]] = []
    if info.vat_regime == "standard":
        for row in info.vat_rows:
            rate = t.rate(row.rate)
            rows.append([_("Total excl. VAT {rate}").format(rate=rate), t.money(row.net)])
            rows.append([_("VAT {rate}").format(rate=rate), t.money(row.vat)])
    rows.append([_("Total"), t.money(info.total)])
    table = grid(rows, (55 * mm, 28 * mm), header=False, zebra=False, right_from=0, extra=[
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT),
        ("FONTNAME", (0, -1), (-1, -1), BOLD),
        ("FONTSIZE", (0, -1), (-1, -1), 10),
        ("TOPPADDING", (0, -1), (-1, -1), 4)])
    table.hAlign = "RIGHT"
    return table


def _payment(info: InvoiceInfo, t: Texts) -> list[Any]:
    s, _ = styles(), t.gettext
    practice = info.practice
    holder = practice.get("account_holder") or practice.get("name", "")
    iban = t.iban(practice.get("iban", ""))
    if info.kind == "credit":
        text = _("The amount of {amount} will be set off against what you owe or refunded to "
                 "you.").format(amount=t.money(-info.total))
        return [para(_("Refund"), s["section"]), para(text, s["body"])]
    term = int(practice.get("payment_term") or 0)
    text = _("Please transfer {amount} by {date} to {iban} in the name of {holder}, quoting "
             "{number}.").format(amount=t.money(info.total), date=t.date(info.due_date),
                                 iban=iban, holder=holder, number=info.number)
    rows = [(_("IBAN"), iban), (_("Account holder"), holder), (_("Amount"), t.money(info.total)),
            (_("Reference"), info.number or ""), (_("Due date"), t.date(info.due_date)),
            (_("Payment term"), t.ngettext("{n} day", "{n} days", term).format(n=term))]
    left = [para(text, s["body"]), Spacer(1, 2 * mm), key_values(rows, (30 * mm, 70 * mm))]
    qr: list[Any] = []
    try:
        payload = epc_payload(name=holder, iban=practice.get("iban", ""), amount=info.total,
                              text=info.number or "")
    except ValueError:
        payload = ""
    if payload:
        qr = [QrCode(qr_matrix(payload), 30 * mm),
              para(_("Scan with your banking app"), s["small_r"])]
    body = plain([[left, qr]], [WIDTH - 38 * mm, 38 * mm],
                 extra=[("ALIGN", (1, 0), (1, 0), "RIGHT")])
    return [KeepTogether([para(_("Payment"), s["section"]), body])]


def insurance_rows(practice: Snapshot, client: Snapshot, t: Texts) -> list[tuple[str, str]]:
    """The identifiers an insurer needs, in the order they expect them."""
    _ = t.gettext
    born = birth_date(client)
    return [
        (_("Therapist"), practice.get("therapist_name", "")),
        (_("Therapist AGB code"), practice.get("agb_therapist", "")),
        (_("Practice AGB code"), practice.get("agb_practice", "")),
        (_("Professional association"), practice.get("association", "")),
        (_("Membership number"), practice.get("membership_number", "")),
        (_("Register number"), practice.get("register_number", "")),
        (_("Client"), client.get("name", "")),
        (_("Client's date of birth"), t.date(born) if born else ""),
    ]


def _insurance(info: InvoiceInfo, t: Texts) -> list[Any]:
    if not insurance_mode(info.practice):
        return []
    s, _ = styles(), t.gettext
    client = {**info.client, "name": info.client.get("name") or info.client_name}
    return [KeepTogether([para(_("Details for your health insurer"), s["section"]),
                          key_values(insurance_rows(info.practice, client, t),
                                     (45 * mm, 80 * mm))])]


def invoice_story(info: InvoiceInfo, t: Texts, logo: bytes | None = None) -> list[Any]:
    s, _ = styles(), t.gettext
    addressee = plain([[_addressee(info, t), _meta(info, t)]], [WIDTH - sum(META), sum(META)])
    title = _title(info, t) + (f" {info.number}" if info.number else "")
    story: list[Any] = [header(info.practice, t, logo), Spacer(1, 12 * mm), addressee,
                        Spacer(1, 8 * mm), para(title, s["title"])]
    if info.is_draft:
        story.append(para(_("Draft: not a valid invoice until it is issued."), s["notice"]))
    if info.kind == "credit" and info.credit_of_number:
        story.append(para(_("This credit note corrects invoice {number} of {date}.").format(
            number=info.credit_of_number, date=t.date(info.credit_of_date)), s["body"]))
        story.append(Spacer(1, 3 * mm))
    story += [_lines_table(info, t), Spacer(1, 3 * mm), _totals(info, t)]
    if info.vat_regime != "standard" and info.regime_text:
        story += [Spacer(1, 3 * mm), para(t.regime_statement(info.regime_text), s["body"])]
    if not info.is_draft:
        story += _payment(info, t)
    story += _insurance(info, t)
    return story


def render_invoice(info: InvoiceInfo, logo: bytes | None = None) -> bytes:
    """The PDF of an invoice or credit note. ``info.practice`` / ``info.client`` must hold
    the snapshots (for a draft, the current details; see invoices.archive.load_document)."""
    t = texts_for(info.language)
    _ = t.gettext
    title = _title(info, t) + (f" {info.number}" if info.number else "")
    client_name = info.client.get("name") or info.client_name
    decor = PageDecor(
        footer=fit_footer(footer_parts(info.practice, t,
                                       charges_vat=info.vat_regime == "standard")),
        page_label=lambda page, pages: _("page {page} of {pages}").format(page=page,
                                                                          pages=pages),
        running_header=f"{title} · {client_name} · {info.practice.get('name', '')}",
    )
    stamp = info.issued_at or (datetime.combine(info.date, datetime.min.time()) if info.date
                               else _FIXED_STAMP)
    key = f"{info.kind} {info.number or f'draft {info.id}'}"
    return build_pdf(invoice_story(info, t, logo), decor, key=key, stamp=stamp, title=title,
                     author=info.practice.get("name", ""), subject=client_name,
                     language=t.language)


__all__ = ["insurance_rows", "render_invoice"]
