"""Invoices and credit notes: drafts, issuing (numbering + freezing), status, payments.

An invoice is a draft until it is issued. Issuing takes the next number of the year's
series and freezes the invoice, with copies of the practice's and client's details, in one
transaction; from then on the code and database triggers refuse to change or delete it.
Corrections are credit notes. Paid / overdue / credited are derived, never stored.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Date, Select, bindparam, case, func, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ledger.base.errors import InputError, NotFound, RuleViolation
from ledger.base.money import format_money, split_gross
from ledger.base.views import InvoiceInfo, LineInfo, PaymentInfo, PracticeInfo, VatRow
from ledger.books import Books
from ledger.derived import sums
from ledger.practice.clients import client_info, load_client
from ledger.practice.profile import format_number, practice_info, series_for, snapshot
from ledger.store.models import Client, Invoice, InvoiceLine, InvoiceSequence, Payment
from ledger.store.models.derived import Settlement

ZERO = Decimal(0)
METHODS = {
    "bank": "bank", "overboeking": "bank", "transfer": "bank", "bank transfer": "bank",
    "pin": "pin", "card": "pin", "kaart": "pin", "cash": "cash", "contant": "cash",
    "other": "other", "anders": "other",
}


# ---------------------------------------------------------------------------- lines
def effective_rate(regime: str, rate: Decimal) -> Decimal:
    """Outside the standard regime no VAT is charged (exempt, KOR)."""
    return rate if regime == "standard" else ZERO


def new_line(
    invoice: Invoice,
    *,
    description: str,
    quantity: int,
    unit_price: int,
    vat_rate: Decimal,
    supply_date: date | None = None,
    performance_code: str = "",
    session_id: int | None = None,
    package_id: int | None = None,
    credited_line_id: int | None = None,
) -> InvoiceLine:
    gross = quantity * unit_price
    net, vat = split_gross(gross, vat_rate)
    line = InvoiceLine(
        position=len(invoice.lines) + 1, supply_date=supply_date, description=description,
        quantity=quantity, unit_price_cents=unit_price, vat_rate=vat_rate, net_cents=net,
        vat_cents=vat, gross_cents=gross, performance_code=performance_code,
        session_id=session_id, package_id=package_id, credited_line_id=credited_line_id,
    )
    invoice.lines.append(line)
    return line


def new_draft(session: Session, books: Books, client: Client, kind: str = "invoice") -> Invoice:
    practice = practice_info(session)
    invoice = Invoice(
        kind=kind, client_id=client.id, language=client.language or practice.language,
        vat_regime=practice.vat_regime, created_at=books.clock.now(),
    )
    session.add(invoice)
    return invoice


# ---------------------------------------------------------------------------- issuing
def _next_number(session: Session, pattern: str, year: int) -> tuple[str, int, str]:
    series = series_for(pattern, year)
    query = select(InvoiceSequence).where(InvoiceSequence.series == series).with_for_update()
    row = session.scalars(query).first()
    if row is None:
        try:
            with session.begin_nested():
                session.add(InvoiceSequence(series=series, last_seq=0))
        except IntegrityError:  # another connection created the series just now
            pass
        row = session.scalars(query).one()
    row.last_seq += 1
    return series, row.last_seq, format_number(pattern, year, row.last_seq)


def missing_invoice_details(practice: PracticeInfo, client: dict[str, Any]) -> list[str]:
    """What Dutch invoice law asks for that the profile or client lacks (a warning list)."""
    missing = [
        label for label, value in (
            ("practice name", practice.name), ("practice address", practice.address),
            ("practice city", practice.city), ("KvK number", practice.kvk),
            ("IBAN", practice.iban), ("client address", client.get("address", "")),
        ) if not value
    ]
    if practice.vat_regime == "standard" and not practice.vat_id:
        missing.append("VAT id (btw-id)")
    return missing


def freeze(session: Session, books: Books, invoice: Invoice, on: date | None = None) -> None:
    """Number and freeze a draft (inside the caller's transaction)."""
    if invoice.number is not None:
        raise RuleViolation("invoice: {number} is already issued", number=invoice.number)
    if not invoice.lines:
        raise RuleViolation("invoice: a draft without lines cannot be issued")
    practice = practice_info(session)
    client = load_client(session, invoice.client_id)
    when = on or books.clock.today()
    if invoice.kind == "invoice":
        invoice.vat_regime = practice.vat_regime
        for line in invoice.lines:  # a draft is priced under the regime in force at issue
            rate = effective_rate(practice.vat_regime, line.vat_rate)
            if rate != line.vat_rate:
                line.vat_rate = rate
                line.net_cents, line.vat_cents = split_gross(line.gross_cents, rate)
        session.flush()
    invoice.regime_text = {"exempt": practice.exempt_text, "kor": practice.kor_text}.get(
        invoice.vat_regime, ""
    )
    series, seq, number = _next_number(session, practice.number_pattern, when.year)
    info = client_info(client)
    client_snapshot = {
        "name": info.name, "address": info.address, "postcode": info.postcode,
        "city": info.city, "country": info.country, "email": info.email,
        "birth_date": info.birth_date.isoformat() if info.birth_date else "",
    }
    invoice.series, invoice.seq, invoice.number = series, seq, number
    invoice.date = when
    invoice.due_date = when + timedelta(days=practice.payment_term)
    invoice.practice_snapshot = json.dumps(snapshot(practice), sort_keys=True)
    invoice.client_snapshot = json.dumps(client_snapshot, sort_keys=True)
    invoice.net_cents = sum(line.net_cents for line in invoice.lines)
    invoice.vat_cents = sum(line.vat_cents for line in invoice.lines)
    invoice.total_cents = sum(line.gross_cents for line in invoice.lines)
    invoice.issued_at = books.clock.now()
    session.flush()
    sums.issued(session, invoice)


# ---------------------------------------------------------------------------- status
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
    is_credit = Invoice.kind == "credit"
    open_ = case((is_credit, literal(0)), else_=Invoice.total_cents - credited - paid)
    status = case(
        (Invoice.number.is_(None), literal("draft")),
        (is_credit, literal("settled")),
        ((Invoice.total_cents > 0) & (credited >= Invoice.total_cents), literal("credited")),
        (Invoice.total_cents - credited - paid <= 0, literal("paid")),
        (Invoice.due_date < today, literal("overdue")),
        (paid > 0, literal("partly_paid")),
        else_=literal("open"),
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


STATUSES = ("draft", "open", "partly_paid", "paid", "overdue", "credited", "settled")
OPEN_STATUSES = ("open", "partly_paid", "overdue")


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
        if status in OPEN_STATUSES:  # only invoices with something open now (partial index)
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
                       ) if include_drafts and status in (None, "draft") else 0
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


# ---------------------------------------------------------------------------- actions
def issue_invoice(books: Books, ref: str | int, on: date | None = None) -> InvoiceInfo:
    """Issue a draft: next number, frozen for good."""
    with books.db.write() as session:
        invoice = find_invoice(session, ref)
        freeze(session, books, invoice, on)
        return invoice_info(session, books, invoice.id)


def delete_draft(books: Books, ref: str | int) -> None:
    with books.db.write() as session:
        invoice = find_invoice(session, ref)
        if invoice.number is not None:
            raise RuleViolation(
                "invoice: {number} is issued and cannot be deleted; make a credit note",
                number=invoice.number
            )
        session.delete(invoice)


def add_free_line(
    books: Books,
    ref: str | int,
    *,
    description: str,
    amount: int,
    quantity: int = 1,
    vat_rate: Decimal = Decimal(21),
    supply_date: date | None = None,
) -> InvoiceInfo:
    """A line typed by hand on a draft (a product sold, a travel fee)."""
    with books.db.write() as session:
        invoice = find_invoice(session, ref)
        if invoice.number is not None:
            raise RuleViolation(
                "invoice: {number} is issued and cannot be changed", number=invoice.number)
        new_line(invoice, description=description, quantity=quantity, unit_price=amount,
                 vat_rate=vat_rate, supply_date=supply_date or books.clock.today())
        session.flush()
        return invoice_info(session, books, invoice.id)


def _credited_per_line(session: Session, line_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(InvoiceLine.credited_line_id, func.sum(InvoiceLine.gross_cents))
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(InvoiceLine.credited_line_id.in_(line_ids), Invoice.number.is_not(None))
        .group_by(InvoiceLine.credited_line_id)
    )
    return {int(line_id): -int(total) for line_id, total in rows if line_id is not None}


def credit_lines(
    session: Session,
    books: Books,
    original: Invoice,
    amounts: dict[int, int | None],
    *,
    on: date | None = None,
    description: str | None = None,
) -> Invoice:
    """Issue a credit note for some lines of ``original``: ``{line_id: gross or None}``
    where None credits what is left of the line."""
    if original.number is None:
        raise RuleViolation("invoice: a draft is not credited; delete it instead")
    if original.kind != "invoice":
        raise RuleViolation("invoice: {number} is itself a credit note", number=original.number)
    by_id = {line.id: line for line in original.lines}
    unknown = [str(i) for i in amounts if i not in by_id]
    if unknown:
        raise InputError(
            "lines", "{items} not on invoice {number}",
            items=", ".join(unknown), number=original.number)
    done = _credited_per_line(session, list(amounts))
    client = load_client(session, original.client_id)
    credit = new_draft(session, books, client, kind="credit")
    credit.credit_of_id = original.id
    credit.language = original.language
    credit.vat_regime = original.vat_regime
    for line_id, wanted in amounts.items():
        line = by_id[line_id]
        left = line.gross_cents - done.get(line_id, 0)
        amount = left if wanted is None else wanted
        if amount <= 0 or amount > left:
            if left <= 0:
                raise RuleViolation(
                    "invoice: line {position} of {number} has nothing left to credit",
                    position=line.position, number=original.number)
            raise RuleViolation(
                "invoice: line {position} of {number} can be credited by at most {amount}",
                position=line.position, number=original.number, amount=format_money(left))
        whole = amount == line.gross_cents
        credit_line = new_line(
            credit,
            description=description or line.description,
            quantity=-line.quantity if whole else -1,
            unit_price=line.unit_price_cents if whole else amount,
            vat_rate=line.vat_rate, supply_date=line.supply_date,
            performance_code=line.performance_code, package_id=line.package_id,
            credited_line_id=line.id,
        )
        if whole:  # mirror the original exactly
            credit_line.net_cents, credit_line.vat_cents = -line.net_cents, -line.vat_cents
    session.flush()
    freeze(session, books, credit, on)
    return credit


def credit_invoice(
    books: Books, ref: str | int, line_positions: list[int] | None = None,
    on: date | None = None,
) -> InvoiceInfo:
    """A credit note for the whole invoice (what is not yet credited) or chosen lines."""
    with books.db.write() as session:
        original = find_invoice(session, ref)
        if line_positions:
            positions = {line.position: line.id for line in original.lines}
            bad = [str(p) for p in line_positions if p not in positions]
            if bad:
                raise InputError(
                    "lines", "{number} has no line {items}",
                    number=original.number, items=", ".join(bad))
            wanted: dict[int, int | None] = {positions[p]: None for p in line_positions}
        else:
            done = _credited_per_line(session, [line.id for line in original.lines])
            wanted = {
                line.id: None for line in original.lines
                if line.gross_cents - done.get(line.id, 0) > 0
            }
            if not wanted:
                raise RuleViolation(
                    "invoice: {number} is already fully credited", number=original.number)
        credit = credit_lines(session, books, original, wanted, on=on)
        return invoice_info(session, books, credit.id)


def parse_method(text: str) -> str:
    method = METHODS.get(text.strip().lower())
    if method is None:
        raise InputError("method", "must be bank, pin or cash")
    return method


def register_payment(
    books: Books,
    ref: str | int,
    amount: int,
    *,
    on: date | None = None,
    method: str = "bank",
    reference: str = "",
) -> InvoiceInfo:
    """A payment received (or, as a negative amount, a refund paid out)."""
    with books.db.write() as session:
        invoice = find_invoice(session, ref)
        add_payment(session, books, invoice, amount, on=on, method=method, reference=reference)
        return invoice_info(session, books, invoice.id)


def add_payment(
    session: Session,
    books: Books,
    invoice: Invoice,
    amount: int,
    *,
    on: date | None = None,
    method: str = "bank",
    reference: str = "",
) -> Payment:
    """:func:`register_payment` inside the caller's transaction (a bank line paying two
    invoices books both payments in one transaction)."""
    if amount == 0:
        raise InputError("amount", "must not be zero")
    if invoice.number is None:
        raise RuleViolation("invoice: issue the draft before registering a payment")
    if invoice.kind == "credit":
        original = session.get(Invoice, invoice.credit_of_id)
        raise RuleViolation(
            "invoice: register a refund on the original invoice {number} with a negative amount",
            number=original.number if original else "")
    current = invoice_info(session, books, invoice.id)
    if amount > 0 and amount > current.open:
        raise RuleViolation(
            "amount: more than is open on {number} ({amount})",
            number=invoice.number, amount=format_money(current.open)
        )
    if amount < 0 and -amount > max(current.paid, 0):
        raise RuleViolation(
            "amount: a refund cannot exceed what was paid on {number}", number=invoice.number)
    payment = Payment(
        invoice_id=invoice.id, date=on or books.clock.today(), amount_cents=amount,
        method=method, reference=reference, created_at=books.clock.now(),
    )
    session.add(payment)
    session.flush()
    sums.paid(session, payment)
    return payment
