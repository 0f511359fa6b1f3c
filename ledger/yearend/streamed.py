"""A large export file written as it is produced, atomically: into a temporary file next
to the target, flushed to disk, then renamed (``ledger.store.files``)."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ledger.base.errors import Phrase, StorageError
from ledger.store.files import check_target, replace_atomic, temp_name


@contextlib.contextmanager
def streamed_file(path: Path | str, field: str) -> Iterator[BinaryIO]:
    """Yield a binary file to write; on a clean exit it becomes ``path``, on an error the
    temporary file is removed and ``path`` is left as it was."""
    path = check_target(path, field)  # the one rule for a file to write (files.py)
    temp = temp_name(path)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise StorageError("{field}: {path} cannot be written ({reason})",
                           field=Phrase(field), path=path, reason=exc.strerror or "") from exc
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        replace_atomic(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
