"""The ``solebook`` command line: the parser (each command group adds its own), running
one command, and its errors as one line with an exit code.

Exit codes: 0 done, 1 the books refused (one line on stderr), 2 the command was mistyped,
130 interrupted. With ``--json`` stdout carries only JSON. Without a command there is
nothing for the command line to do: it hands :class:`Interface` back to its caller
(:mod:`tui.entry`, which opens the Textual app); the two front ends never import each other.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple, NoReturn

from ledger.base.errors import SolebookError

if TYPE_CHECKING:
    from tui.cli.args import Handler


class Interface(NamedTuple):
    """No command was given: open the interface, on this database, in this language.
    (A named tuple: the quick path to the interface imports no ``dataclasses``.)"""

    db: str | None = None
    lang: str | None = None


OpenInterface = Callable[[Interface], int]


class Parser(argparse.ArgumentParser):
    """argparse, with its usage error as one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {_one_line(message)} (see {self.prog} --help)\n")


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help="database file or SQLAlchemy URL (default: $SOLEBOOK_DB or the "
                             "user data folder)")
    common.add_argument("--lang", choices=("nl", "en"), default=argparse.SUPPRESS,
                        help="language of what is printed for people")
    return common


def build_parser() -> Parser:
    """The whole parser: each command group module adds its own group. Imported here, not
    at the top, so that ``solebook`` without a command opens the interface sooner."""
    from tui.cli import (
        agenda,
        audit,
        bank,
        clients,
        costs,
        exports,
        invoices,
        mail,
        packages,
        practice,
        reminders,
        reports,
        safety,
        sessions,
        treatments,
    )
    from tui.cli.args import Commands

    common = _common()
    parser = Parser(
        prog="solebook", parents=[common],
        description="Invoicing and bookkeeping for a one-person therapy practice. "
                    "Without a command it opens the terminal interface.",
    )
    commands = Commands(
        parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser), common)
    # in the order `solebook --help` lists them
    for group in (practice, clients, treatments, packages, sessions, invoices, reports, safety,
                  audit, costs, exports, reminders, mail, bank, agenda):
        group.register(commands)
    return parser


class _QuickParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ValueError(message)


def interface_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """``solebook [--db X] [--lang L]`` without a command, read without importing the
    sub-commands (and so SQLAlchemy) first: the interface paints sooner. None otherwise."""
    if any(arg in ("-h", "--help") for arg in argv):
        return None
    quick = _QuickParser(add_help=False, parents=[_common()])
    try:
        args, rest = quick.parse_known_args(list(argv))
    except ValueError:
        return None
    return None if rest else args


def run(argv: Sequence[str] | None = None) -> int | Interface:
    """Run one command: its exit code, or :class:`Interface` when no command was given."""
    quick = interface_args(sys.argv[1:] if argv is None else argv)
    if quick is not None:
        return Interface(getattr(quick, "db", None), getattr(quick, "lang", None))
    parser = build_parser()
    args = parser.parse_args(argv)
    from tui.cli import lang

    lang.start(getattr(args, "lang", None))
    _refuse_undecodable(parser, args)
    year = getattr(args, "year", None)
    if isinstance(year, int):
        from ledger.base.parse import check_year

        check_year(year)
    db = getattr(args, "db", None)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        if args.command:  # a group such as `solebook client` without its action
            parser.parse_args([*(argv or sys.argv[1:]), "--help"])
        return Interface(db, getattr(args, "lang", None))
    if getattr(args, "no_db", False):
        handler(args, None)
        return 0
    shortcut: Callable[[argparse.Namespace], bool] | None = getattr(args, "quick", None)
    if shortcut is not None and shortcut(args):  # done without opening the books
        return 0
    from ledger.books import Books

    books = Books.open(db, interface="cli")
    try:
        lang.follow_practice(books)
        from tui.cli.safety import daily_backup_at_start

        daily_backup_at_start(books)
        handler(args, books)
    finally:
        books.close()
    return 0


def _refuse_undecodable(parser: Parser, args: argparse.Namespace) -> None:
    """Bytes in an argument that are not UTF-8 arrive as lone surrogates (and a NUL can
    only come from a caller in-process): a usage error naming the argument, before they
    reach the database, a file name or a message."""
    for name, value in vars(args).items():
        if isinstance(value, str) and any("\udc80" <= ch <= "\udcff" for ch in value):
            parser.error(f"argument {name}: is not valid text (not UTF-8)")
        if isinstance(value, str) and "\x00" in value:  # impossible in a real argv
            parser.error(f"argument {name}: contains a NUL character")


def _one_line(text: str, limit: int = 300) -> str:
    """A message as one printable line: control characters escaped, long input cut."""
    shown = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                    for ch in text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def main(argv: Sequence[str] | None = None, interface: OpenInterface | None = None) -> None:
    """Run ``argv`` (default: the program's arguments) and exit with its code. Without a
    command, ``interface`` opens the interface; without that, it is a usage error."""
    try:
        code = run(argv)
        if isinstance(code, Interface):
            if interface is None:
                build_parser().error("give a COMMAND (`solebook` without one opens the "
                                     "interface)")
            from tui.cli import lang

            lang.start(code.lang)  # a failure below is told in the interface's language
            code = interface(code)
    except SolebookError as exc:
        from tui.cli.lang import refusal

        print(f"solebook: {_one_line(refusal(exc))}", file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        from tui.cli.lang import _

        print("solebook: " + _("interrupted; nothing half-done was saved"), file=sys.stderr)
        code = 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 1
    except Exception as exc:  # a bug: still one line, and the details on request
        if os.environ.get("SOLEBOOK_DEBUG"):
            raise
        from tui.cli.lang import _

        said = _("unexpected error ({kind}: {detail}); nothing was changed. Set "
                 "SOLEBOOK_DEBUG=1 for details.")
        print("solebook: " + said.format(kind=type(exc).__name__,
                                         detail=_one_line(str(exc), 200)), file=sys.stderr)
        code = 1
    sys.exit(code)


if __name__ == "__main__":
    main()
