"""What the command line prints: JSON for scripts, short text for people in the run's
language (:mod:`tui.cli.lang`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tui.cli import jsonout
from tui.cli.lang import _, refusal, status_word

if TYPE_CHECKING:
    from invoices.steps.issuing import Archived


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
