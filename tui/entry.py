"""The ``solebook`` program: the command line, and the Textual interface when no command is
given. The one module above both front ends, which never import each other."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ledger.books import Books
    from tui.cli.main import Interface


def open_interface(request: Interface) -> int:
    """Open the Textual app (imported only now: the command line does not need it). The
    overview's figures are read in a thread meanwhile (:mod:`tui.early`). With
    ``--therapist ID`` the books are opened first and that therapist chosen: an unknown or
    archived one is refused in one line (by the caller) and no interface opens."""
    books = working_books(request.db, request.therapist) if request.therapist else None
    from tui.early import EarlyFigures

    early = EarlyFigures(request.db, language=request.lang)
    from tui.app import run_app

    return run_app(db=request.db, lang=request.lang, early=early, books=books)


def working_books(db: str | None, therapist_id: int) -> Books:
    """The books, open, with ``therapist_id`` working for this run (as ``--therapist`` does
    for a command); a refusal closes them again."""
    from ledger.books import Books
    from ledger.practice.therapists import choose_working

    books = Books.open(db, interface="tui")
    try:
        choose_working(books, therapist_id)
    except BaseException:
        books.close()
        raise
    return books


def main(argv: Sequence[str] | None = None) -> None:
    """``solebook [--db X] [--lang L] [COMMAND ...]``: exits with the command's code."""
    from tui.cli.main import main as command_line

    command_line(argv, interface=open_interface)


if __name__ == "__main__":
    main()
