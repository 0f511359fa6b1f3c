"""Read-only lookups straight from an up-to-date SQLite file, without SQLAlchemy.

``solebook invoice pdf NUMBER`` of an invoice whose PDF is already archived only has to
find one row and copy one file; importing SQLAlchemy and the models would be most of its
time (~0.5 s of ~0.6 s here). :func:`current_sqlite_file` makes the checks that opening the
books makes (:func:`ledger.store.sqlite_file.check_sqlite_file`: a sound SQLite file of a
schema this program knows) and then reads with the standard library's sqlite3 -- but only
a file whose schema is already the newest, in WAL mode, so there is nothing to migrate or
convert.
Whenever that does not hold (a server database or any URL, a missing file, an older
schema, no such invoice, nothing archived yet, a file that does not match its checksum)
these functions return None and the caller goes the ordinary way through the books, which
then does and says what it always does. Nothing here writes to the database.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ledger.store.db import ENV_VAR, default_db_path
from ledger.store.migrate import head_revision
from ledger.store.sqlite_file import BUSY_TIMEOUT_MS, check_sqlite_file, secure_sqlite_files

#: Kinds of archived document that are an invoice's PDF (as ledger.billing.documents.INVOICE_KINDS).
INVOICE_KINDS = ("invoice", "credit")


@dataclass(frozen=True)
class ArchivedPdf:
    """An issued invoice's archived PDF, read and checked against its recorded SHA-256."""

    number: str
    path: Path  # the archived file (under the data folder next to the database)
    data: bytes


def current_sqlite_file(db: str | None) -> Path | None:
    """The SQLite file that ``db`` (``--db``, else ``$SOLEBOOK_DB``, else the default)
    names, if it exists, is at the newest schema and in WAL mode; None otherwise.

    A damaged, foreign or newer file raises the same StorageError as opening the books."""
    value = db or os.environ.get(ENV_VAR) or str(default_db_path())
    if "://" in value or "?" in value:  # URLs (and what a URL would read differently)
        return None
    path = Path(value).expanduser().resolve()
    if not path.is_file():
        return None
    check_sqlite_file(path)
    try:
        with reading(path) as conn:
            journal = conn.execute("PRAGMA journal_mode").fetchone()
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    if journal != ("wal",) or revision != (head_revision(),):
        return None
    secure_sqlite_files(path)  # as opening the books does
    return path


def archived_pdf(database_file: Path, number: str) -> ArchivedPdf | None:
    """The archived PDF of the issued invoice or credit note ``number`` (as
    ``invoices.archive.ensure_pdf`` finds it), if it is archived and the file still has
    the recorded SHA-256; None otherwise (not issued, not archived yet, missing, changed)."""
    text = number.strip()
    try:
        with reading(database_file) as conn:
            row = conn.execute(
                "SELECT invoice.number, document.path, document.sha256 FROM invoice "
                "JOIN document ON document.invoice_id = invoice.id "
                f"AND document.kind IN ({', '.join('?' for _ in INVOICE_KINDS)}) "
                "WHERE invoice.number = ? ORDER BY document.id LIMIT 1",
                (*INVOICE_KINDS, text)).fetchone()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    found, relative, recorded = row
    path = database_file.parent / relative
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != recorded:
        return None
    return ArchivedPdf(found, path, data)


@contextmanager
def reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that only reads, in one transaction (one consistent snapshot)."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute("BEGIN")
        yield conn
    finally:
        conn.close()  # ends the transaction (nothing was written)
