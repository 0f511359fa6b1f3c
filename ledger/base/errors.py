"""Errors with a message meant for the person at the keyboard.

Every error the books raise on purpose is a :class:`SolebookError`. Its ``message`` is one
line, in plain words, and names the field when the input was at fault. The command line
prints it on stderr and exits 1; the TUI shows it as a notification or next to the field.
Anything else that escapes is a bug.

An error is made from an English template (the gettext message id, in the ``solebook``
domain) and its named parameters::

    raise RuleViolation("invoice {number} is already issued", number=number)

``message`` is the English text (what the command line prints: a contract);
``text(language)`` is the same sentence translated, with the same parameters. Amounts and
dates are passed already formatted. An error made from a ready-made string (no parameters)
still works: its ``text`` is the translation of that string if there is one, else the
string itself. The constructors are extraction keywords (see ``babel.cfg``), so a template
written at the raise site lands in the catalogue; a template kept elsewhere is marked with
:func:`N_`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from ledger.base.i18n import gettext_for


def N_(message: str) -> str:
    """Mark a text (a field label, a template kept in a variable) for extraction."""
    return message


@runtime_checkable
class Localized(Protocol):
    """A parameter that is written in the language of the message it is part of: a
    :class:`Phrase`, an error that is the cause, an amount (``ledger.base.money.Amount``)."""

    def text(self, language: str) -> str: ...


def render(template: str, params: Mapping[str, object], language: str = "en") -> str:
    """``template`` with its ``{name}`` parameters filled in (as is without parameters); a
    parameter that is itself :class:`Localized` is shown in ``language`` too."""
    if not params:
        return template
    return template.format_map({key: value.text(language) if isinstance(value, Localized)
                                else value for key, value in params.items()})


def translate(text: str, language: str) -> str:
    """One message id (a template or a field label) in ``language``."""
    return gettext_for(language)(text) if text else text


class Phrase:
    """A part of a message that is translated with it: ``Phrase("line {number}", number=3)``
    as the ``where`` of a refusal, or ``Phrase(field)`` for a field label passed on as a
    parameter. ``str()`` is the English."""

    __slots__ = ("params", "template")

    def __init__(self, template: str, /, **params: object) -> None:
        self.template = template
        self.params: Mapping[str, object] = params

    def __str__(self) -> str:
        return render(self.template, self.params)

    def text(self, language: str) -> str:
        return render(translate(self.template, language), self.params, language)


class SolebookError(Exception):
    """Base class: ``message`` (English) is shown by the command line as it is; the TUI
    shows ``text(language)``."""

    def __init__(self, message: str, /, **params: object) -> None:
        self.template = message
        self.params: Mapping[str, object] = params
        self.message = render(message, params)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def text(self, language: str) -> str:
        """The message in ``language`` (``nl``, ``en``)."""
        return render(translate(self.template, language), self.params, language)


class InputError(SolebookError):
    """A value typed by the user could not be accepted; ``field`` names it (an English
    label such as ``IBAN``, ``amount``) and ``reason`` says what is wrong with it."""

    def __init__(self, field: str, message: str, /, **params: object) -> None:
        self.field = field
        self.reason = render(message, params)
        super().__init__(f"{field}: {self.reason}")
        self.template = message
        self.params = params

    def field_text(self, language: str) -> str:
        return translate(self.field, language)

    def reason_text(self, language: str) -> str:
        """What is wrong, in ``language`` (shown under the field in a form)."""
        return render(translate(self.template, language), self.params, language)

    def text(self, language: str) -> str:
        return f"{self.field_text(language)}: {self.reason_text(language)}"


def phrase_of(error: SolebookError) -> Phrase:
    """What ``error`` says, as a phrase to keep (a bank line's note): the same English as
    its ``message``, the same translation as its ``text``."""
    reason = Phrase(error.template, **error.params)
    if isinstance(error, InputError):
        return Phrase("{field}: {reason}", field=Phrase(error.field), reason=reason)
    return reason


class NotFound(SolebookError):
    """A record that was asked for by id or number does not exist."""


class RuleViolation(SolebookError):
    """The books refuse the action (an issued invoice edited, a used-up package redeemed)."""


class StorageError(SolebookError):
    """The database could not be opened or used (not a database, newer schema, locked)."""
