"""The audit trail: every change to the books, written in the same transaction.

A flush listener records, for every row inserted, updated or deleted through the ORM,
what changed (before and after, as JSON), when, and from which interface (``cli``, ``tui``,
``demo``...). The ``audit_log`` table is append-only: database triggers refuse UPDATE and
DELETE. Health-note texts are not copied into the log (only that a note was written).

Bulk statements run through a session (``session.execute(update(Model)...)``, ``delete``,
``insert``) bypass the flush; :func:`_on_execute` records them row by row (it reads the
rows before and after), and refuses raw SQL text that would change the books unlogged.
The TUI and ``solebook audit`` read the log through ``ledger.privacy.audit_log``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Date, DateTime, Table, TextClause, Time, event, insert, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from ledger.store import bulk
from ledger.store.models import AuditEntry, Base

PRIVATE = {"health_note": {"text"}}
SKIP = (AuditEntry,)
UNLOGGED_TABLES = {"audit_log", "alembic_version"}
ERASED = "(erased)"
KEYS = {"id", "client_id", "invoice_id", "session_id"}
_RAW_DML = re.compile(r"^\s*(insert|update|delete|replace)\b", re.IGNORECASE)


_AS_IS = (str, int, type(None))
_ISO = (datetime, date, time)


def _plain(value: Any) -> Any:
    if type(value) in _AS_IS:  # the usual case, first
        return value
    if isinstance(value, _ISO):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _columns(obj: Base) -> list[str]:
    return [attr.key for attr in inspect(obj).mapper.column_attrs]


def _redact(obj: Base | str, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` as the audit trail keeps them: private texts replaced (only that one was
    written shows); dates and amounts are written as text by :func:`dump`."""
    table = obj if isinstance(obj, str) else obj.__tablename__
    hidden = PRIVATE.get(table)
    if not hidden:
        return values
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


def _as_text(value: Any) -> Any:
    """What JSON cannot write itself: a date or time as ISO text, a Decimal as text."""
    plain = _plain(value)
    if plain is value:
        raise TypeError(f"{type(value).__name__} cannot be written to the audit trail")
    return plain


# what json.dumps(..., ensure_ascii=False, sort_keys=True) makes
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=_as_text)


def dump(values: dict[str, Any] | None) -> str | None:
    return None if values is None else _JSON.encode(values)


def _after_flush(session: Session, _context: Any) -> None:
    at, interface = _stamp(session)
    erasing = session.info.get("erasing", False)
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
            if erasing and before:  # forgetting a client must not copy what it erases
                before = {k: (ERASED if v not in (None, "") and k not in KEYS else v)
                          for k, v in before.items()}
            rows.append({
                "at": at, "interface": interface, "action": action,
                "entity": obj.__tablename__, "entity_id": _identity(obj),
                "before": dump(before), "after": dump(after),
            })
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def _stamp(session: Session) -> tuple[datetime, str]:
    clock = session.info.get("clock")
    return (clock.now() if clock is not None else datetime.now(),
            session.info.get("interface", "cli"))


def _row_values(table: Table, row: Any) -> dict[str, Any]:
    mapping = row._mapping
    return {column.key: mapping[column] for column in table.columns}


def _on_execute(state: ORMExecuteState) -> Any:
    """Record bulk INSERT/UPDATE/DELETE made with ``session.execute`` (no flush sees them)."""
    statement = state.statement
    if isinstance(statement, TextClause):
        if _RAW_DML.match(statement.text):
            raise RuntimeError("raw SQL that changes the books would bypass the audit trail; "
                               "use the ORM or update()/delete() statements")
        return None
    if not (state.is_update or state.is_delete or state.is_insert):
        return None
    table: Table = statement.table  # type: ignore[attr-defined]
    if table.name in UNLOGGED_TABLES:
        return None
    conn = state.session.connection()
    keys = list(table.primary_key.columns)
    at, interface = _stamp(state.session)

    def entry(action: str, row: dict[str, Any], before: Any, after: Any) -> dict[str, Any]:
        return {"at": at, "interface": interface, "action": action, "entity": table.name,
                "entity_id": "/".join(str(row[k.key]) for k in keys),
                "before": dump(before), "after": dump(after)}

    rows: list[dict[str, Any]] = []
    if state.is_insert:
        returning = statement if statement._returning else statement.returning(*table.columns)  # type: ignore[attr-defined]
        frozen = state.invoke_statement(statement=returning).freeze()
        for row in frozen().all():
            values = _row_values(table, row)
            rows.append(entry("insert", values, None, _redact(table.name, values)))
        result = frozen()
    else:
        where = statement.whereclause  # type: ignore[attr-defined]
        query = select(*table.columns)
        if where is not None:
            query = query.where(where)
        before = {tuple(r[k.key] for k in keys): r for r in
                  (_row_values(table, row) for row in conn.execute(query))}
        result = state.invoke_statement()
        if state.is_delete:
            rows = [entry("delete", old, _redact(table.name, old), None) for old in before.values()]
        elif before:
            key_of = {k: list(col) for k, col in zip(keys, zip(*before, strict=True), strict=True)}
            now = {tuple(r[k.key] for k in keys): r for r in (
                _row_values(table, row) for row in conn.execute(
                    select(*table.columns).where(*(k.in_(v) for k, v in key_of.items()))))}
            for key, old in before.items():
                new = now.get(key, {})
                changed = [c for c in old if new.get(c) != old[c]]
                if changed:
                    rows.append(entry("update", old,
                                      _redact(table.name, {c: old[c] for c in changed}),
                                      _redact(table.name, {c: new.get(c) for c in changed})))
    if rows:
        conn.execute(insert(AuditEntry), rows)
    return result


