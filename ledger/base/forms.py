"""Turning what a person typed into typed values, one table of fields per form.

The command line and the TUI forms share these tables, so a field is parsed the same way
wherever it is typed and a bad value is refused with the same one-line message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ledger.base.errors import InputError


@dataclass(frozen=True)
class Field:
    label: str
    parse: Callable[[str, str], Any]
    blank: Any = ""  # the value an empty entry stands for; None = the field is required

    def read(self, raw: str) -> Any:
        if raw.strip() == "":
            if self.blank is None:
                raise InputError(self.label, "is required")
            return self.blank
        return self.parse(raw, self.label)


def parse_form(fields: Mapping[str, Field], raw: Mapping[str, str | None]) -> dict[str, Any]:
    """Parse the given subset of fields; raise the first problem as an InputError."""
    unknown = set(raw) - set(fields)
    if unknown:
        raise InputError(sorted(unknown)[0], "is not a field of this form")
    return {key: fields[key].read(value) for key, value in raw.items() if value is not None}


def form_problems(fields: Mapping[str, Field], raw: Mapping[str, str]) -> dict[str, str]:
    """Every problem at once (for a form that marks each bad field), keyed by field."""
    problems: dict[str, str] = {}
    for key, value in raw.items():
        try:
            fields[key].read(value)
        except InputError as exc:
            problems[key] = exc.message
    return problems
