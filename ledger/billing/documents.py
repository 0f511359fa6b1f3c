"""The document archive's records: which issued invoice has which archived file.

The files themselves are written by ``invoices.archive``; this module keeps the
``document`` rows (path relative to the data folder, SHA-256) and the practice logo's
history, so that an invoice re-renders with the logo that was in force when it was issued.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from ledger.books import Books
from ledger.store.models import Document, Invoice, Setting

INVOICE_KINDS = ("invoice", "credit")
LOGO_KEY = "logo"
LOGO_HISTORY_KEY = "logo_history"


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    invoice_id: int | None
    invoice_number: str | None
    kind: str
    path: str  # relative to the data folder, with forward slashes
    sha256: str
    created_at: datetime
    layout: int = 1  # the invoice layout that drew the file


@dataclass(frozen=True)
class LogoVersion:
    since: datetime
    path: str  # relative to the data folder; "" when the logo was removed
    sha256: str


def _info(doc: Document, number: str | None) -> DocumentInfo:
    return DocumentInfo(doc.id, doc.invoice_id, number, doc.kind, doc.path, doc.sha256,
                        doc.created_at, doc.layout)


def archived_documents(books: Books) -> list[DocumentInfo]:
    """Every archived invoice and credit note, in number order."""
    query = (
        select(Document, Invoice.number)
        .join(Invoice, Invoice.id == Document.invoice_id)
        .where(Document.kind.in_(INVOICE_KINDS))
        .order_by(Invoice.date, Invoice.series, Invoice.seq, Document.id)
    )
    with books.db.read() as session:
        return [_info(doc, number) for doc, number in session.execute(query)]


def document_for(books: Books, invoice_id: int) -> DocumentInfo | None:
    query = (
        select(Document, Invoice.number)
        .join(Invoice, Invoice.id == Document.invoice_id)
        .where(Document.invoice_id == invoice_id, Document.kind.in_(INVOICE_KINDS))
        .order_by(Document.id)
    )
    with books.db.read() as session:
        row = session.execute(query).first()
        return _info(*row) if row else None


def unarchived_numbers(books: Books) -> list[str]:
    """Issued invoices and credit notes that have no archived document yet."""
    archived = exists().where(Document.invoice_id == Invoice.id,
                              Document.kind.in_(INVOICE_KINDS))
    query = (
        select(Invoice.number)
        .where(Invoice.number.is_not(None), ~archived)
        .order_by(Invoice.date, Invoice.series, Invoice.seq)
    )
    with books.db.read() as session:
        return [number for number in session.scalars(query) if number]


def record_document(books: Books, invoice_id: int, kind: str, path: str,
                    sha256: str, layout: int = 1) -> DocumentInfo:
    """Record an archived file (once: a second call for the same path returns the row)."""
    try:
        with books.db.write() as session:
            doc = Document(invoice_id=invoice_id, kind=kind, path=path, sha256=sha256,
                           created_at=books.clock.now(), layout=layout)
            session.add(doc)
            session.flush()
            invoice = session.get(Invoice, invoice_id) if invoice_id else None
            return _info(doc, invoice.number if invoice else None)
    except IntegrityError:  # another process archived it at the same moment
        with books.db.read() as session:
            doc = session.scalars(select(Document).where(Document.path == path)).one()
            invoice = session.get(Invoice, doc.invoice_id) if doc.invoice_id else None
            return _info(doc, invoice.number if invoice else None)


def logo_history(books: Books) -> list[LogoVersion]:
    """The logo settings over time, oldest first (append-only)."""
    with books.db.read() as session:
        row = session.get(Setting, LOGO_HISTORY_KEY)
        raw = json.loads(row.value) if row is not None and row.value else []
    return [LogoVersion(datetime.fromisoformat(x["since"]), x["path"], x["sha256"])
            for x in raw]


def record_logo(books: Books, path: str, sha256: str) -> LogoVersion:
    """Make ``path`` the logo from now on ("" removes it); the history keeps the old one."""
    version = LogoVersion(books.clock.now(), path, sha256)
    with books.db.write() as session:
        history = session.get(Setting, LOGO_HISTORY_KEY)
        if history is None:
            history = Setting(key=LOGO_HISTORY_KEY, value="[]")
            session.add(history)
        entries = json.loads(history.value or "[]")
        entries.append({"since": version.since.isoformat(), "path": path, "sha256": sha256})
        history.value = json.dumps(entries)
        current = session.get(Setting, LOGO_KEY)
        if current is None:
            session.add(Setting(key=LOGO_KEY, value=path))
        else:
            current.value = path
    return version


def logo_at(history: list[LogoVersion], when: datetime | None) -> LogoVersion | None:
    """The logo in force at ``when`` (None: the current one); None when there was none."""
    chosen = None
    for version in history:
        if when is None or version.since <= when:
            chosen = version
    return chosen if chosen is not None and chosen.path else None
