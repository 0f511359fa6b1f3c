"""The document archive: every issued invoice and credit note as a PDF, written once.

``documents/YYYY/NUMBER.pdf`` under the data folder (next to the database), written
atomically, its SHA-256 recorded in the ``document`` table. An issued invoice's PDF
depends only on frozen data (snapshots, lines, number, dates, the logo in force at issue),
so :func:`verify` can re-render every archived document and compare the bytes.

Stable API (the CLI and the TUI's workers call these):

- ``ensure_pdf(books, number) -> Path``: the archived PDF, rendered and archived if missing.
- ``archive_pending(books, progress=None) -> list[Path]``: archive every issued invoice or
  credit note that has no document yet (call after anything that issues).
- ``verify(books, progress=None) -> list[Problem]``: re-render and compare everything.
- ``render_document(books, ref) -> bytes``: any invoice (a draft too, as a preview).
- ``export_year(books, year, folder, progress=None) -> list[Path]``: a year's PDFs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from invoices.batch import Job, Progress, render_jobs
from invoices.layout_version import LAYOUT
from invoices.logo import LogoBook
from ledger.base.errors import Phrase, RuleViolation, StorageError
from ledger.base.file_names import document_name, safe
from ledger.base.parse import check_year
from ledger.base.views import InvoiceInfo
from ledger.billing.documents import (
    archived_documents,
    document_for,
    record_document,
    unarchived_numbers,
)
from ledger.billing.status import get_invoice, list_invoices
from ledger.books import Books
from ledger.practice.clients import client_snapshot, get_client
from ledger.practice.profile import snapshot
from ledger.practice.therapists import invoice_practice
from ledger.store.files import private_folder, write_atomic


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the archive; ``kind`` is missing, changed, differs or unarchived."""

    number: str
    path: str
    kind: str
    message: str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_name(info: InvoiceInfo) -> str:
    """The PDF's file name, in the document's language: ``factuur-2026-0001.pdf``,
    ``creditnota-2026-0002.pdf``, ``invoice-2026-0003.pdf``."""
    return document_name(str(info.kind), info.language, safe(info.number or ""))


def relative_path(info: InvoiceInfo) -> str:
    """Where a newly archived invoice's PDF goes, relative to the data folder (a document
    archived before keeps the path recorded with it, e.g. ``documents/2026/2026-0001.pdf``)."""
    assert info.number is not None and info.date is not None
    return f"documents/{info.date.year}/{file_name(info)}"


def load_document(books: Books, ref: str | int,
                  logos: LogoBook | None = None) -> tuple[InvoiceInfo, bytes | None]:
    """An invoice ready to render, and its logo. A draft gets the current details."""
    info = get_invoice(books, ref)
    logos = logos or LogoBook(books)
    if info.is_draft:
        client = get_client(books, info.client_id)
        info = dataclasses.replace(
            info, practice=snapshot(invoice_practice(books, info.id)),
            client=client_snapshot(client))
        return info, logos.at(None)
    return info, logos.at(info.issued_at)


def render_document(books: Books, ref: str | int) -> bytes:
    return _render(*load_document(books, ref))


def _render(info: InvoiceInfo, logo: bytes | None) -> bytes:
    from invoices.invoice_pdf import render_invoice  # ReportLab only when a PDF is made

    return render_invoice(info, logo)


def write_document(path: Path, data: bytes) -> None:
    """Write a PDF atomically (0600), making its folder first."""
    try:
        private_folder(path.parent)
    except OSError as exc:
        raise StorageError(
            "archive: cannot create {parent}: {strerror}",
            parent=path.parent, strerror=exc.strerror) from None
    write_atomic(path, data, 0o600, field="archive")


def ensure_pdf(books: Books, number: str) -> Path:
    """The archived PDF of an issued invoice or credit note, archiving it first if needed."""
    info, logo = load_document(books, number)
    if info.number is None:
        raise RuleViolation(
            "invoice: draft #{id} is not issued and has no archived PDF", id=info.id)
    data_dir = books.db.data_dir
    doc = document_for(books, info.id)
    if doc is not None:
        path = data_dir / doc.path
        try:
            stored: bytes | None = path.read_bytes()
        except FileNotFoundError:
            stored = None
        except OSError as exc:
            raise StorageError(
                "archive: {path} cannot be read: {strerror}",
                path=doc.path, strerror=exc.strerror) from None
        if stored is not None:
            if sha256(stored) != doc.sha256:  # never hand out a changed file as the invoice
                raise StorageError("archive: {path} was changed after it was archived (its "
                                   "SHA-256 differs); see `solebook invoice verify`",
                                   path=doc.path)
            return path
        if doc.layout != LAYOUT:
            raise StorageError("archive: {path} is missing; {number} was archived with an "
                               "earlier invoice layout ({layout}) and cannot be made again "
                               "byte for byte: restore the file from a backup",
                               path=doc.path, number=info.number, layout=doc.layout)
        data = _render(info, logo)
        if sha256(data) != doc.sha256:
            raise StorageError("archive: {path} is missing and {number} no longer renders to "
                               "the archived bytes; see `solebook invoice verify`",
                               path=doc.path, number=info.number)
        write_document(path, data)
        return path
    relative = relative_path(info)
    data = _render(info, logo)
    write_document(data_dir / relative, data)
    record_document(books, info.id, info.kind, relative, sha256(data), LAYOUT)
    return data_dir / relative


