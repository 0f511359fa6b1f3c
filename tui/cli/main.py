"""The ``solebook`` command line: the parser (each command group adds its own), running
one command, and its errors as one line with an exit code.

Exit codes (:data:`EXIT_CODES`): 0 done, 1 refused or failed, what was refused not saved
(one line on stderr), 2 the command was mistyped, 3 the change WAS saved but the command could
not finish (its output could not be written, or it was interrupted or failed unexpectedly
after saving: do not run it again), 130 interrupted before anything was saved. A refusal
by the books is exit 1 even after an earlier step of the command saved something: the
step it refuses is one transaction, undone, and its sentence says what happened. Whether
a change was saved is known, not guessed: the books count the transactions that committed
a change (``Database.changes``). With ``--json`` stdout carries only JSON. Without a
command there is nothing for the command line to do: it hands :class:`Interface` back to its caller
(:mod:`tui.entry`, which opens the Textual app); the two front ends never import each other.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple, NoReturn

from ledger.base.errors import SolebookError

if TYPE_CHECKING:
    from tui.cli.args import Handler


EXIT_SAVED = 3
EXIT_CODES = (
    "exit codes: 0 done; 1 refused or failed: one line on stderr says why, and what it "
    "refused was not saved; "
    "2 the command was mistyped; 3 the change was saved, but the command could not finish "
    "(for instance its output could not be written): do not run it again; 130 interrupted, "
    "nothing half-done was saved")
# What a failure to write the output looks like (a closed pipe or descriptor, a full disk).
OUTPUT_ERRNOS = frozenset({errno.EPIPE, errno.EBADF, errno.ENOSPC, errno.EIO, errno.EDQUOT})


class SavedThen(Exception):
    """The command failed after it saved a change to the books (exit code 3)."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class Interface(NamedTuple):
    """No command was given: open the interface, on this database, in this language, with
    this therapist working (``--therapist``; None: as the books decide). (A named tuple:
    the quick path to the interface imports no ``dataclasses``.)"""

    db: str | None = None
    lang: str | None = None
    therapist: int | None = None


OpenInterface = Callable[[Interface], int]


class Parser(argparse.ArgumentParser):
    """argparse, with its usage error as one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {_one_line(message)} (see {self.prog} --help)\n")


def _common(*, owner: bool = False) -> argparse.ArgumentParser:
    """The options every command takes. ``owner``: of a command where ``--therapist``
    written after it names whom the command is about (``session edit ID --therapist 3``:
    give the session to 3), kept as ``args.owner``; written before the command it is who
    works (``solebook --therapist 2 session edit 709 --price 70`` is therapist 2 changing
    a price, not giving the session to 2)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help="database file or SQLAlchemy URL (default: $SOLEBOOK_DB or the "
                             "user data folder)")
    common.add_argument("--lang", choices=("nl", "en"), default=argparse.SUPPRESS,
                        help="language of what is printed for people")
    common.add_argument("--therapist", metavar="ID", type=_therapist_id,
                        dest="owner" if owner else "therapist", default=argparse.SUPPRESS,
                        help="give the session to this therapist (before the command: the "
                             "therapist who is working)" if owner else
                        "the therapist who is working (sessions, notes; without a command: in "
                        "the interface); after `session edit ID`: whose session it is; with "
                        "`report year`: whose figures")
    return common


def _therapist_id(text: str) -> int:
    from tui.cli.args import id_arg

    return id_arg("therapist")(text)


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
        therapists,
        treatments,
    )
    from tui.cli.args import Commands

    common = _common()
    parser = Parser(
        prog="solebook", parents=[common],
        description="Invoicing and bookkeeping for a one-person therapy practice. "
                    "Without a command it opens the terminal interface.",
        epilog=EXIT_CODES,
    )
    commands = Commands(
        parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser), common,
        _common(owner=True))
    # in the order `solebook --help` lists them
    for group in (practice, therapists, clients, treatments, packages, sessions, invoices,
                  reports, safety, audit, costs, exports, reminders, mail, bank, agenda):
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
    if quick is not None and _password_in(getattr(quick, "db", None)):
        quick = None  # the full parser refuses it
    if quick is not None:
        return Interface(getattr(quick, "db", None), getattr(quick, "lang", None),
                         getattr(quick, "therapist", None))
    from tui.cli.output import finish_output, prepare_streams

    prepare_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    from ledger.store.db import has_password
    from tui.cli import lang

    if has_password(getattr(args, "db", None)):
        parser.error("argument --db: do not put the password in the URL (it stays in the "
                     "shell's history); use PGPASSWORD, ~/.pgpass or the keyring")

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
        return Interface(db, getattr(args, "lang", None), getattr(args, "therapist", None))
    if getattr(args, "no_db", False):
        handler(args, None)
        finish_output()
        return 0
    shortcut: Callable[[argparse.Namespace], bool] | None = getattr(args, "quick", None)
    if shortcut is not None and shortcut(args):  # done without opening the books
        finish_output()
        return 0
    from ledger.books import Books

    books = Books.open(db, interface="cli")
    try:
        lang.follow_practice(books)
        if getattr(args, "therapist", None) and args.command != "report":  # report: whose
            from ledger.practice.therapists import choose_working  # figures, archived too

            choose_working(books, args.therapist)
        from tui.cli.safety import daily_backup_at_start

        daily_backup_at_start(books)
        try:
            handler(args, books)
            finish_output()  # while it is known whether the books changed
        except SolebookError:
            raise  # a refusal names its own cause (exit 1); its own step was undone
        except (Exception, KeyboardInterrupt) as exc:
            if books.db.changes.saved:
                raise SavedThen(exc) from exc
            raise
    finally:
        books.close()
    return 0


