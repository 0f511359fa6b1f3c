"""Storage: archived documents and the audit log (append-only)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ledger.store.models.base import Base


class Document(Base):
    """A document the program wrote and archived (an issued invoice's PDF, a statement)."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"))
    kind: Mapped[str] = mapped_column(String(20))
    path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # which version of the document's layout drew the file (see invoices.invoice_pdf.LAYOUT)
    layout: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __table_args__ = (
        UniqueConstraint("path", name="uq_document_path"),
        Index("ix_document_invoice", "invoice_id"),
    )


class AuditEntry(Base):
    """One change to the books: append-only (triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    interface: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(10))  # insert, update, delete
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    # the database role that made the change: on PostgreSQL a trigger sets current_user
    # (nobody can write another name); on SQLite ""
    db_role: Mapped[str] = mapped_column(String(63), server_default="")

    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),
                      Index("ix_audit_log_at", "at"))
