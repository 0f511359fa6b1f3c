"""Issuing: the next number of the year's series and the freeze, in one transaction.

Freezing copies the practice's and the client's details onto the invoice
(:func:`ledger.practice.clients.client_snapshot` decides which client details are kept);
from then on the code and database triggers refuse to change or delete it. Corrections are
credit notes (:mod:`ledger.billing.credits`).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ledger.base.codes import InvoiceKind, VatRegime
from ledger.base.errors import RuleViolation
from ledger.base.money import split_gross
from ledger.base.views import InvoiceInfo, PracticeInfo
from ledger.billing.drafts import effective_rate
from ledger.billing.status import find_invoice, invoice_info
from ledger.books import Books
from ledger.derived import sums
from ledger.practice.clients import client_info, client_snapshot, load_client
from ledger.practice.profile import format_number, practice_info, series_for, snapshot
from ledger.practice.therapists import invoice_therapist_id
from ledger.store.models import Invoice, InvoiceSequence


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
    if practice.vat_regime == VatRegime.STANDARD and not practice.vat_id:
        missing.append("VAT id (btw-id)")
    return missing


def freeze(session: Session, books: Books, invoice: Invoice, on: date | None = None) -> None:
    """Number and freeze a draft (inside the caller's transaction)."""
    if invoice.number is not None:
        raise RuleViolation("invoice: {number} is already issued", number=invoice.number)
    if not invoice.lines:
        raise RuleViolation("invoice: a draft without lines cannot be issued")
    practice = practice_info(session, invoice_therapist_id(session, invoice.id))
    client = load_client(session, invoice.client_id)
    when = on or books.clock.today()
    if invoice.kind == InvoiceKind.INVOICE:
        invoice.vat_regime = practice.vat_regime
        for line in invoice.lines:  # a draft is priced under the regime in force at issue
            rate = effective_rate(practice.vat_regime, line.vat_rate)
            if rate != line.vat_rate:
                line.vat_rate = rate
                line.net_cents, line.vat_cents = split_gross(line.gross_cents, rate)
        session.flush()
        if not practice.vat_id and any(line.vat_rate > 0 for line in invoice.lines):
            raise RuleViolation(
                "invoice: an invoice that charges VAT needs the practice's btw-id; fill it in "
                "under Settings (solebook practice set --vat-id)")
    invoice.regime_text = {"exempt": practice.exempt_text, "kor": practice.kor_text}.get(
        invoice.vat_regime, ""
    )
    series, seq, number = _next_number(session, practice.number_pattern, when.year)
    invoice.series, invoice.seq, invoice.number = series, seq, number
    invoice.date = when
    invoice.due_date = when + timedelta(days=practice.payment_term)
    invoice.practice_snapshot = json.dumps(snapshot(practice), sort_keys=True)
    invoice.client_snapshot = json.dumps(client_snapshot(client_info(client)), sort_keys=True)
    invoice.net_cents = sum(line.net_cents for line in invoice.lines)
    invoice.vat_cents = sum(line.vat_cents for line in invoice.lines)
    invoice.total_cents = sum(line.gross_cents for line in invoice.lines)
    invoice.issued_at = books.clock.now()
    session.flush()
    sums.issued(session, invoice)


def issue_invoice(books: Books, ref: str | int, on: date | None = None) -> InvoiceInfo:
    """Issue a draft: next number, frozen for good."""
    with books.db.write() as session:
        invoice = find_invoice(session, ref)
        freeze(session, books, invoice, on)
        return invoice_info(session, books, invoice.id)
