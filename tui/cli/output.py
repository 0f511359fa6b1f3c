"""What the command line prints: JSON for scripts, short text for people in the run's
language (:mod:`tui.cli.lang`).

Printing never undoes or hides what a command did. :func:`prepare_streams` (at the start of
every command) makes a character the terminal cannot show come out escaped (``\\u0141``)
instead of failing, and a closed stdout an error the command sees; :func:`finish_output`
(after the command) writes out what is buffered, so that a failure to write (a closed pipe,
a full disk) is caught while the command line still knows whether a change was saved.
"""

from __future__ import annotations

import argparse
import errno
import io
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tui.cli import jsonout
from tui.cli.lang import _, refusal, status_word

if TYPE_CHECKING:
    from invoices.steps.issuing import Archived


class ClosedOutput(io.TextIOBase):
    """Stands in for a standard output that was closed when the program started: writing
    to it fails, as writing to a closed pipe does, instead of vanishing unnoticed."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def prepare_streams() -> None:
    """Before a command runs: a closed descriptor 0-2 gets /dev/null (so that no file the
    command opens takes its number), a closed stdout becomes :class:`ClosedOutput`, and
    text the output's encoding cannot hold is escaped rather than fatal."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            spare = os.open(os.devnull, os.O_RDWR)
            if spare != fd:
                os.dup2(spare, fd)
                os.close(spare)
    if sys.stdout is None:
        sys.stdout = ClosedOutput()
    if sys.stderr is None:  # else print(file=sys.stderr) would print on stdout
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (open for the whole run)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def finish_output() -> None:
    """Write out what the command printed; a failure is raised here (OSError)."""
    if sys.stdout is not None:
        sys.stdout.flush()


def warn(text: str) -> None:
    """A warning on stderr: the command went on."""
    print("solebook: " + _("warning: {text}").format(text=text), file=sys.stderr)


def fields_text(rows: dict[str, Any], labels: dict[str, str],
                worded: Sequence[str] = ()) -> str:
    """A record for a person, one line per field: its label in the run's language, then the
    value (codes named in ``worded`` as words, yes/no for true/false, blank for None)."""
    def value(key: str, v: Any) -> str:
        if isinstance(v, bool):
            return _("yes") if v else _("no")
        return "" if v is None else status_word(v) if key in worded else str(v)

    width = max(len(labels.get(key, key)) for key in rows) + 1
    return "\n".join(f"{labels.get(key, key):{width}} {value(key, v)}".rstrip()
                     for key, v in rows.items())


class Out:
    """Prints a command's result: JSON with ``--json``, else lines for a person."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.json = bool(getattr(args, "json", False))

    def result(self, data: Any, text: str) -> None:
        if self.json:
            jsonout.emit(data)
        else:
            print(text)

    def table(self, data: list[Any], rows: Sequence[Sequence[str]],
              header: Sequence[str]) -> None:
        if self.json:
            jsonout.emit(data)
            return
        if not rows:
            print(_("(nothing to show)"))
            return
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
                  .rstrip())

    def warn(self, text: str) -> None:
        warn(text)

    def archived(self, archived: Archived) -> None:
        """A PDF that could not be archived after issuing: a warning, the invoice stands."""
        if archived.problem is not None:
            self.warn(_("the PDF was not archived ({problem}); it is archived by the next "
                        "command that issues, or by `solebook invoice pdf NUMBER`").format(
                problem=refusal(archived.problem)))

    def progress(self, done: int, total: int, what: str = "") -> None:
        """A one-line progress display on stderr (stdout stays clean for JSON)."""
        if not sys.stderr.isatty():
            return
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r{what:20} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()
