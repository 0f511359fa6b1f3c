"""A client's rights under the AVG (GDPR): everything stored about them, and erasure.

:func:`export_client` gathers every row about one client (details, private notes,
sessions, packages, invoices with their lines and payments, archived documents and the
audit-log entries about those rows) as plain JSON values.

:func:`forget_client` erases what the retention rules allow (DOMAIN-NL "Records"):

- private (health) notes are erased on request, always;
- financial records (issued invoices, credit notes, payments, packages and the sessions
  they rest on) are kept 7 years after the end of the year of the last one. Within that
  period the client's name, address and date of birth stay (they are on the invoices and
  an insurer or the tax office may ask for them); e-mail and phone are erased and the
  client is archived;
- when the last financial record is older than that, the client is anonymised;
- a client without any records is deleted altogether.

Issued invoices are never changed, so their frozen copy of the name and address stays for
as long as the invoice exists. The audit log is append-only and part of the books: it keeps
earlier changes (without health-note texts, which never enter it); the erasure itself is
logged with the erased values shown as ``(erased)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.orm import Session

from ledger.base.codes import HAPPENED_STATUSES
from ledger.base.money import json_amount
from ledger.books import Books
from ledger.practice.clients import load_client
from ledger.store.models import (
    AuditEntry,
    Base,
    Document,
    HealthNote,
    Invoice,
    InvoiceLine,
    Package,
    Payment,
    TreatmentSession,
)

RETENTION_YEARS = 7
ERASED_MARK = "(erased)"


def _plain(row: Base) -> dict[str, Any]:
    """A row as JSON values: amounts as euro strings (``price_cents`` -> ``price``)."""
    out: dict[str, Any] = {}
    for attr in row.__mapper__.column_attrs:
        value = getattr(row, attr.key)
        key = attr.key
        if key.endswith("_cents") and isinstance(value, int):
            key, value = key[: -len("_cents")], json_amount(value)
        elif isinstance(value, datetime | date | time):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        out[key] = value
    return out


def _ids(rows: list[Any]) -> list[int]:
    return [row.id for row in rows]


def export_client(books: Books, client_id: int) -> dict[str, Any]:
    """Everything stored about one client, as a JSON-ready dict."""
    with books.db.read() as session:
        client = load_client(session, client_id)
        notes = session.scalars(select(HealthNote).where(HealthNote.client_id == client_id)
                                .order_by(HealthNote.id)).all()
        sessions = session.scalars(select(TreatmentSession).where(
            TreatmentSession.client_id == client_id).order_by(TreatmentSession.id)).all()
        packages = session.scalars(select(Package).where(Package.client_id == client_id)
                                   .order_by(Package.id)).all()
        invoices = session.scalars(select(Invoice).where(Invoice.client_id == client_id)
                                   .order_by(Invoice.id)).all()
        invoice_ids = _ids(list(invoices))
        lines = session.scalars(select(InvoiceLine).where(
            InvoiceLine.invoice_id.in_(invoice_ids)).order_by(InvoiceLine.id)).all()
        payments = session.scalars(select(Payment).where(Payment.invoice_id.in_(invoice_ids))
                                   .order_by(Payment.id)).all()
        documents = session.scalars(select(Document).where(
            Document.invoice_id.in_(invoice_ids)).order_by(Document.id)).all()
        about = [("client", str(client_id))] + [
            (table, str(row_id)) for table, rows in (
                ("health_note", notes), ("treatment_session", sessions), ("package", packages),
                ("invoice", invoices), ("invoice_line", lines), ("payment", payments),
                ("document", documents))
            for row_id in _ids(list(rows))
        ]
        audit = _audit_about(session, about)
        by_invoice: dict[int, dict[str, Any]] = {}
        for invoice in invoices:
            by_invoice[invoice.id] = {**_plain(invoice), "lines": [], "payments": []}
        for line in lines:
            by_invoice[line.invoice_id]["lines"].append(_plain(line))
        for payment in payments:
            by_invoice[payment.invoice_id]["payments"].append(_plain(payment))
        return {
            "exported_at": books.clock.now().isoformat(timespec="seconds"),
            "client": _plain(client),
            "health_notes": [_plain(note) for note in notes],
            "sessions": [_plain(row) for row in sessions],
            "packages": [_plain(row) for row in packages],
            "invoices": list(by_invoice.values()),
            "documents": [_plain(row) for row in documents],
            "audit_log": audit,
            "retention": {
                "financial_records_until": _kept_until(session, client_id),
                "rule": f"invoices, payments and the records they rest on are kept "
                        f"{RETENTION_YEARS} years (Dutch tax law)",
            },
        }


def _audit_about(session: Session, about: list[tuple[str, str]]) -> list[dict[str, Any]]:
    entries: list[AuditEntry] = []
    for start in range(0, len(about), 500):  # keep the IN list short for SQLite
        chunk = about[start:start + 500]
        entries.extend(session.scalars(select(AuditEntry).where(
            tuple_(AuditEntry.entity, AuditEntry.entity_id).in_(chunk))))
    import json

    return [
        {"id": e.id, "at": e.at.isoformat(timespec="seconds"), "interface": e.interface,
         "action": e.action, "entity": e.entity, "entity_id": e.entity_id,
         "before": json.loads(e.before) if e.before else None,
         "after": json.loads(e.after) if e.after else None}
        for e in sorted(entries, key=lambda e: e.id)
    ]


def last_financial_date(session: Session, client_id: int) -> date | None:
    """The latest date of an issued invoice, payment, package sale or session that took
    place (or was missed); an appointment ahead is no record yet."""
    candidates = [
        select(func.max(Invoice.date)).where(Invoice.client_id == client_id,
                                             Invoice.number.is_not(None)),
        select(func.max(Payment.date)).join(Invoice, Invoice.id == Payment.invoice_id)
        .where(Invoice.client_id == client_id),
        select(func.max(Package.sold_on)).where(Package.client_id == client_id),
        select(func.max(TreatmentSession.date)).where(
            TreatmentSession.client_id == client_id,
            TreatmentSession.status.in_(HAPPENED_STATUSES)),
    ]
    dates = [d for d in (session.scalar(q) for q in candidates) if d is not None]
    return max(dates) if dates else None


def _kept_until(session: Session, client_id: int) -> str | None:
    last = last_financial_date(session, client_id)
    return date(last.year + RETENTION_YEARS, 12, 31).isoformat() if last else None


@dataclass(frozen=True)
class ForgetReport:
    """What forgetting a client did (or, as a preview, would do), and why."""

    client_id: int
    outcome: str  # deleted, anonymised, restricted
    erased: tuple[str, ...]
    kept: tuple[tuple[str, str], ...]  # (what, why)
    notes_erased: int
    kept_until: date | None
    done: bool = field(default=False)


CONTACT = ("email", "phone")
IDENTITY = ("name", "address", "postcode", "city", "birth_date")


def forget_client(books: Books, client_id: int, *, apply: bool = True) -> ForgetReport:
    """Erase what the rules allow; with ``apply=False`` only say what would happen."""
    today = books.clock.today()
    with books.db.write() as session:
        session.info["erasing"] = True  # the audit trail shows erased values as "(erased)"
        client = load_client(session, client_id)
        notes = int(session.scalar(select(func.count()).where(
            HealthNote.client_id == client_id)) or 0)
        last = last_financial_date(session, client_id)
        drafts = session.scalars(select(Invoice).where(
            Invoice.client_id == client_id, Invoice.number.is_(None))).all()
        until = date(last.year + RETENTION_YEARS, 12, 31) if last else None
        kept: list[tuple[str, str]] = []
        erased: tuple[str, ...]
        has_rows = last is not None or bool(drafts) or bool(session.scalar(
            select(func.count()).select_from(Invoice).where(Invoice.client_id == client_id)))
        if not has_rows:
            outcome = "deleted"
            erased = ("the client record", "private notes")
        elif until is not None and today <= until:
            outcome = "restricted"
            erased = ("private notes", "e-mail", "phone", "draft invoices")
            kept = [
                ("name, address and date of birth",
                 f"they are on invoices that must be kept until {until.isoformat()} "
                 f"({RETENTION_YEARS} years, Dutch tax law)"),
                ("sessions, packages, invoices and payments",
                 f"financial records, kept until {until.isoformat()}"),
            ]
        else:
            outcome = "anonymised"
            erased = ("private notes", "name", "address", "e-mail", "phone",
                      "date of birth", "draft invoices")
        if any(i.number for i in session.scalars(select(Invoice).where(
                Invoice.client_id == client_id))):
            kept.append(("the copy of name and address on issued invoices",
                         "issued invoices are never changed"))
        kept.append(("earlier entries in the audit log (never health-note texts)",
                     "the log of changes is part of the books and cannot be altered"))
        if apply:
            session.execute(delete(HealthNote).where(HealthNote.client_id == client_id))
            if outcome == "deleted":
                session.delete(client)
            else:
                for draft in drafts:
                    session.delete(draft)
                client.email, client.phone = "", ""
                if outcome == "anonymised":
                    client.name = f"Client {client_id} {ERASED_MARK}"
                    client.address = client.postcode = client.city = ""
                    client.birth_date = None
                client.archived_at = client.archived_at or books.clock.now()
            session.flush()
        return ForgetReport(client_id, outcome, erased, tuple(kept), notes, until, apply)

