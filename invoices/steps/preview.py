"""A draft's preview: its PDF as it would look now, marked as a draft ("Concept"), without a
number, written to ``previews/`` in the data folder and never archived. Both front ends
call it (the command line's ``invoice pdf #ID -o FILE`` writes the same bytes)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ledger.base.errors import RuleViolation

if TYPE_CHECKING:
    from ledger.books import Books

PREVIEW_FOLDER = "previews"


def preview_path(books: Books, draft_id: int) -> Path:
    """Where the preview of draft ``draft_id`` is written (each new preview replaces it)."""
    return books.db.data_dir / PREVIEW_FOLDER / f"concept-{draft_id}.pdf"


def preview_draft(books: Books, ref: str | int) -> Path:
    """Render draft ``ref`` to its preview file; an issued invoice has its archived PDF
    instead (``invoices.archive.ensure_pdf``), so it is refused here."""
    from invoices.archive import render_document, write_document
    from ledger.billing.status import get_invoice

    info = get_invoice(books, ref)
    if not info.is_draft:
        raise RuleViolation("invoice: {number} is issued; open its archived PDF",
                            number=info.number)
    path = preview_path(books, info.id)
    write_document(path, render_document(books, info.id))
    return path
