"""The year's figures per therapist: turnover, sessions, treatment hours, open invoices.

Each therapist has their own 1,225-hour criterion, so hours are counted per therapist.
A treatment's turnover belongs to the therapist who gave it (an invoice line of a session,
and a credit line of such a line); what has no treatment behind it (a series sold by the
practice, a line typed by hand) is the practice's own share, so that the therapists' and
the practice's shares add up to the practice's figures exactly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.base.codes import SessionStatus, is_missed
from ledger.base.parse import check_year
from ledger.books import Books
from ledger.practice.therapists import line_therapist, load_therapist
from ledger.store.models import Invoice, InvoiceLine, Therapist, TreatmentSession
from ledger.yearend.figures import debtors_at


@dataclass(frozen=True)
class TherapistYear:
    """One therapist's year (``therapist_id`` None: the practice's own share)."""

    year: int
    therapist_id: int | None
    name: str
    turnover_net: int
    vat: int
    turnover_gross: int
    sessions_given: int
    sessions_missed: int
    treatment_minutes: int
    open_at_year_end: int
    open_invoices: int

    @property
    def treatment_hours(self) -> Decimal:
        """Hours given, as the practice's year figures count them."""
        return (Decimal(self.treatment_minutes) / 60).quantize(Decimal("0.01"))


def _turnover(session: Session, year: int) -> dict[int | None, tuple[int, int, int]]:
    who = line_therapist().label("therapist_id")
    rows = session.execute(
        select(who, func.coalesce(func.sum(InvoiceLine.net_cents), 0),
               func.coalesce(func.sum(InvoiceLine.vat_cents), 0),
               func.coalesce(func.sum(InvoiceLine.gross_cents), 0))
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(Invoice.number.is_not(None), Invoice.date >= date(year, 1, 1),
               Invoice.date <= date(year, 12, 31))
        .group_by(who))
    return {tid: (int(net), int(vat), int(gross)) for tid, net, vat, gross in rows}


def _sessions(session: Session, year: int) -> dict[int, tuple[int, int, int]]:
    s = TreatmentSession
    rows = session.execute(
        select(s.therapist_id, s.status, func.count(), func.sum(s.duration_min))
        .where(s.date >= date(year, 1, 1), s.date <= date(year, 12, 31))
        .group_by(s.therapist_id, s.status))
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for tid, status, count, minutes in rows:
        if status == SessionStatus.GIVEN:
            found[tid][0] += int(count)
            found[tid][2] += int(minutes or 0)
        elif is_missed(status):  # planned and in time cancelled ones are neither
            found[tid][1] += int(count)
    return {tid: (a, b, c) for tid, (a, b, c) in found.items()}


def _open(session: Session, year: int) -> dict[int | None, tuple[int, int]]:
    debtors = debtors_at(session, date(year, 12, 31))
    if not debtors:
        return {}
    ids = [d.invoice_id for d in debtors]
    who = line_therapist()
    owner: dict[int, int | None] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        owner.update(session.execute(
            select(InvoiceLine.invoice_id, func.min(who))
            .where(InvoiceLine.invoice_id.in_(chunk)).group_by(InvoiceLine.invoice_id)).all())
    found: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for d in debtors:
        entry = found[owner.get(d.invoice_id)]
        entry[0] += d.open
        entry[1] += 1
    return {tid: (amount, count) for tid, (amount, count) in found.items()}


def therapist_years(books: Books, year: int) -> list[TherapistYear]:
    """Every therapist's year (active ones, and archived ones with figures), then the
    practice's own share when it has any."""
    check_year(year)
    with books.db.read() as session:
        turnover, sessions, open_ = (_turnover(session, year), _sessions(session, year),
                                     _open(session, year))
        result = []
        for t in session.scalars(select(Therapist).order_by(Therapist.id)):
            if not (t.active or t.id in turnover or t.id in sessions or t.id in open_):
                continue
            result.append(_year(year, t.id, t.name, turnover, sessions, open_))
        if None in turnover or None in open_:
            result.append(_year(year, None, "", turnover, sessions, open_))
        return result


def therapist_year(books: Books, year: int, therapist_id: int) -> TherapistYear:
    """One therapist's year."""
    check_year(year)
    with books.db.read() as session:
        therapist = load_therapist(session, therapist_id)
        return _year(year, therapist.id, therapist.name, _turnover(session, year),
                     _sessions(session, year), _open(session, year))


def _year(year: int, tid: int | None, name: str,
          turnover: dict[int | None, tuple[int, int, int]],
          sessions: dict[int, tuple[int, int, int]],
          open_: dict[int | None, tuple[int, int]]) -> TherapistYear:
    net, vat, gross = turnover.get(tid, (0, 0, 0))
    given, missed, minutes = sessions.get(tid, (0, 0, 0)) if tid is not None else (0, 0, 0)
    amount, count = open_.get(tid, (0, 0))
    return TherapistYear(year, tid, name, net, vat, gross, given, missed, minutes, amount,
                         count)
