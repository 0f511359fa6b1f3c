"""The audit trail: every change to the books, written in the same transaction.

A flush listener records, for every row inserted, updated or deleted through the ORM,
what changed (before and after, as JSON), when, and from which interface (``cli``, ``tui``,
``demo``...). The ``audit_log`` table is append-only: database triggers refuse UPDATE and
DELETE. Health-note texts are not copied into the log (only that a note was written).
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from ledger.models import AuditEntry, Base, HealthNote

PRIVATE = {HealthNote: {"text"}}
SKIP = (AuditEntry,)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _columns(obj: Base) -> list[str]:
    return [attr.key for attr in inspect(obj).mapper.column_attrs]


def _redact(obj: Base, values: dict[str, Any]) -> dict[str, Any]:
    hidden = PRIVATE.get(type(obj), set())  # type: ignore[call-overload]
    return {k: ("(private)" if k in hidden and v else _plain(v)) for k, v in values.items()}


def _changes(obj: Base) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in _columns(obj):
        history = state.attrs[key].history
        if history.has_changes():
            before[key] = history.deleted[0] if history.deleted else None
            after[key] = history.added[0] if history.added else None
    return _redact(obj, before), _redact(obj, after)


def _snapshot(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    values = {}
    for key in _columns(obj):
        history = state.attrs[key].history
        values[key] = history.deleted[0] if history.deleted else getattr(obj, key)
    return _redact(obj, values)


def _identity(obj: Base) -> str:
    state = inspect(obj)
    key = state.identity or state.mapper.primary_key_from_instance(obj)
    return "/".join(str(part) for part in key)


def _dump(values: dict[str, Any] | None) -> str | None:
    return None if values is None else json.dumps(values, ensure_ascii=False, sort_keys=True)


def _after_flush(session: Session, _context: Any) -> None:
    interface = session.info.get("interface", "cli")
    clock = session.info.get("clock")
    at = clock.now() if clock is not None else datetime.now()
    rows = []
    for action, objects in (("insert", session.new), ("update", session.dirty),
                            ("delete", session.deleted)):
        for obj in objects:
            if isinstance(obj, SKIP) or not isinstance(obj, Base):
                continue
            if action == "insert":
                before, after = None, _redact(obj, {k: getattr(obj, k) for k in _columns(obj)})
            elif action == "delete":
                before, after = _snapshot(obj), None
            else:
                before, after = _changes(obj)
                if not after:
                    continue
            rows.append({
                "at": at, "interface": interface, "action": action,
                "entity": obj.__tablename__, "entity_id": _identity(obj),
                "before": _dump(before), "after": _dump(after),
            })
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def install(factory: sessionmaker[Session]) -> None:
    """Record every flush made through sessions of ``factory``."""
    event.listen(factory, "after_flush", _after_flush)


def recent(session: Session, *, limit: int = 200, entity: str | None = None,
           entity_id: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id:
        query = query.where(AuditEntry.entity_id == entity_id)
    return list(session.scalars(query))
