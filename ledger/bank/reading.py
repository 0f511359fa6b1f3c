"""Reading a statement file from disk within bounds.

The size is checked on the open file before anything is read, only a regular file is
read (a device such as ``/dev/zero``, a pipe or a socket is refused at once), and no more
than the limit plus one byte is ever read, so a file that grows while it is read is
refused too instead of filling the memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ledger.bank.lines import FIELD
from ledger.base.errors import InputError

MAX_FILE_BYTES = 50 * 1024 * 1024


def too_large() -> InputError:
    return InputError(FIELD, "is larger than {size} MB; export a shorter period",
                      size=MAX_FILE_BYTES // 2**20)


def read_bounded(path: Path) -> bytes:
    """The bytes of the statement file at ``path``, or one clear refusal."""
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
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise InputError(FIELD, "{path} grew while it was read; import it when the "
                                    "download has finished", path=path)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(FIELD, "cannot read {path}: {strerror}", path=path,
                         strerror=exc.strerror) from None
    finally:
        os.close(fd)