def insert_logged(session: Session, model: type[Base], rows: list[dict[str, Any]], *,
                  unique: str | None = None) -> list[dict[str, Any]]:
    """Insert ``rows`` into ``table`` in one statement and record each row in the audit
    trail, as ``session.execute(insert(...), rows)`` would (the same entries), without
    the ORM's cost per row (a 50,000-line bank statement). Returns the stored rows (every
    column by its key, the generated id included) in the order of ``rows``.

    ``unique``: a column with a unique constraint that every row gives; the generated keys
    are then matched to the rows by it, so the rows need not come back in their order,
    which lets SQLite insert them many to a statement (an INSERT whose RETURNING must
    keep the order of the rows is run there one row at a time)."""
    table = cast(Table, model.__table__)
    if table.name in UNLOGGED_TABLES:
        raise RuntimeError(f"{table.name} is not written through insert_logged")
    conn = session.connection()
    names = [column.key for column in table.columns]
    keys = [names.index(column.key) for column in table.primary_key.columns]
    given = set(rows[0]) if rows else set()
    if len(keys) == 1 and given == set(names) - {names[keys[0]]}:
        # every column but the generated key is given: only the key comes back
        key = names[keys[0]]
        columns = [name for name in names if name != key]
        if unique is not None:  # many rows to a statement, straight through the driver
            by_unique = dict((value, new) for new, value in bulk.insert_returning(
                conn, table, columns, rows, (key, unique)))
            ids = [(by_unique[row[unique]],) for row in rows]
        else:
            ids = list(conn.execute(insert(table).returning(
                table.primary_key.columns[0], sort_by_parameter_order=True), rows).all())
        values = [{**row, key: new[0]} for row, new in zip(rows, ids, strict=True)]
    else:
        values = [dict(zip(names, row, strict=True)) for row in conn.execute(
            insert(table).returning(*table.columns, sort_by_parameter_order=True), rows)]
    at, interface = _stamp(session)
    as_text = _times_as_text(table)
    entries = [{"at": at, "interface": interface, "action": "insert", "entity": table.name,
                "entity_id": "/".join(str(value[names[k]]) for k in keys), "before": None,
                "after": dump(_redact(table.name, as_text(value)))} for value in values]
    bulk.insert_many(conn, cast(Table, AuditEntry.__table__), _ENTRY_COLUMNS, entries)
    return values


_ENTRY_COLUMNS = ("at", "interface", "action", "entity", "entity_id", "before", "after")


def _times_as_text(table: Table) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """What gives a row of ``table`` with its dates and times as the audit trail writes
    them (ISO text, as :func:`dump` would), each value turned into text once: the many
    rows of one insert share a few days and one moment."""
    keys = [c.key for c in table.columns if isinstance(c.type, Date | DateTime | Time)]
    texts: dict[Any, Any] = {}

    def convert(row: dict[str, Any]) -> dict[str, Any]:
        out = dict(row)
        for key in keys:
            value = out[key]
            text = texts.get(value)
            if text is None:
                text = _plain(value)
                if len(texts) < 4096:
                    texts[value] = text
            out[key] = text
        return out
    return convert if keys else lambda row: row


def install(factory: sessionmaker[Session]) -> None:
    """Record every change made through sessions of ``factory``."""
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _on_execute)
