"""Documents for the screens: PDFs archived, statements written, files opened in a viewer.

Everything here runs in a worker thread, and ``invoices`` (ReportLab) is imported only
here, inside the functions, so it stays off the start-up path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ledger.base.errors import SolebookError
from ledger.books import Books
from tui.i18n import language


@dataclass(frozen=True)
class Archived:
    """What happened after an action that issued something: PDFs written, or the problem."""

    paths: tuple[Path, ...]
    problem: str = ""


def archive(books: Books, numbers: Iterable[str | None]) -> Archived:
    """Archive the PDFs of what an action just issued (invoice, credit note), in this
    worker; a failure here does not undo the action, it is reported as a warning.

    Only the numbers the action produced are rendered: an old backlog (a demo loaded from
    the command line) is archived by the command line's ``invoice`` commands instead of
    holding up the screen."""
    try:
        from invoices.archive import ensure_pdf

        return Archived(tuple(ensure_pdf(books, number) for number in numbers if number))
    except SolebookError as exc:
        return Archived((), exc.text(language()))


def invoice_pdf(books: Books, number: str) -> Path:
    from invoices.archive import ensure_pdf

    return ensure_pdf(books, number)


def statements_dir(books: Books) -> Path:
    return books.db.documents_dir / "statements"


def package_statement_pdf(books: Books, package_id: int) -> Path:
    from invoices.logo import LogoBook
    from invoices.statements import package_statement, render_statement
    from ledger.store.files import write_atomic

    statement = package_statement(books, package_id)
    data = render_statement(statement, LogoBook(books).at(None))
    path = statements_dir(books) / f"claim-package-{package_id}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, data, 0o600, field="statement")


def client_statement_pdf(books: Books, client_id: int, year: int) -> Path:
    from invoices.logo import LogoBook
    from invoices.statements import client_year_statement, render_statement
    from ledger.store.files import write_atomic

    statement = client_year_statement(books, client_id, year)
    data = render_statement(statement, LogoBook(books).at(None))
    path = statements_dir(books) / f"claim-client-{client_id}-{year}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, data, 0o600, field="statement")


def viewer_command() -> list[str] | None:
    """The system's "open this file" command, when there is one."""
    if sys.platform == "darwin":
        return ["open"]
    if os.name == "nt":  # pragma: no cover - not a supported platform, but harmless
        return None
    tool = shutil.which("xdg-open")
    return [tool] if tool else None


def open_in_viewer(path: Path) -> bool:
    """Open ``path`` in the system viewer, detached; False when there is no viewer."""
    command = viewer_command()
    if command is None:
        return False
    subprocess.Popen(
        [*command, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )
    return True
