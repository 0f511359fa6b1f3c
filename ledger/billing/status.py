"""What an invoice's state is, worked out from the books, and the lists of invoices.

Paid / partly paid / overdue / credited are never stored on the invoice: they follow from
its payments, credit notes and due date (:func:`summary_query`, in SQL for lists). The one
rule for which statuses count as open is :func:`ledger.base.codes.is_open`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Date, Select, bindparam, case, func, literal, select
from sqlalchemy.orm import Session, selectinload

from ledger.base.codes import InvoiceKind, InvoiceStatus, is_open
from ledger.base.errors import InputError, NotFound
from ledger.base.views import InvoiceInfo, LineInfo, PaymentInfo, VatRow
from ledger.books import Books
from ledger.practice.clients import load_client
from ledger.store.models import Invoice, InvoiceLine, Payment
from ledger.store.models.derived import Settlement


@cache
def summary_query() -> tuple[Select[Any], Any]:
    """Invoices with paid, credited, open and status worked out in SQL (for lists).

    Paid and credited come from the invoice's ``settlement`` row, which the services keep
    in step with its payments and credit notes (``ledger.derived.sums``): one primary-key lookup
    per invoice instead of adding up every payment in the books. Drafts and credit notes
    have no settlement row (nothing is paid on or credited to them).

    Built once; the day that decides "overdue" is the bound parameter ``today``."""
    today = bindparam("today", type_=Date)
    paid = func.coalesce(Settlement.paid_cents, 0)
    credited = func.coalesce(Settlement.credited_cents, 0)
    is_credit = Invoice.kind == InvoiceKind.CREDIT
    open_ = case((is_credit, literal(0)), else_=Invoice.total_cents - credited - paid)
    status = case(
        (Invoice.number.is_(None), literal(InvoiceStatus.DRAFT)),
        (is_credit, literal(InvoiceStatus.SETTLED)),
        ((Invoice.total_cents > 0) & (credited >= Invoice.total_cents),
         literal(InvoiceStatus.CREDITED)),
        (Invoice.total_cents - credited - paid <= 0, literal(InvoiceStatus.PAID)),
        (Invoice.due_date < today, literal(InvoiceStatus.OVERDUE)),
        (paid > 0, literal(InvoiceStatus.PARTLY_PAID)),
        else_=literal(InvoiceStatus.OPEN),
    )
    query = (
        select(
            Invoice,
            paid.label("paid"),
            credited.label("credited"),
            open_.label("open"),
            status.label("status"),
        )
        .outerjoin(Settlement, Settlement.invoice_id == Invoice.id)
    )
    return query, status


STATUSES = tuple(InvoiceStatus)


def _line_info(line: InvoiceLine) -> LineInfo:
    return LineInfo(
        id=line.id, position=line.position, supply_date=line.supply_date,
        description=line.description, quantity=line.quantity,
        unit_price=line.unit_price_cents, vat_rate=line.vat_rate, net=line.net_cents,
        vat=line.vat_cents, gross=line.gross_cents, performance_code=line.performance_code,
        session_id=line.session_id, package_id=line.package_id,
        credited_line_id=line.credited_line_id,
    )


def vat_rows(lines: list[LineInfo] | tuple[LineInfo, ...]) -> tuple[VatRow, ...]:
    """Net, VAT and gross summed per rate, highest rate first."""
    sums: dict[Decimal, list[int]] = defaultdict(lambda: [0, 0, 0])
    for line in lines:
        row = sums[line.vat_rate]
        row[0] += line.net
        row[1] += line.vat
        row[2] += line.gross
    return tuple(VatRow(rate, *sums[rate]) for rate in sorted(sums, reverse=True))


def build_info(
    session: Session, invoice: Invoice, paid: int, credited: int, open_: int, status: str
) -> InvoiceInfo:
    lines = tuple(_line_info(line) for line in invoice.lines)
    draft = invoice.number is None
    client = load_client(session, invoice.client_id)
    payments = session.scalars(
        select(Payment).where(Payment.invoice_id == invoice.id).order_by(Payment.date, Payment.id)
    ).all()
    credit_numbers = session.scalars(
        select(Invoice.number)
        .where(Invoice.credit_of_id == invoice.id, Invoice.number.is_not(None))
        .order_by(Invoice.seq)
    ).all()
    original = session.get(Invoice, invoice.credit_of_id) if invoice.credit_of_id else None
    net = sum(x.net for x in lines) if draft else invoice.net_cents
    vat = sum(x.vat for x in lines) if draft else invoice.vat_cents
    total = sum(x.gross for x in lines) if draft else invoice.total_cents
    return InvoiceInfo(
        id=invoice.id, number=invoice.number, kind=invoice.kind, client_id=invoice.client_id,
        client_name=client.name, date=invoice.date, due_date=invoice.due_date,
        language=invoice.language, vat_regime=invoice.vat_regime,
        regime_text=invoice.regime_text, lines=lines, vat_rows=vat_rows(lines),
        net=net, vat=vat, total=total, paid=paid, credited=credited,
        open=open_ if not draft else total, status=status,
        credit_of_number=original.number if original else None,
        credit_of_date=original.date if original else None,
        credit_numbers=tuple(n for n in credit_numbers if n),
        payments=tuple(
            PaymentInfo(p.id, invoice.number or "", p.date, p.amount_cents, p.method,
                        p.reference)
            for p in payments
        ),
        practice=json.loads(invoice.practice_snapshot or "{}"),
        client=json.loads(invoice.client_snapshot or "{}"),
        issued_at=invoice.issued_at,
    )


def invoice_info(session: Session, books: Books, invoice_id: int) -> InvoiceInfo:
    query, _ = summary_query()
    row = session.execute(
        query.where(Invoice.id == invoice_id), {"today": books.clock.today()}
    ).one_or_none()
    if row is None:
        raise NotFound("invoice: there is no invoice with id {invoice_id}", invoice_id=invoice_id)
    invoice, paid, credited, open_, status = row
    return build_info(session, invoice, int(paid), int(credited), int(open_), status)


def find_invoice(session: Session, ref: str | int) -> Invoice:
    """An invoice by number (``2026-0001``) or, for drafts, by id (``12`` or ``#12``)."""
    text = str(ref).strip()
    invoice = session.scalars(select(Invoice).where(Invoice.number == text)).first()
    if invoice is None:
        digits = text.lstrip("#")
        if digits.isdigit() and len(digits) < 12:
            invoice = session.get(Invoice, int(digits))
    if invoice is None:
        raise NotFound("invoice: there is no invoice {text!r}", text=text)
    return invoice


def get_invoice(books: Books, ref: str | int) -> InvoiceInfo:
    with books.db.read() as session:
        return invoice_info(session, books, find_invoice(session, ref).id)


def filtered_invoices(
    *,
    year: int | None = None,
    status: str | None = None,
    client_id: int | None = None,
    kind: str | None = None,
    include_drafts: bool = True,
) -> Select[Any]:
    """The summary query narrowed to a list's filters (unordered; bind ``today``)."""
    if status is not None and status not in STATUSES:
        raise InputError("status", "must be one of {items}", items=", ".join(STATUSES))
    query, status_expr = summary_query()
    if year is not None:
        query = query.where(Invoice.date >= date(year, 1, 1), Invoice.date <= date(year, 12, 31))
    if status is not None:
        query = query.where(status_expr == status)
        if is_open(status):  # only invoices with something open now (partial index)
            query = query.where(Settlement.open_cents != 0, Settlement.open_cents > 0)
    if client_id is not None:
        query = query.where(Invoice.client_id == client_id)
    if kind is not None:
        query = query.where(Invoice.kind == kind)
    if not include_drafts:
        query = query.where(Invoice.number.is_not(None))
    return query


def list_invoices(
    books: Books,
    *,
    year: int | None = None,
    status: str | None = None,
    client_id: int | None = None,
    kind: str | None = None,
    include_drafts: bool = True,
    limit: int | None = None,
    offset: int = 0,
    newest_first: bool = False,
) -> list[InvoiceInfo]:
    """Invoices in number order (drafts last), or with ``newest_first`` the reverse.

    Issued invoices are read in the order of ``ix_invoice_order`` (date, series, number),
    so a page costs the same at the start of ten years of invoices as anywhere else; the
    drafts (few) are read apart. A page far from the start is read from the other end."""
    base = filtered_invoices(year=year, status=status, client_id=client_id, kind=kind,
                             include_drafts=include_drafts)
    issued = base.where(Invoice.number.is_not(None))
    drafts = base.where(Invoice.number.is_(None))
    with books.db.read() as session:
        params = {"today": books.clock.today()}
        n_drafts = int(session.scalar(
            select(func.count()).select_from(drafts.subquery()), params) or 0
                       ) if include_drafts and status in (None, InvoiceStatus.DRAFT) else 0
        rows: list[Any] = []
        if newest_first and offset < n_drafts:  # drafts come first, newest first
            rows += _page(session, drafts, (Invoice.id.desc(),), offset, limit, params)
        wanted = None if limit is None else limit - len(rows)
        start = max(offset - n_drafts, 0) if newest_first else offset
        if wanted is None or wanted > 0:
            rows += _issued_page(session, issued, start, wanted, newest_first, params)
        if not newest_first and n_drafts and (limit is None or len(rows) < limit):
            total = int(session.scalar(select(func.count()).select_from(issued.subquery()),
                                       params) or 0)
            rows += _page(session, drafts, (Invoice.id,), max(offset - total, 0),
                          None if limit is None else limit - len(rows), params)
        return [build_info(session, inv, int(paid), int(credited), int(open_), st)
                for inv, paid, credited, open_, st in rows]


_ISSUED_ORDER = (Invoice.date, Invoice.series, Invoice.seq, Invoice.id)
_FAR = 5000  # rows; a page further than this from the start is read from the end


def _page(session: Session, query: Select[Any], order: tuple[Any, ...], offset: int,
          limit: int | None, params: dict[str, Any]) -> list[Any]:
    query = query.options(selectinload(Invoice.lines)).order_by(*order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query, params))


def _issued_page(session: Session, issued: Select[Any], offset: int, limit: int | None,
                 newest_first: bool, params: dict[str, Any]) -> list[Any]:
    forward = tuple(c.desc() for c in _ISSUED_ORDER) if newest_first else _ISSUED_ORDER
    if offset > _FAR and limit is not None:
        total = int(session.scalar(select(func.count()).select_from(issued.subquery()),
                                   params) or 0)
        if offset > total // 2:  # nearer the end: read the page backwards from there
            end = min(offset + limit, total)
            if end <= offset:
                return []
            backward = _ISSUED_ORDER if newest_first else tuple(c.desc() for c in _ISSUED_ORDER)
            return _page(session, issued, backward, total - end, end - offset, params)[::-1]
    return _page(session, issued, forward, offset, limit, params)
