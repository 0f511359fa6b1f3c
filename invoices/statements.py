"""Insurance claim statements (declaratie-overzicht): per package, and per client and year.

A series is invoiced when it is sold, so the sale invoice shows one line; the insurer also
wants each treatment's date, therapy, performance code and price. A statement lists the
treatments given, with the price per treatment of a series worked out by
:func:`ledger.base.money.allocate` (the cents add up to the series price exactly), the invoice
each was paid on, and every insurance identifier; it says clearly that it is not an invoice.

Gathering (needs the books) and rendering (pure) are separate, so a TUI worker can call
either: ``render_statement(package_statement(books, 3))``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from invoices.fonts import BOLD
from invoices.layout import (
    ACCENT,
    LIGHT,
    WIDTH,
    FirstPage,
    PageDecor,
    build_pdf,
    fit_footer,
    grid,
    key_values,
    styles,
)
from invoices.markup import para, unbroken
from invoices.parties import footer_parts, insurance_rows
from invoices.texts import Texts, texts_for
from ledger.base.codes import SessionStatus, charges_vat
from ledger.base.money import allocate
from ledger.base.parse import check_year
from ledger.base.views import ClientInfo, PackageInfo, SessionInfo
from ledger.billing.packages import get_package
from ledger.billing.sessions import list_sessions, package_sessions
from ledger.billing.status import get_invoice
from ledger.books import Books
from ledger.practice.clients import client_snapshot, get_client
from ledger.practice.profile import get_practice, snapshot


@dataclass(frozen=True)
class ClaimRow:
    date: date
    therapy: str
    performance_code: str
    price: int  # cents: the session's price, or its share of the series price
    invoice_number: str
    package_name: str = ""
    therapist: str = ""  # who gave it, when the statement lists more than one therapist
    session_id: int | None = None


@dataclass(frozen=True)
class ClaimStatement:
    """Everything a claim statement shows, worked out by ledger; rendering adds nothing."""

    kind: str  # "package" or "year"
    language: str
    issued_on: date
    practice: dict[str, Any]
    client: dict[str, Any]
    client_id: int
    rows: tuple[ClaimRow, ...]
    total: int
    package: PackageInfo | None = None
    year: int | None = None


def _shares(sessions: list[SessionInfo], package: PackageInfo) -> dict[int, int]:
    """Each package session's share of the series price, in the order they were given."""
    shares = allocate(package.price, package.sessions_total)
    return {s.id: shares[i] for i, s in enumerate(sessions[: package.sessions_total])}


def _still_billed(books: Books, number: str) -> dict[int, int]:
    """Per session on invoice ``number``: what is billed after its credit notes (cents)."""
    invoice = get_invoice(books, number)
    credited: dict[int, int] = {}
    for credit_number in invoice.credit_numbers:
        for line in get_invoice(books, credit_number).lines:
            if (original := line.credited_line_id) is not None:
                credited[original] = credited.get(original, 0) + line.gross
    return {line.session_id: line.gross + credited.get(line.id, 0)
            for line in invoice.lines if line.session_id is not None}


def _row(s: SessionInfo, price: int, invoice: str, package: str = "") -> ClaimRow:
    return ClaimRow(s.date, s.treatment_name, s.performance_code, price, invoice, package,
                    session_id=s.id)


def _base(books: Books, client_id: int) -> tuple[ClientInfo, dict[str, Any], str]:
    client = get_client(books, client_id)
    practice = get_practice(books)
    return client, snapshot(practice), client.language or practice.language