def _password_in(db: str | None) -> bool:
    """A password in ``--db`` (a plain check: the quick path imports no SQLAlchemy)."""
    if not db or "://" not in db:
        return False
    credentials = db.split("://", 1)[1].split("@", 1)
    return len(credentials) == 2 and ":" in credentials[0]


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
    except SavedThen as exc:
        if _output_failed(exc.cause):
            _drop_output()
        _say(_after_saving(exc.cause))
        if os.environ.get("SOLEBOOK_DEBUG") and not _output_failed(exc.cause):
            raise exc.cause from None
        code = EXIT_SAVED
    except SolebookError as exc:
        from tui.cli.lang import refusal

        _say(refusal(exc))
        code = 1
    except KeyboardInterrupt:
        from tui.cli.lang import _

        _say(_("interrupted; nothing half-done was saved"))
        code = 130
    except BrokenPipeError:  # a reader that stopped early (`| head`): nothing to say
        _drop_output()
        code = 1
    except Exception as exc:  # a bug: still one line, and the details on request
        from tui.cli.lang import _

        if _output_failed(exc):
            _drop_output()
            _say(_("the output could not be written ({reason})").format(reason=_reason(exc)))
            code = 1
        else:
            if os.environ.get("SOLEBOOK_DEBUG"):
                raise
            said = _("unexpected error ({kind}: {detail}); nothing was changed. Set "
                     "SOLEBOOK_DEBUG=1 for details.")
            _say(said.format(kind=type(exc).__name__, detail=_one_line(str(exc), 200)))
            code = 1
    sys.exit(code)


def _output_failed(exc: BaseException) -> bool:
    """Is ``exc`` a failure to write the output (not a file the command wrote: those come
    as a StorageError naming the file)?"""
    return isinstance(exc, OSError) and exc.errno in OUTPUT_ERRNOS


def _reason(exc: BaseException) -> str:
    """Why the output could not be written, in the run's language."""
    from tui.cli.lang import _

    reasons = {errno.EPIPE: _("the program reading it stopped"),
               errno.EBADF: _("standard output is closed"),
               errno.ENOSPC: _("the disk is full"),
               errno.EDQUOT: _("the disk quota is used up"),
               errno.EIO: _("an input/output error")}
    code = getattr(exc, "errno", None)
    return reasons[code] if code in reasons else _one_line(str(exc), 200)


def _after_saving(cause: BaseException) -> str:
    """What to say when ``cause`` came after the command saved its change."""
    from tui.cli.lang import _, refusal

    if _output_failed(cause):
        what = _("its output could not be written ({reason})").format(reason=_reason(cause))
    elif isinstance(cause, SolebookError):
        what = refusal(cause)
    elif isinstance(cause, KeyboardInterrupt):
        what = _("the command was interrupted")
    else:
        what = _("an unexpected error happened ({kind}: {detail})").format(
            kind=type(cause).__name__, detail=_one_line(str(cause), 200))
    return _("the change WAS saved, but then {what}. Do not run the command again: look in "
             "the books first.").format(what=what)


def _say(text: str) -> None:
    """One line on stderr (nowhere when stderr is closed)."""
    if sys.stderr is not None:
        with contextlib.suppress(OSError):
            print(f"solebook: {_one_line(text)}", file=sys.stderr, flush=True)


def _drop_output() -> None:
    """After stdout failed: what is still buffered goes to /dev/null, so that Python's own
    flush at exit does not fail again (and turn the exit code into 120)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


if __name__ == "__main__":
    main()
