"""Errors with a message meant for the person at the keyboard.

Every error the books raise on purpose is a :class:`SolebookError`. Its ``message`` is one
line, in plain words, and names the field when the input was at fault. The command line
prints it on stderr and exits 1; the TUI shows it as a notification or next to the field.
Anything else that escapes is a bug.
"""

from __future__ import annotations


class SolebookError(Exception):
    """Base class: ``message`` is shown to the user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(SolebookError):
    """A value typed by the user could not be accepted; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class NotFound(SolebookError):
    """A record that was asked for by id or number does not exist."""


class RuleViolation(SolebookError):
    """The books refuse the action (an issued invoice edited, a used-up package redeemed)."""


class StorageError(SolebookError):
    """The database could not be opened or used (not a database, newer schema, locked)."""
