"""What the command line prints: JSON for scripts, short Dutch-formatted text for people."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from ledger.base import parse
from ledger.base.errors import InputError
from tui.cli import jsonout


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON (and nothing else)")


def id_arg(field: str) -> Callable[[str], int]:
    """An argparse type for record ids; a bad one is a usage error naming the field."""

    def convert(text: str) -> int:
        try:
            return parse.parse_int(text, field, minimum=1)
        except InputError as exc:
            raise argparse.ArgumentTypeError(exc.reason) from exc

    convert.__name__ = field
    return convert


def date_arg(field: str) -> Callable[[str], date]:
    def convert(text: str) -> date:
        try:
            return parse.parse_date(text, field, today=date.today())
        except InputError as exc:
            raise argparse.ArgumentTypeError(exc.reason) from exc

    convert.__name__ = field
    return convert


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
            print("(nothing to show)")
            return
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
                  .rstrip())

    def warn(self, text: str) -> None:
        print(f"solebook: warning: {text}", file=sys.stderr)

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
