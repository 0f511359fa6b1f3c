"""What the interface does with a fault nobody foresaw: a line in a log file and a kind
notification, never a traceback on the screen, and the program keeps running.

The books are never left half-written by such a fault: every change is one transaction,
so a failure in the middle of one stores nothing of it.

The log holds what a programmer needs and nothing of what the practice knows: the time,
the exception's type and message and the traceback of the code (file, line, function,
source line). Never the contents of fields or tables, so never a health note. The file is
readable by its owner only (0600, folder 0700) and is kept short: past ``MAX_BYTES`` the
old log moves to ``solebook.log.1``.
"""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

LOG_NAME = "solebook.log"
MAX_BYTES = 1_000_000


def default_log_dir() -> Path:
    """The platform's log folder for solebook (``~/.local/state/solebook/log`` on Linux)."""
    from platformdirs import user_log_dir

    return Path(user_log_dir("solebook", appauthor=False))


def write_log(error: BaseException, folder: Path | None = None) -> Path:
    """Append the fault to the log and return the log's path."""
    from ledger.store.files import private_folder

    folder = folder or default_log_dir()
    private_folder(folder)
    folder.chmod(0o700)
    path = folder / LOG_NAME
    if path.exists() and path.stat().st_size > MAX_BYTES:
        path.replace(path.with_name(LOG_NAME + ".1"))
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    entry = f"--- {datetime.now().isoformat(timespec='seconds')}\n{''.join(lines)}\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as log:
        os.fchmod(fd, 0o600)
        log.write(entry)
    return path


def summary(error: BaseException) -> str:
    """``TypeName: first line of the message`` (at most 200 characters)."""
    text = str(error).splitlines()[0] if str(error) else ""
    line = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return line[:200]


def unwrap(error: BaseException) -> BaseException:
    """The fault inside Textual's ``WorkerFailed`` wrapper."""
    from textual.worker import WorkerFailed

    while isinstance(error, WorkerFailed) and error.error is not error:
        error = error.error
    return error


class Guarded:
    """Mixed into a message pump (the app, a screen, a widget): a fault in one of its
    handlers is reported through the app, and the pump goes on handling the next message.
    Without it Textual stops the pump (a screen would no longer answer) and the app."""

    async def _dispatch_message(self, message: Any) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except Exception as error:  # the point: nothing unforeseen escapes
            report = getattr(self.app, "report_unexpected", None)  # type: ignore[attr-defined]
            if report is None:
                raise
            report(error)
