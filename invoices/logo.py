"""The practice logo: checked, copied into the data folder, and versioned.

``solebook practice set --logo PATH`` copies the image to
``documents/assets/logo-<sha256>.<ext>`` (content-addressed: a copy never changes) and
records it, with the moment, in the ``logo`` / ``logo_history`` settings. An invoice is
rendered with the logo that was in force when it was issued, so changing the logo later
does not change, and does not break the verification of, documents already issued.
"""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from pathlib import Path

from ledger.base.errors import N_, InputError, StorageError
from ledger.billing.documents import LogoVersion, logo_at, logo_history, record_logo
from ledger.books import Books
from ledger.store.files import private_folder, write_atomic

PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
MAX_BYTES = 5 * 1024 * 1024


def read_logo(source: Path | str, field: str = N_("logo")) -> tuple[bytes, str]:
    """The image's bytes and extension, if ``source`` is a readable PNG or JPEG."""
    path = Path(source).expanduser()
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_BYTES else b""
    except FileNotFoundError:
        raise InputError(field, "{path} does not exist", path=path) from None
    except IsADirectoryError:
        raise InputError(field, "{path} is a folder, not an image", path=path) from None
    except OSError as exc:
        raise InputError(
            field, "cannot read {path}: {strerror}", path=path, strerror=exc.strerror) from None
    if not data:
        raise InputError(field, "{path} is empty or larger than 5 MB", path=path)
    ext = "png" if data.startswith(PNG) else "jpg" if data.startswith(JPEG) else ""
    if not ext:
        raise InputError(field, "{path} is not a PNG or JPEG image", path=path)
    try:
        from reportlab.lib.utils import ImageReader

        width, height = ImageReader(io.BytesIO(data)).getSize()
    except Exception:  # a damaged image: Pillow raises many kinds
        raise InputError(field, "{path} is a damaged or unsupported image", path=path) from None
    if width < 1 or height < 1:
        raise InputError(field, "{path} has no pixels", path=path)
    return data, ext


def set_logo(books: Books, source: Path | str | None) -> str:
    """Use the image at ``source`` as the logo from now on (None or "": no logo).

    Returns the stored path, relative to the data folder ("" when removed).
    """
    if source is None or str(source).strip() == "":
        record_logo(books, "", "")
        return ""
    data, ext = read_logo(source)
    digest = hashlib.sha256(data).hexdigest()
    relative = f"documents/assets/logo-{digest[:16]}.{ext}"
    target = books.db.data_dir / relative
    if not target.exists():
        try:
            private_folder(target.parent)
        except OSError as exc:
            raise StorageError(
                "logo: cannot create {parent}: {strerror}",
                parent=target.parent, strerror=exc.strerror) from None
        write_atomic(target, data, 0o600, field="logo")
    record_logo(books, relative, digest)
    return relative


def load_logo(books: Books, version: LogoVersion | None) -> bytes | None:
    """The bytes of a recorded logo; refuses a copy that no longer matches its hash."""
    if version is None:
        return None
    path = books.db.data_dir / version.path
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StorageError(
            "logo: cannot read {path}: {strerror}", path=path, strerror=exc.strerror) from None
    if hashlib.sha256(data).hexdigest() != version.sha256:
        raise StorageError("logo: {path} was changed after it was set", path=path)
    return data


class LogoBook:
    """The logo history read once, for rendering many documents (one batch, one verify)."""

    def __init__(self, books: Books) -> None:
        self.books = books
        self.history = logo_history(books)
        self._cache: dict[str, bytes | None] = {}

    def at(self, when: datetime | None) -> bytes | None:
        version = logo_at(self.history, when)
        if version is None:
            return None
        if version.path not in self._cache:
            self._cache[version.path] = load_logo(self.books, version)
        return self._cache[version.path]