def _who_treated(books: Books, practice: dict[str, Any], sessions: list[SessionInfo],
                 rows: list[ClaimRow]) -> tuple[dict[str, Any], tuple[ClaimRow, ...]]:
    """The insurer's details of the therapist who gave the treatments: one therapist's
    in the details block (a solo practice's statements stay as they were); with several,
    each row names its therapist and AGB code and the block keeps the practice's."""
    from ledger.practice.therapists import insurer_details

    given = {s.id: s.therapist_id for s in sessions}
    ids = sorted({given[r.session_id] for r in rows
                  if r.session_id is not None and r.session_id in given})
    if len(ids) <= 1:
        return {**practice, **insurer_details(books, ids[0] if ids else None)}, tuple(rows)
    names = {i: insurer_details(books, i) for i in ids}

    def who(i: int) -> str:
        return " ".join(x for x in (names[i]["therapist_name"],
                                    names[i]["agb_therapist"]) if x)

    named = []
    for row in rows:
        therapist = given.get(row.session_id) if row.session_id is not None else None
        named.append(dataclasses.replace(row, therapist=who(therapist))
                     if therapist is not None else row)
    return {**practice, **dict.fromkeys(names[ids[0]], "")}, tuple(named)


def package_statement(books: Books, package_id: int) -> ClaimStatement:
    """The treatments a package paid for, each with its share of the series price."""
    package = get_package(books, package_id)
    sessions = package_sessions(books, package_id)
    client, practice, language = _base(books, package.client_id)
    shares = _shares(sessions, package)
    practice, rows = _who_treated(books, practice, sessions, [
        _row(s, shares.get(s.id, 0), package.invoice_number or "") for s in sessions])
    return ClaimStatement("package", language, books.clock.today(), practice,
                          client_snapshot(client), client.id, rows, sum(r.price for r in rows),
                          package=package)


def client_year_statement(books: Books, client_id: int, year: int) -> ClaimStatement:
    """Every treatment given to the client in ``year`` that was invoiced or prepaid."""
    check_year(year)
    client, practice, language = _base(books, client_id)
    sessions = list_sessions(books, client_id, start=date(year, 1, 1), end=date(year, 12, 31))
    packages: dict[int, tuple[PackageInfo, dict[int, int]]] = {}
    billed: dict[str, dict[int, int]] = {}
    rows = []
    for s in sessions:
        if s.status != SessionStatus.GIVEN:
            continue  # a missed appointment is no treatment for the insurer
        if s.package_id is not None:
            if s.package_id not in packages:
                pkg = get_package(books, s.package_id)
                packages[s.package_id] = (pkg, _shares(package_sessions(books, pkg.id), pkg))
            pkg, shares = packages[s.package_id]
            rows.append(_row(s, shares.get(s.id, 0), pkg.invoice_number or "", pkg.name))
        elif s.invoice_number:
            if s.invoice_number not in billed:
                billed[s.invoice_number] = _still_billed(books, s.invoice_number)
            amount = billed[s.invoice_number].get(s.id, 0)
            if amount > 0:  # a treatment credited in full is no longer claimed
                rows.append(_row(s, amount, s.invoice_number))
    practice, claimed = _who_treated(books, practice, sessions, rows)
    return ClaimStatement("year", language, books.clock.today(), practice,
                          client_snapshot(client), client.id, claimed,
                          sum(r.price for r in claimed), year=year)


# ------------------------------------------------------------------------------ rendering
def _title(st: ClaimStatement, t: Texts) -> str:
    _ = t.gettext
    if st.kind == "year":
        return _("Annual statement {year}").format(year=st.year)
    return _("Claim statement")


def _intro(st: ClaimStatement, t: Texts) -> list[Any]:
    s, _ = styles(), t.gettext
    story: list[Any] = [para(_(
        "This is not an invoice. It lists treatments that were already invoiced, on the "
        "invoice numbers shown, for your claim with your health insurer. Do not pay it."),
        s["notice"])]
    package = st.package
    if package is not None:
        count = t.ngettext("{n} treatment", "{n} treatments", package.sessions_total).format(
            n=package.sessions_total)
        story.append(para(_(
            "{name}: {count} for {price}, sold on {date} on invoice {number}; {used} of "
            "{total} used, valid until {expires}.").format(
                name=package.name, count=count, price=unbroken(t.money(package.price)),
                date=t.date(package.sold_on), number=unbroken(package.invoice_number or "—"),
                used=package.sessions_used, total=package.sessions_total,
                expires=t.date(package.expires)), s["body"]))
    elif st.kind == "year":
        story.append(para(_("Treatments given in {year} that were invoiced or paid by a "
                            "series; a treatment from a series is priced at its share of the "
                            "series price.").format(year=st.year), s["body"]))
    return story


