"""Building the parser: the command groups, and argument types that refuse bad input as a
usage error naming the field. Nothing here imports SQLAlchemy."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from ledger.base import parse
from ledger.base.errors import InputError

Handler = Callable[[argparse.Namespace, Any], None]


class Group:
    """A command group such as ``client``: its actions, each with its handler."""

    def __init__(self, actions: Any, common: argparse.ArgumentParser,
                 owner: argparse.ArgumentParser | None = None) -> None:
        self._parsers = actions
        self._common = common
        self._owner = owner or common

    def command(self, name: str, help_: str, handler: Handler, *, owner: bool = False
                ) -> argparse.ArgumentParser:
        """An action; ``owner``: ``--therapist`` written after it names whom it is about
        (``args.owner``), not who works (see ``tui.cli.main._common``)."""
        parser: argparse.ArgumentParser = self._parsers.add_parser(
            name, help=help_, parents=[self._owner if owner else self._common])
        parser.set_defaults(handler=handler)
        return parser


class Commands:
    """The ``solebook`` sub-commands, to which each group module adds its own."""

    def __init__(self, commands: Any, common: argparse.ArgumentParser,
                 owner: argparse.ArgumentParser | None = None) -> None:
        self._commands = commands
        self._common = common
        self._owner = owner  # the options of a command with an owner (Group.command)

    def command(self, name: str, help_: str, handler: Handler) -> argparse.ArgumentParser:
        """A command without actions, such as ``init`` or ``backup``."""
        return Group(self._commands, self._common).command(name, help_, handler)

    def group(self, name: str, help_: str, handler: Handler | None = None,
              options: Callable[[argparse.ArgumentParser], None] | None = None) -> Group:
        """A group of actions; with ``handler`` the group alone (``solebook agenda``) is a
        command too, taking the ``options`` added to its parser."""
        parser = self._commands.add_parser(name, help=help_, parents=[self._common])
        if handler is not None:
            parser.set_defaults(handler=handler)
        if options is not None:
            options(parser)
        actions = parser.add_subparsers(dest="action", metavar="ACTION",
                                        parser_class=type(parser))
        return Group(actions, self._common, self._owner)


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON (and nothing else)")


def given(args: argparse.Namespace, keys: Iterable[str]) -> dict[str, str | None]:
    """The options among ``keys`` that were given on the command line."""
    return {key: getattr(args, key) for key in keys if getattr(args, key, None) is not None}


def _usage_error(field: str, convert: Callable[[str], Any]) -> Callable[[str], Any]:
    def checked(text: str) -> Any:
        try:
            return convert(text)
        except InputError as exc:
            raise argparse.ArgumentTypeError(exc.reason) from exc

    checked.__name__ = field
    return checked


def id_arg(field: str) -> Callable[[str], int]:
    """An argparse type for record ids; a bad one is a usage error naming the field."""
    return _usage_error(field, lambda text: parse.parse_int(text, field, minimum=1))


def count_arg(field: str, minimum: int) -> Callable[[str], int]:
    return _usage_error(field, lambda text: parse.parse_int(text, field, minimum=minimum,
                                                            maximum=10**9))


def date_arg(field: str) -> Callable[[str], date]:
    return _usage_error(field, lambda text: parse.parse_date(text, field, today=date.today()))
