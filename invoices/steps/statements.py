"""A claim statement written to a file: a package's, or a client's year (for the insurer).

Without a target the file goes to ``documents/statements/`` next to the database (the
screens open it from there); with one, it goes where the user asked (the command line's
``-o FILE``). Either way it is written atomically, readable by the user only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from invoices.statements import ClaimStatement
    from ledger.books import Books


@dataclass(frozen=True)
class StatementFile:
    """Where the statement was written, and what is on it."""

    path: Path
    statement: ClaimStatement


def statements_dir(books: Books) -> Path:
    return books.db.documents_dir / "statements"


def package_statement_file(books: Books, package_id: int,
                           target: str | Path | None = None) -> StatementFile:
    """The claim statement of a package's sessions, as a PDF file."""
    from invoices.statements import package_statement
    from ledger.base.file_names import document_name, slug

    statement = package_statement(books, package_id)
    return _write(books, statement, target, document_name(
        "statement", statement.language, str(package_id), slug(statement.client.get("name", ""))))


def client_statement_file(books: Books, client_id: int, year: int,
                          target: str | Path | None = None) -> StatementFile:
    """A client's annual statement of treatments for a year, as a PDF file."""
    from invoices.statements import client_year_statement
    from ledger.base.file_names import document_name, slug

    statement = client_year_statement(books, client_id, year)
    return _write(books, statement, target, document_name(
        "year_statement", statement.language, str(year), slug(statement.client.get("name", ""))))


def _write(books: Books, statement: ClaimStatement, target: str | Path | None,
           default_name: str) -> StatementFile:
    from invoices.logo import LogoBook
    from invoices.statements import render_statement
    from ledger.store.files import private_folder, write_atomic

    data = render_statement(statement, LogoBook(books).at(None))
    if target is None:
        path = statements_dir(books) / default_name
        private_folder(path.parent)
        field = "statement"
    else:
        path, field = Path(target).expanduser(), "output"
    return StatementFile(write_atomic(path, data, 0o600, field=field), statement)