def _table(st: ClaimStatement, t: Texts) -> Table:
    s, _ = styles(), t.gettext
    head = [_("Date"), _("Therapy"), _("Perf.\ncode"), _("Invoice"), _("Price")]
    widths = [22 * mm, 0.0, 18 * mm, 24 * mm, 26 * mm]
    several = any(row.therapist for row in st.rows)  # a group practice's: who gave it
    if several:
        head.insert(2, _("Therapist"))
        widths.insert(2, 38 * mm)
    widths[1] = WIDTH - sum(widths)
    rows: list[list[Any]] = [head]
    for row in st.rows:
        therapy = row.therapy + (f" ({row.package_name})" if row.package_name else "")
        cells = [t.date(row.date, "short"), para(therapy, s["cell"]), row.performance_code,
                 row.invoice_number, t.money(row.price)]
        if several:
            cells.insert(2, para(row.therapist, s["cell"]))
        rows.append(cells)
    rows.append(["", _("Total"), *([""] if several else []), "", "", t.money(st.total)])
    return grid(rows, widths, zebra=False, extra=[
        ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -2), [colors.white, LIGHT]),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT),
        ("FONTNAME", (0, -1), (-1, -1), BOLD)])


def first_page(st: ClaimStatement, t: Texts, logo: bytes | None = None) -> FirstPage:
    """Letterhead, the client's name and address in the envelope's window (the date of
    birth is in the insurer's block), the statement's references beside it."""
    _ = t.gettext
    info = [(_("Date"), t.date(st.issued_on)), (_("Client number"), str(st.client_id))]
    if st.package is not None:
        info += [(_("Series"), st.package.name), (_("Series number"), str(st.package.id))]
    if st.year is not None:
        info.append((_("Period"), _("1 January to 31 December {year}").format(year=st.year)))
    return FirstPage(st.practice, t, st.client.get("name", ""), st.client, info, logo)


def statement_story(st: ClaimStatement, t: Texts) -> list[Any]:
    """What follows the first page's top (:func:`first_page`)."""
    s, _ = styles(), t.gettext
    client = st.client
    story: list[Any] = [para(_title(st, t), s["title"]), *_intro(st, t), Spacer(1, 3 * mm)]
    if st.rows:
        story.append(_table(st, t))
    else:
        story.append(para(_("No treatments to list."), s["body"]))
    story.append(KeepTogether([
        para(_("Details for your health insurer"), s["section"]),
        key_values([r for r in insurance_rows(st.practice, client, t)
                    if r[1] or not any(row.therapist for row in st.rows)],
                   (45 * mm, 80 * mm))]))
    return story


def render_statement(st: ClaimStatement, logo: bytes | None = None) -> bytes:
    """The statement's PDF (deterministic for the same statement)."""
    t = texts_for(st.language)
    _ = t.gettext
    title = _title(st, t)
    decor = PageDecor(
        footer=fit_footer(footer_parts(st.practice, t,
                                       charges_vat=charges_vat(st.practice.get("vat_regime")))),
        page_label=lambda page, pages: _("page {page} of {pages}").format(page=page,
                                                                          pages=pages),
        running_header=f"{title} · {st.client.get('name', '')}",
    )
    key = f"statement {st.kind} {st.package.id if st.package else st.year} {st.client_id}"
    stamp = datetime.combine(st.issued_on, datetime.min.time())
    return build_pdf(statement_story(st, t), decor, key=key, stamp=stamp, title=title,
                     author=st.practice.get("name", ""), subject=st.client.get("name", ""),
                     language=t.language, first_page=first_page(st, t, logo))
