"""Reading the audit trail: the log as a screen, ``solebook audit`` and its CSV export see it.

Written by the storage hooks in :mod:`ledger.store.audit`; here it is only read.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ledger.base import parse
from ledger.base.errors import N_, InputError
from ledger.store.audit import UNLOGGED_TABLES, dump
from ledger.store.files import write_atomic
from ledger.store.models import AuditEntry, Base

if TYPE_CHECKING:
    from ledger.books import Books


def recent(session: Session, *, limit: int = 200, entity: str | None = None,
           entity_id: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id:
        query = query.where(AuditEntry.entity_id == entity_id)
    return list(session.scalars(query))



# ------------------------------------------------------------------------ reading the log
@dataclass(frozen=True)
class AuditView:
    """One entry of the audit log, for a screen or an export."""

    id: int
    at: datetime
    interface: str
    action: str  # insert, update, delete
    entity: str  # the table: invoice, client, treatment_session, ...
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    db_role: str = ""  # the database role that made the change (PostgreSQL; "" on SQLite)

    @property
    def summary(self) -> str:
        """``name: 'Anna' -> 'Anna de Vries'`` for an update, the fields for the rest."""
        if self.action == "update" and self.before is not None and self.after is not None:
            return ", ".join(f"{k}: {self.before.get(k)!r} -> {self.after.get(k)!r}"
                             for k in sorted(self.after))
        values = self.after if self.action == "insert" else self.before
        return ", ".join(f"{k}={v!r}" for k, v in sorted((values or {}).items())
                         if v not in (None, ""))


def _view(entry: AuditEntry) -> AuditView:
    return AuditView(
        id=entry.id, at=entry.at, interface=entry.interface, action=entry.action,
        entity=entry.entity, entity_id=entry.entity_id,
        before=json.loads(entry.before) if entry.before else None,
        after=json.loads(entry.after) if entry.after else None, db_role=entry.db_role or "",
    )


def _filtered(query: Select[Any], entity: str | None, entity_id: str | None) -> Select[Any]:
    if entity is not None:
        kinds = sorted(set(Base.metadata.tables) - UNLOGGED_TABLES)
        if entity not in kinds:
            shown = parse.parse_name(entity, N_("entity"))[:40]
            raise InputError("entity", "{entity!r} is not a kind of record (one of: {items})",
                             entity=shown, items=", ".join(kinds))
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        entity_id = parse.parse_name(str(entity_id), N_("id"), max_length=40)
        query = query.where(AuditEntry.entity_id == entity_id)
    return query


def list_entries(books: Books, limit: int | None = 200, offset: int = 0, *,
                 entity: str | None = None, entity_id: str | None = None,
                 oldest_first: bool = False) -> list[AuditView]:
    """The audit log, newest first (for the TUI's lazy list: ``limit`` and ``offset``)."""
    order = AuditEntry.id if oldest_first else AuditEntry.id.desc()
    query = _filtered(select(AuditEntry), entity, entity_id).order_by(order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with books.db.read() as session:
        return [_view(entry) for entry in session.scalars(query)]


def count_entries(books: Books, *, entity: str | None = None,
                  entity_id: str | None = None) -> int:
    query = _filtered(select(func.count()).select_from(AuditEntry), entity, entity_id)
    with books.db.read() as session:
        return int(session.scalar(query) or 0)


def has_db_roles(books: Books) -> bool:
    """Does any entry name the database role that made it (PostgreSQL)?"""
    query = select(AuditEntry.id).where(AuditEntry.db_role != "").limit(1)
    with books.db.read() as session:
        return session.scalar(query) is not None


CSV_COLUMNS = ("id", "at", "interface", "action", "entity", "entity_id", "before", "after")


def export_csv(books: Books, path: Path, *, entity: str | None = None,
               entity_id: str | None = None) -> int:
    """Write the log (oldest first) as CSV, atomically, mode 0600; returns the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    entries = list_entries(books, None, entity=entity, entity_id=entity_id, oldest_first=True)
    for e in entries:
        writer.writerow([e.id, e.at.isoformat(timespec="seconds"), e.interface, e.action,
                         e.entity, e.entity_id, dump(e.before) or "", dump(e.after) or ""])
    write_atomic(path, buffer.getvalue().encode("utf-8"), field="out")
    return len(entries)
