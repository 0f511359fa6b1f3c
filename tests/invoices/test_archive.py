"""The document archive: written once, atomically, recorded with its SHA-256, verifiable."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from invoices.archive import archive_pending, ensure_pdf, export_year, render_document, verify
from invoices.logo import set_logo
from ledger.base.errors import InputError, RuleViolation, StorageError
from ledger.billing.credits import credit_invoice
from ledger.billing.documents import archived_documents, logo_history
from ledger.billing.sessions import create_invoice
from ledger.billing.status import get_invoice
from tests.factories import record_session, sell_package
from tests.invoices import pdftools

ROOT = Path(__file__).resolve().parents[2]


def png(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (240, 80)) -> Path:
    from PIL import Image

    Image.new("RGB", size, colour).save(path, format="PNG")
    return path


def sold(shop: dict[str, Any]) -> Any:
    return sell_package(shop["books"], shop["anna"].id, shop["plan"].id)


def test_archive_pending_writes_each_issued_document_once(shop: dict[str, Any]) -> None:
    books = shop["books"]
    package = sold(shop)
    credit = credit_invoice(books, package.invoice_number)
    paths = archive_pending(books)
    data_dir = books.db.data_dir
    assert paths == [data_dir / "documents/2026/factuur-2026-0001.pdf",
                     data_dir / "documents/2026/creditnota-2026-0002.pdf"]
    rows = archived_documents(books)
    assert [(r.invoice_number, r.kind, r.path) for r in rows] == [
        ("2026-0001", "invoice", "documents/2026/factuur-2026-0001.pdf"),
        ("2026-0002", "credit", "documents/2026/creditnota-2026-0002.pdf")]
    for row, path in zip(rows, paths, strict=True):
        assert hashlib.sha256(path.read_bytes()).hexdigest() == row.sha256
        assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert "Creditfactuur 2026-0002" in pdftools.text(paths[1].read_bytes())
    assert credit.number == "2026-0002"
    assert archive_pending(books) == []  # nothing left to do
    assert ensure_pdf(books, "2026-0001") == paths[0]
    assert len(archived_documents(books)) == 2


def test_archived_pdf_is_what_rendering_gives(shop: dict[str, Any]) -> None:
    books = shop["books"]
    number = sold(shop).invoice_number
    path = ensure_pdf(books, number)
    assert path.read_bytes() == render_document(books, number)


def test_rendering_in_another_process_gives_the_same_bytes(shop: dict[str, Any]) -> None:
    books = shop["books"]
    number = sold(shop).invoice_number
    path = ensure_pdf(books, number)
    script = (
        "import sys, hashlib\n"
        "from datetime import datetime\n"
        "from ledger.books import Books\n"
        "from ledger.base.dates import FixedClock\n"
        "from invoices.archive import render_document\n"
        f"books = Books.open({str(books.db.path)!r}, clock=FixedClock(datetime(2030, 1, 1)))\n"
        f"sys.stdout.write(hashlib.sha256(render_document(books, {number!r})).hexdigest())\n"
    )
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1234567890", "TZ": "America/Lima"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    assert done.stdout == hashlib.sha256(path.read_bytes()).hexdigest()


def test_verify_reports_a_tampered_a_missing_and_an_unarchived_document(
        shop: dict[str, Any]) -> None:
    books = shop["books"]
    first, second = sold(shop), sold(shop)
    archive_pending(books)
    assert verify(books) == []
    tampered = books.db.data_dir / "documents/2026/factuur-2026-0001.pdf"
    data = tampered.read_bytes()
    tampered.write_bytes(data.replace(b"300,00", b"200,00") if b"300,00" in data
                         else data + b"%")
    (books.db.data_dir / "documents/2026/factuur-2026-0002.pdf").unlink()
    third = sold(shop)  # issued, not archived
    problems = {(p.number, p.kind) for p in verify(books)}
    assert problems == {(first.invoice_number, "changed"), (second.invoice_number, "missing"),
                        (third.invoice_number, "unarchived")}
    # ensure_pdf restores a missing file when re-rendering matches what was recorded
    assert ensure_pdf(books, second.invoice_number).is_file()
    archive_pending(books)
    assert {(p.number, p.kind) for p in verify(books)} == {(first.invoice_number, "changed")}


def test_a_failed_write_leaves_no_file(shop: dict[str, Any],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    books = shop["books"]
    sold(shop)
    real_write = os.write

    def disk_full(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", disk_full)
    with pytest.raises(StorageError, match="disk is full"):
        archive_pending(books)
    folder = books.db.data_dir / "documents" / "2026"
    assert list(folder.iterdir()) == []
    assert archived_documents(books) == []


def test_a_draft_has_no_archived_pdf_but_renders_as_a_preview(shop: dict[str, Any]) -> None:
    books = shop["books"]
    record_session(books, shop["anna"].id, shop["treatment"].id, package="none")
    draft = create_invoice(books, shop["anna"].id)
    with pytest.raises(RuleViolation, match="not issued"):
        ensure_pdf(books, f"#{draft.id}")
    text = pdftools.text(render_document(books, draft.id))
    assert "Conceptfactuur" in text and "Concept: geen geldige factuur" in text
    assert "Dorpsstraat 12" in text and "Lindenlaan 4" in text  # current details
    assert archive_pending(books) == []


def test_export_year_writes_every_document_of_the_year(shop: dict[str, Any],
                                                       tmp_path: Path) -> None:
    books = shop["books"]
    for _ in range(3):
        sold(shop)
    out = tmp_path / "out"
    out.mkdir()
    paths = export_year(books, 2026, out)
    assert sorted(p.name for p in paths) == [
        "factuur-2026-0001.pdf", "factuur-2026-0002.pdf", "factuur-2026-0003.pdf"]
    archive_pending(books)
    for path in paths:  # the same bytes as the archive
        number = path.stem.removeprefix("factuur-")
        assert path.read_bytes() == ensure_pdf(books, number).read_bytes()
    with pytest.raises(StorageError, match="does not exist"):
        export_year(books, 2026, tmp_path / "missing")
    with pytest.raises(InputError, match="year"):
        export_year(books, 20260, out)


def test_the_logo_in_force_at_issue_stays_on_the_invoice(shop: dict[str, Any],
                                                         tmp_path: Path) -> None:
    from datetime import timedelta

    books = shop["books"]
    plain = sold(shop)
    books.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    stored = set_logo(books, png(tmp_path / "logo.png", (31, 78, 121)))
    assert stored.startswith("documents/assets/logo-") and stored.endswith(".png")
    books.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    with_logo = sold(shop)
    archive_pending(books)
    assert pdftools.images(ensure_pdf(books, plain.invoice_number).read_bytes()) == 0
    first = ensure_pdf(books, with_logo.invoice_number).read_bytes()
    assert pdftools.images(first) == 1
    # the source file and the logo setting change later: old documents are unaffected
    png(tmp_path / "logo.png", (200, 0, 0))
    books.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    set_logo(books, tmp_path / "logo.png")
    assert len(logo_history(books)) == 2
    assert verify(books) == []
    assert render_document(books, with_logo.invoice_number) == first
    set_logo(books, "")
    later = sold(shop)
    assert pdftools.images(render_document(books, later.invoice_number)) == 0


@pytest.mark.parametrize(("content", "message"), [
    (b"just text", "not a PNG or JPEG"), (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n broken", "damaged"),
])
def test_a_logo_must_be_a_readable_png_or_jpeg(shop: dict[str, Any], tmp_path: Path,
                                               content: bytes, message: str) -> None:
    path = tmp_path / "logo.png"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        set_logo(shop["books"], path)
    with pytest.raises(InputError, match="does not exist"):
        set_logo(shop["books"], tmp_path / "nope.png")
    assert logo_history(shop["books"]) == []


def test_jpeg_logo(shop: dict[str, Any], tmp_path: Path) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 120), (0, 120, 0)).save(buffer, format="JPEG")
    (tmp_path / "logo.jpg").write_bytes(buffer.getvalue())
    assert set_logo(shop["books"], tmp_path / "logo.jpg").endswith(".jpg")
    package = sold(shop)
    assert pdftools.images(render_document(shop["books"], package.invoice_number)) == 1
    assert get_invoice(shop["books"], package.invoice_number).number == "2026-0001"


def _as_earlier_layout(books: Any, number: str, data: bytes) -> Path:
    """Archive ``number`` as an earlier program did: other bytes (its layout), under the
    name it gave (the bare number), recorded with their SHA-256 and layout 1 (as migration
    0008 marks the rows it finds)."""
    from ledger.billing.documents import record_document

    info = get_invoice(books, number)
    relative = f"documents/{info.date.year}/{number}.pdf"
    path = books.db.data_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    record_document(books, info.id, info.kind, relative, hashlib.sha256(data).hexdigest(),
                    layout=1)
    return path


def test_documents_record_the_layout_that_drew_them(shop: dict[str, Any]) -> None:
    from invoices.layout_version import LAYOUT

    sold(shop)
    archive_pending(shop["books"])
    assert [doc.layout for doc in archived_documents(shop["books"])] == [LAYOUT]
    assert LAYOUT >= 2  # layout 1 (platypus) archived the invoices made before


def test_an_earlier_layout_is_checked_by_its_checksum_not_re_rendered(
        shop: dict[str, Any]) -> None:
    books = shop["books"]
    number = sold(shop).invoice_number
    old = b"%PDF-1.4 drawn by the earlier layout\n"
    path = _as_earlier_layout(books, number, old)
    assert verify(books) == []  # intact: not compared with what today's layout draws
    assert ensure_pdf(books, number) == path and path.read_bytes() == old
    path.write_bytes(old + b"changed")
    assert [p.kind for p in verify(books)] == ["changed"]
    path.unlink()
    assert [p.kind for p in verify(books)] == ["missing"]
    with pytest.raises(StorageError, match=r"earlier invoice layout .* restore the file from "
                                           r"a backup"):
        ensure_pdf(books, number)
    assert not path.exists()  # nothing re-made under the old name with other bytes
