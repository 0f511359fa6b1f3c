"""Many rows at once, straight through the database driver: what a 50,000-line bank
statement needs.

For every row of a bulk statement SQLAlchemy builds the driver's parameters from the row's
dict, and for every value of an ``IN (...)`` list it renders a parameter of its own; for
tens of thousands of rows that costs more than the database's own work. The functions here
write each statement once from the table's metadata (names and columns as the models
declare them) and hand the driver plain tuples. Every value still goes through the
column type's own bind and result processors of the dialect in use (what SQLAlchemy
would apply), so a date is stored and read back exactly as through the ORM (on SQLite the
text ``2026-03-01``, on PostgreSQL a ``date``).

Statements run on the session's connection, inside its transaction; the engine's events
(the write tracking of :mod:`ledger.store.db`) see them as any other. Nothing here writes
the audit trail: :func:`ledger.store.audit.insert_logged` does that for what it inserts.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table

#: Parameters in one statement: within SQLite's limit (32,766 since 3.32) and PostgreSQL's
#: (65,535); and never more rows than this to a statement.
MAX_PARAMETERS = 30_000
MAX_ROWS = 1_000
IN_CHUNK = 900  # values of an ``IN (...)`` list at a time


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused for a bulk action, and afterwards as it was. The
    rows, lines and views such an action makes form no cycles, and with tens of thousands
    of them alive every collection walks them all (a quarter of a second of a
    50,000-line statement's import); whatever cycles it leaves are collected after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def page_cache(conn: Connection, megabytes: int) -> Iterator[None]:
    """SQLite's page cache of ``conn`` at up to ``megabytes`` (its default is 2 MB) for a
    bulk action, and afterwards as it was; on other databases nothing. Inserting tens of
    thousands of rows into an index of keys in no order (an import key, a hash) touches
    its pages all over: with the whole index in the cache they are not written out and
    read back (a 50,000-line statement is stored 0.13 s sooner with 6 MB). The cache
    grows only as pages are read, so a small action takes no more memory."""
    if conn.dialect.name != "sqlite":
        yield
        return
    was = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = {-1024 * megabytes:d}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(was or -2000):d}")


def _mark(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _names(conn: Connection, table: Table, keys: Sequence[str]) -> str:
    """The columns ``keys`` as the SQL names them (quoted where the dialect needs it)."""
    quote = conn.dialect.identifier_preparer.quote
    return ", ".join(quote(table.c[key].name) for key in keys)


def _table(conn: Connection, table: Table) -> str:
    return str(conn.dialect.identifier_preparer.format_table(table))


def _binders(conn: Connection, table: Table, names: Sequence[str]
             ) -> list[Callable[[Any], Any] | None]:
    """Per column, what turns a Python value into the driver's (None: as it is). Values
    that repeat (a day, the moment of the import) are converted once."""
    dialect = conn.dialect
    out: list[Callable[[Any], Any] | None] = []
    for name in names:
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        out.append(None if process is None else _once(process))
    return out


def _once(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if value is None:
            return None
        try:
            return seen[value]
        except KeyError:
            result = process(value)
            if len(seen) < 4096:
                seen[value] = result
            return result
        except TypeError:  # not hashable
            return process(value)
    return convert


def _tuples(rows: Iterable[dict[str, Any]], names: Sequence[str],
            binders: Sequence[Callable[[Any], Any] | None]) -> list[tuple[Any, ...]]:
    get = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    converted = [(i, bind) for i, bind in enumerate(binders) if bind is not None]
    if not converted:
        return list(map(get, rows))
    out: list[tuple[Any, ...]] = []
    for row in rows:
        values = list(get(row))
        for i, bind in converted:
            values[i] = bind(values[i])
        out.append(tuple(values))
    return out


def insert_returning(conn: Connection, table: Table, names: Sequence[str],
                     rows: Sequence[dict[str, Any]], returning: Sequence[str]
                     ) -> list[tuple[Any, ...]]:
    """Insert ``rows`` (each giving the columns ``names``), many rows to a statement, and
    return the ``returning`` columns of every row stored, in no particular order (match
    them to the rows by a unique column among them)."""
    if not rows:
        return []
    binders = _binders(conn, table, names)
    values = _tuples(rows, names, binders)
    mark = _mark(conn)
    group = "(" + ", ".join([mark] * len(names)) + ")"
    per = max(1, min(MAX_ROWS, MAX_PARAMETERS // len(names)))
    head = f"INSERT INTO {_table(conn, table)} ({_names(conn, table, names)}) VALUES "
    tail = f" RETURNING {_names(conn, table, returning)}"
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(values), per):
        part = values[start:start + per]
        sql = head + ", ".join([group] * len(part)) + tail
        flat = tuple(chain.from_iterable(part))
        out += [tuple(row) for row in conn.exec_driver_sql(sql, flat)]
    return out


def insert_many(conn: Connection, table: Table, names: Sequence[str],
                rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (each giving the columns ``names``) with the driver's executemany."""
    if not rows:
        return
    values = _tuples(rows, names, _binders(conn, table, names))
    mark = _mark(conn)
    sql = (f"INSERT INTO {_table(conn, table)} ({_names(conn, table, names)}) "
           f"VALUES ({', '.join([mark] * len(names))})")
    conn.exec_driver_sql(sql, values)


def rows_where_in(conn: Connection, table: Table, names: Sequence[str], column: str,
                  wanted: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
    """The ``names`` columns of the rows of ``table`` whose ``column`` is one of
    ``wanted``, converted as the ORM would read them; a chunk of values at a time. Read
    with the driver's own cursor (no event sees a SELECT; nothing here changes the
    books)."""
    dialect = conn.dialect
    readers = [(i, _once(read)) for i, read in enumerate(
        table.c[name].type.dialect_impl(dialect).result_processor(dialect, None)
        for name in names) if read is not None]
    bind = _binders(conn, table, [column])[0]
    mark = _mark(conn)
    head = (f"SELECT {_names(conn, table, names)} FROM {_table(conn, table)} "
            f"WHERE {_names(conn, table, [column])} IN ")
    cursor = conn.connection.cursor()
    try:
        for start in range(0, len(wanted), IN_CHUNK):
            part = [v if bind is None else bind(v) for v in wanted[start:start + IN_CHUNK]]
            cursor.execute(head + "(" + ", ".join([mark] * len(part)) + ")", tuple(part))
            rows = cursor.fetchall()
            if not readers:
                yield from map(tuple, rows)
                continue
            for row in rows:
                values = list(row)
                for i, read in readers:
                    values[i] = read(values[i])
                yield tuple(values)
    finally:
        cursor.close()
