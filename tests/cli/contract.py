"""The command line's contract, read from its parser: every command path with its options.

Users' scripts depend on commands, options, choices and defaults exactly as written, so the
shape is kept in ``contract.json`` beside this file and a test compares. Regenerate it only
for a deliberate addition: ``python -m tests.cli.contract > tests/cli/contract.json``.
Help texts are left out: rewording them breaks no script.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _option(action: argparse.Action) -> dict[str, Any]:
    default = action.default
    if default is argparse.SUPPRESS:
        default = "==SUPPRESS=="
    return {
        "flags": list(action.option_strings),
        "dest": action.dest,
        "nargs": action.nargs if not isinstance(action.nargs, int) else str(action.nargs),
        "choices": sorted(str(c) for c in action.choices) if action.choices else None,
        "default": default if isinstance(default, str | int | bool | type(None)) else repr(default),
        "required": bool(action.required),
        "kind": type(action).__name__,
    }


def describe(parser: argparse.ArgumentParser, path: str = "") -> dict[str, Any]:
    """``{"command path": {"runs": has a handler, "options": [...]}}`` for the parser and
    every sub-command under it."""
    found: dict[str, Any] = {}
    options = []
    for action in parser._actions:  # a test may read argparse's table; the program does not
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in sorted(action.choices.items()):
                found.update(describe(sub, f"{path} {name}".strip()))
        elif not isinstance(action, argparse._HelpAction):
            options.append(_option(action))
    found[path or "solebook"] = {
        "runs": parser.get_default("handler") is not None,
        "options": sorted(options, key=lambda o: (o["flags"], o["dest"])),
    }
    return dict(sorted(found.items()))


def current() -> dict[str, Any]:
    from tui.cli.main import build_parser

    return describe(build_parser())


if __name__ == "__main__":
    json.dump(current(), sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
