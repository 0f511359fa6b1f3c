"""Form fields that check what is typed as it is typed, with the books' own parsers.

Each field is backed by a :class:`ledger.base.forms.Field` (the same table the command line
uses), so a postcode, date, IBAN or amount is judged exactly as it will be when saved. A
problem shows under the field at once; nothing is stored until every field is right.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from ledger.base.errors import InputError
from ledger.base.forms import Field
from tui.failures import Guarded
from tui.i18n import _, language

Choices = Sequence[tuple[str, str]]  # (label shown, value stored)


class FormField(Guarded, Vertical):
    """A label, an input (or a choice) and the line where a problem is shown."""

    DEFAULT_CSS = """
    FormField { height: auto; margin: 0 1 1 0; }
    FormField > Label { color: $text-muted; }
    FormField:focus-within > Label { color: $accent; text-style: bold; }
    FormField > Input, FormField > Select { width: 100%; }
    FormField > .problem { color: $error; height: auto; display: none; }
    FormField.-invalid > .problem { display: block; }
    FormField.-invalid > Input { background: $error 25%; }
    """

    def __init__(
        self,
        key: str,
        label: str,
        field: Field | None = None,
        *,
        value: str = "",
        choices: Choices | None = None,
        optional: bool = False,
        placeholder: str = "",
        password: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.key = key
        self.label = label
        self.field = field
        self.initial = value
        self.choices = choices
        self.optional = optional
        self.placeholder = placeholder
        self.password = password

    def compose(self) -> ComposeResult:
        yield Label(self.label)
        if self.choices is not None:
            yield Select(
                [(label, value) for label, value in self.choices],
                value=self.initial if self.initial else Select.NULL,
                allow_blank=not self.choices, id=f"field-{self.key}", compact=True,
                prompt=_("Choose…"),
            )
        else:
            yield Input(self.initial, placeholder=self.placeholder, id=f"field-{self.key}",
                        password=self.password, compact=True)
        yield Static("", classes="problem")

    @property
    def value(self) -> str:
        if self.choices is not None:
            selected = self.query_one(Select).value
            return "" if selected is Select.NULL else str(selected)
        return self.query_one(Input).value

    @value.setter
    def value(self, text: str) -> None:
        if self.choices is not None:
            self.query_one(Select).value = text
        else:
            self.query_one(Input).value = text

    @property
    def dirty(self) -> bool:
        return self.value.strip() != self.initial.strip()

    def problem(self) -> str | None:
        """What is wrong with the value (None when it is fine); shown under the field."""
        text = self.value
        reason: str | None = None
        if self.field is not None and not (self.optional and not text.strip()):
            try:
                self.field.read(text)
            except InputError as exc:
                reason = exc.reason_text(language())
        self.show_problem(reason)
        return reason

    def show_problem(self, reason: str | None) -> None:
        self.query_one(".problem", Static).update(reason or "")
        self.set_class(reason is not None, "-invalid")

    @on(Input.Changed)
    def _changed(self) -> None:
        if self.has_class("-invalid"):  # say so as soon as it is right again
            self.problem()

    @on(Input.Blurred)
    def _left(self) -> None:
        self.problem()


class FieldForm(Guarded, Vertical):
    """A group of :class:`FormField`; knows what changed and what is wrong."""

    DEFAULT_CSS = """
    FieldForm { height: auto; }
    """

    @property
    def form_fields(self) -> list[FormField]:
        return list(self.query(FormField))

    def field(self, key: str) -> FormField:
        return self.query_one(f"#form-{key}", FormField)

    def problems(self) -> dict[str, str]:
        """Check every field (each shows its own problem); the bad ones by key."""
        found = {}
        for item in self.form_fields:
            reason = item.problem()
            if reason is not None:
                found[item.key] = reason
        return found

    def values(self, *, changed_only: bool = False) -> dict[str, str | None]:
        """The typed text per key, leaving out blank optional fields."""
        result: dict[str, str | None] = {}
        for item in self.form_fields:
            if changed_only and not item.dirty:
                continue
            if item.optional and not item.value.strip() and not item.initial.strip():
                continue
            result[item.key] = item.value
        return result

    @property
    def dirty(self) -> bool:
        return any(item.dirty for item in self.form_fields)

    def mark_saved(self) -> None:
        for item in self.form_fields:
            item.initial = item.value

    def first_problem_focus(self, keys: Sequence[str]) -> None:
        for item in self.form_fields:
            if item.key in keys:
                item.query_one("#field-" + item.key).focus()
                return


def form_field(key: str, label: str, field: Field | None, value: str = "",
               **kwargs: Any) -> FormField:
    """A :class:`FormField` with the id the :class:`FieldForm` looks it up by."""
    return FormField(key, label, field, value=value, id=f"form-{key}", **kwargs)