def archive_pending(books: Books, progress: Progress | None = None) -> list[Path]:
    """Archive every issued invoice and credit note that has no document yet."""
    numbers = unarchived_numbers(books)
    if not numbers:
        return []
    logos = LogoBook(books)
    data_dir = books.db.data_dir
    jobs, infos = [], []
    for number in numbers:
        info, logo = load_document(books, number, logos)
        path = data_dir / relative_path(info)
        try:
            private_folder(path.parent)
        except OSError as exc:
            raise StorageError(
                "archive: cannot create {parent}: {strerror}",
                parent=path.parent, strerror=exc.strerror) from None
        jobs.append(Job(info, logo, str(path)))
        infos.append(info)
    written = []
    errors = []
    for info, result in zip(infos, render_jobs(jobs, progress=progress, what="archiving"),
                            strict=True):
        if result.error:
            errors.append(result.error)
            continue
        relative = relative_path(info)
        record_document(books, info.id, info.kind, relative, result.sha256, LAYOUT)
        written.append(data_dir / relative)
    if errors:
        raise StorageError(
            "archive: {count} PDF(s) could not be archived: {errors}",
            count=len(errors), errors=errors[0])
    return written


def verify(books: Books, progress: Progress | None = None) -> list[Problem]:
    """Check every archived file against its SHA-256 and re-render those of the current
    layout to compare the bytes; also list issued invoices that are not archived."""
    documents = archived_documents(books)
    logos = LogoBook(books)
    problems: list[Problem] = []
    jobs, checked = [], []
    for doc in documents:
        number = doc.invoice_number or ""
        path = books.db.data_dir / doc.path
        try:
            stored = path.read_bytes()
        except FileNotFoundError:
            problems.append(Problem(number, doc.path, "missing", f"{doc.path} is missing"))
            stored = None
        except OSError as exc:
            problems.append(Problem(number, doc.path, "missing",
                                    f"{doc.path} cannot be read: {exc.strerror}"))
            stored = None
        if stored is not None and sha256(stored) != doc.sha256:
            problems.append(Problem(number, doc.path, "changed",
                                    f"{doc.path} was changed after it was archived"))
        if doc.layout != LAYOUT:
            continue  # an earlier layout cannot be re-made: its SHA-256 is the check
        try:
            info, logo = load_document(books, number, logos)
        except StorageError as exc:
            problems.append(Problem(number, doc.path, "differs", exc.message))
            continue
        jobs.append(Job(info, logo))
        checked.append(doc)
    for doc, result in zip(checked, render_jobs(jobs, progress=progress, what="verifying"),
                           strict=True):
        if result.error or result.sha256 != doc.sha256:
            problems.append(Problem(
                doc.invoice_number or "", doc.path, "differs",
                result.error or f"{doc.invoice_number} re-renders to different bytes than "
                                f"archived in {doc.path}"))
    for number in unarchived_numbers(books):
        problems.append(Problem(number, "", "unarchived", f"{number} has no archived PDF"))
    return problems


def writable_folder(folder: Path, field: str) -> Path:
    """Refuse, before any work, a folder that is missing or cannot be written."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        if folder.exists():
            raise StorageError("{field}: the folder {folder} is not a folder",
                               field=Phrase(field), folder=folder)
        raise StorageError("{field}: the folder {folder} does not exist",
                           field=Phrase(field), folder=folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StorageError(
            "{field}: cannot write in {folder}: permission denied",
            field=Phrase(field), folder=folder)
    return folder


def export_year(books: Books, year: int, folder: Path,
                progress: Progress | None = None) -> list[Path]:
    """Write every invoice and credit note issued in ``year`` to ``folder`` (all cores)."""
    check_year(year)
    folder = writable_folder(folder, "out")
    logos = LogoBook(books)
    infos = list_invoices(books, year=year, include_drafts=False)
    jobs = [Job(info, logos.at(info.issued_at), str(folder / file_name(info)))
            for info in infos]
    results = render_jobs(jobs, progress=progress, what=f"invoices {year}")
    failed = [r.error for r in results if r.error]
    if failed:
        raise StorageError(
            "pdf: {failed} of {total} PDFs could not be written: {first}",
            failed=len(failed), total=len(jobs), first=failed[0])
    return [Path(job.out) for job in jobs if job.out]
