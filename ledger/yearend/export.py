"""The tax-year export: one folder (and a zip of it) for the bookkeeper.

``solebook-YYYY/`` holds the workbook, the same tables as CSV (``csv-nl/`` for Dutch
Excel, ``csv/`` plain ISO), the annual report PDF, every invoice and credit note PDF of the
year, the cost receipts, a year statement for the insurer per client treated that year,
the audit file and the beancount file, and ``MANIFEST.sha256`` (``sha256sum -c`` format)
listing every other file. Files and folders are named in the practice's language
(:mod:`ledger.yearend.names`: ``2026-jaarcijfers.pdf``, ``facturen/factuur-2026-0001.pdf``
for a Dutch practice).

The folder is built under a hidden temporary name next to the target and renamed into
place only when everything is written, so a failure leaves no half folder; a previous
export of the same year is replaced only then. Files are 0600, folders 0700. The same
books give the same bytes: sorted rows, fixed dates in the workbook and the zip.

The PDFs come from the ``invoices`` package through :class:`YearDocuments` (``ledger``
does not render documents itself); without it only the data files are written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import select

from ledger.base.codes import InvoiceKind, SessionStatus
from ledger.base.errors import StorageError
from ledger.base.parse import check_year
from ledger.books import Books
from ledger.practice.profile import get_practice
from ledger.store.files import (
    fsync_folder,
    private_folder,
    remove_stale_temp_files,
    replace_atomic,
    write_atomic,
)
from ledger.store.models import Client, TreatmentSession
from ledger.store.models.costs import Cost
from ledger.yearend.csv_files import csv_bytes, xlsx_bytes
from ledger.yearend.figures import YearEnd
from ledger.yearend.names import export_name, exported_document, exported_statement
from ledger.yearend.tables import year_data

Progress = Callable[[int, int, str], None]
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MANIFEST = "MANIFEST.sha256"


class YearDocuments(Protocol):
    """The documents of the export, rendered by the ``invoices`` package."""

    def prepare(self, year: int, progress: Progress | None) -> None:
        """Archive every invoice PDF of the year that is not archived yet."""

    def invoice_pdf(self, number: str) -> bytes: ...

    def annual_report(self, figures: YearEnd) -> bytes: ...

    def client_statement(self, client_id: int, year: int) -> bytes | None:
        """The client's year statement for the insurer (None when there is nothing)."""


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    zip_path: Path
    files: tuple[str, ...]  # relative to the folder, MANIFEST last


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Folder:
    """The temporary folder being filled; remembers every file with its hash."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.hashes: dict[str, str] = {}

    def write(self, relative: str, data: bytes) -> None:
        path = self.root / relative
        for parent in reversed(path.relative_to(self.root).parents):
            folder = self.root / parent
            private_folder(folder)
        write_atomic(path, data, 0o600, field="export")
        self.hashes[relative] = _sha(data)


def _prepare_out(out: Path) -> Path:
    out = Path(out).expanduser()
    if out.exists() and not out.is_dir():
        raise StorageError("out: {out} is not a folder", out=out)
    try:
        private_folder(out)
    except OSError as exc:
        raise StorageError(
            "out: cannot create {out}: {strerror}", out=out, strerror=exc.strerror) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise StorageError("out: cannot write in {out}: permission denied", out=out)
    return out


def _remove_stale(out: Path, name: str) -> None:
    """Temporary folders and zips of exports whose process no longer runs; an earlier
    export set aside by a process killed while swapping goes back in place if nothing took
    its place, else away."""
    pattern = re.compile(rf"^\.{re.escape(name)}(?:\.zip|\.old)?\.(\d+)\.tmp$")
    for entry in out.iterdir():
        match = pattern.match(entry.name)
        if not match or int(match[1]) == os.getpid():
            continue
        try:
            os.kill(int(match[1]), 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        if ".old." in entry.name and not (out / name).exists():
            with contextlib.suppress(OSError):
                os.rename(entry, out / name)
                continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()


def _treated_clients(books: Books, year: int) -> list[tuple[int, str]]:
    query = (
        select(Client.id, Client.name).distinct()
        .join(TreatmentSession, TreatmentSession.client_id == Client.id)
        .where(TreatmentSession.date >= date(year, 1, 1),
               TreatmentSession.date <= date(year, 12, 31),
               TreatmentSession.status == SessionStatus.GIVEN)
        .order_by(Client.id)
    )
    with books.db.read() as session:
        return [(int(i), str(n)) for i, n in session.execute(query)]


def _receipts(books: Books, year: int) -> list[tuple[str, str]]:
    query = (select(Cost.receipt_path, Cost.receipt_sha256)
             .where(Cost.date >= date(year, 1, 1), Cost.date <= date(year, 12, 31),
                    Cost.receipt_path.is_not(None))
             .order_by(Cost.receipt_path).distinct())
    with books.db.read() as session:
        return [(str(p), str(h or "")) for p, h in session.execute(query)]


def _read_receipt(books: Books, relative: str, digest: str) -> bytes:
    path = books.db.data_dir / relative
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StorageError("receipt: {relative} cannot be read ({strerror}); restore it from "
                           "a backup before exporting",
                           relative=relative, strerror=exc.strerror) from None
    if digest and _sha(data) != digest:
        raise StorageError("receipt: {relative} was changed after it was stored (its SHA-256 "
                           "no longer matches)", relative=relative)
    return data


def _zip(folder: Path, name: str, files: list[str], target: Path) -> None:
    """A zip of the folder with fixed timestamps and modes, entries sorted."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative in sorted(files):
            info = zipfile.ZipInfo(f"{name}/{relative}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100600 & 0xFFFF) << 16
            info.create_system = 3
            archive.writestr(info, (folder / relative).read_bytes())


def _swap_in(temp: Path, target: Path) -> None:
    """Put the finished folder in place; an earlier export goes only once that worked."""
    old = target.with_name(f".{target.name}.old.{os.getpid()}.tmp")
    if target.exists():
        os.rename(target, old)
    try:
        os.rename(temp, target)
    except OSError:
        if old.exists():
            os.rename(old, target)
        raise
    fsync_folder(target.parent)
    shutil.rmtree(old, ignore_errors=True)


def export_year(books: Books, year: int, out: Path, *,
                documents: YearDocuments | None = None,
                progress: Progress | None = None) -> ExportResult:
    """Write the export of ``year`` as ``out/solebook-YEAR/`` and ``out/solebook-YEAR.zip``."""
    check_year(year)
    out = _prepare_out(out)
    name = f"solebook-{year}"
    _remove_stale(out, name)
    remove_stale_temp_files(out)  # and what killed writes of other files left here
    temp = out / f".{name}.{os.getpid()}.tmp"
    temp_zip = out / f".{name}.zip.{os.getpid()}.tmp"
    report = progress or (lambda done, total, what: None)
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(mode=0o700)
    try:
        folder = _Folder(temp)
        _fill(books, year, folder, documents, report)
        manifest = "".join(f"{folder.hashes[p]}  {p}\n" for p in sorted(folder.hashes))
        folder.write(MANIFEST, manifest.encode("utf-8"))
        files = sorted(folder.hashes)
        report(0, 1, "zip")
        _zip(temp, name, files, temp_zip)
        fsync_folder(temp)
        _swap_in(temp, out / name)
        replace_atomic(temp_zip, out / f"{name}.zip")
        report(1, 1, "zip")
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        with contextlib.suppress(OSError):
            temp_zip.unlink()
        raise
    ordered = (*(p for p in files if p != MANIFEST), MANIFEST)
    return ExportResult(out / name, out / f"{name}.zip", ordered)


def _auditfile(books: Books, year: int, folder: _Folder) -> None:
    """The XAF 3.2 audit file and the same journals as a beancount file, written as they
    are made straight into the folder."""
    from ledger.yearend.auditfile import write_auditfile
    from ledger.yearend.plaintext import write_beancount
    from ledger.yearend.streamed import sha256_of

    for relative, write in ((f"{year}-auditfile.xaf", write_auditfile),
                            (f"{year}-journals.beancount", write_beancount)):
        write(books, year, folder.root / relative)
        folder.hashes[relative] = sha256_of(folder.root / relative)


def _fill(books: Books, year: int, folder: _Folder, documents: YearDocuments | None,
          report: Progress) -> None:
    report(0, 1, "figures")
    figures, tables = year_data(books, year)
    practice = get_practice(books)
    report(1, 1, "figures")
    created = datetime(year, 12, 31)
    language = practice.language
    folder.write(f"{year}-{export_name('workbook', language)}.xlsx", xlsx_bytes(
        tables, title=f"Jaarcijfers {year}", author=practice.name, created=created))
    for i, table in enumerate(tables, start=1):
        folder.write(f"csv-nl/{table.name}.csv", csv_bytes(table, dutch=True))
        folder.write(f"csv/{table.name}.csv", csv_bytes(table, dutch=False))
        report(i, len(tables), "tables")
    _auditfile(books, year, folder)
    receipts = _receipts(books, year)
    for i, (relative, digest) in enumerate(receipts, start=1):
        folder.write(f"{export_name('receipts', language)}/{Path(relative).name}",
                     _read_receipt(books, relative, digest))
        report(i, len(receipts), "receipts")
    if documents is None:
        return
    documents.prepare(year, report)
    folder.write(f"{year}-{export_name('annual_report', language)}.pdf",
                 documents.annual_report(figures))
    by_name = {table.name: table for table in tables}
    numbers = [(n, InvoiceKind.INVOICE) for n in by_name["invoices"].column("number")]
    numbers += [(n, InvoiceKind.CREDIT) for n in by_name["credit_notes"].column("number")]
    for i, (number, kind) in enumerate(numbers, start=1):
        folder.write(exported_document(kind, language, number), documents.invoice_pdf(number))
        report(i, len(numbers), "invoice PDFs")
    clients = _treated_clients(books, year)
    for i, (client_id, client_name) in enumerate(clients, start=1):
        data = documents.client_statement(client_id, year)
        if data is not None:
            folder.write(exported_statement(language, year, client_id, client_name), data)
        report(i, len(clients), "statements")
