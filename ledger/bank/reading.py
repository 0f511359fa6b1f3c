"""Reading a statement file from disk within bounds.

The size is checked on the open file before anything is read, only a regular file is
read (a device such as ``/dev/zero``, a pipe or a socket is refused at once), and no more
than the limit plus one byte is ever read, so a file that grows while it is read is
refused too instead of filling the memory.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
from pathlib import Path
from typing import Any

from ledger.bank.lines import FIELD
from ledger.base.errors import InputError

MAX_FILE_BYTES = 50 * 1024 * 1024


def too_large() -> InputError:
    return InputError(FIELD, "is larger than {size} MB; export a shorter period",
                      size=MAX_FILE_BYTES // 2**20)


def _open(path: Path) -> int:
    """The descriptor of the regular file at ``path`` of at most the limit, or one refusal."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(FIELD, "{path} does not exist", path=path) from None
    except OSError as exc:
        raise InputError(FIELD, "cannot read {path}: {strerror}", path=path,
                         strerror=exc.strerror) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(FIELD, "{path} is a folder, not a file", path=path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(FIELD, "{path} is not a regular file (a device, pipe or socket); "
                                    "save the statement as a file first", path=path)
        if info.st_size > MAX_FILE_BYTES:
            raise too_large()
    except BaseException:
        os.close(fd)
        raise
    return fd


def _grew(path: Path) -> InputError:
    return InputError(FIELD, "{path} grew while it was read; import it when the download has "
                             "finished", path=path)


class StatementFile(io.RawIOBase):
    """The statement file at ``path``, checked (a regular file within the limit), to be read
    as a stream (a large CAMT.053 never stands in memory whole): never more than the limit
    plus one byte is read, and :meth:`sha256` is the hash of the whole file as read (reading
    from the start again starts the hash again)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._fd = _open(path)
        self._size = 0
        self._hash = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        try:
            chunk = os.read(self._fd, min(len(view), MAX_FILE_BYTES + 1 - self._size))
        except OSError as exc:
            raise InputError(FIELD, "cannot read {path}: {strerror}", path=self.path,
                             strerror=exc.strerror) from None
        self._size += len(chunk)
        if self._size > MAX_FILE_BYTES:
            raise _grew(self.path)
        self._hash.update(chunk)
        view[:len(chunk)] = chunk
        return len(chunk)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if (offset, whence) != (0, io.SEEK_SET):
            raise io.UnsupportedOperation("only back to the start")
        os.lseek(self._fd, 0, os.SEEK_SET)
        self._size, self._hash = 0, hashlib.sha256()
        return 0

    def tell(self) -> int:
        return self._size

    def sha256(self) -> str:
        """The hash of the whole file (what is not read yet is read now)."""
        while self.read(1 << 20):
            pass
        return self._hash.hexdigest()

    def close(self) -> None:
        if not self.closed:
            os.close(self._fd)
        super().close()
