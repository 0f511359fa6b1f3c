"""A screen that fills in one form and saves it with one call to the books.

Every form screen behaves the same: each field is checked as it is left (by the parsers
the books use), ctrl+s or the Save button checks them all and, when all are right, runs
the save in a worker (one transaction); escape or Close asks before throwing away what
was typed. Subclasses compose their fields in a :class:`~tui.widgets.form.FieldForm`
with Save (``#save``) and Close (``#close``) buttons, and say what saving does
(:meth:`FormScreen.save_call`) and what to tell afterwards (:meth:`FormScreen.saved_text`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import Button

from tui.i18n import N_, _
from tui.screens.base import BooksScreen
from tui.widgets.dialogs import discard_changes_dialog
from tui.widgets.form import FieldForm

T = TypeVar("T")

SaveCall = tuple[Callable[..., Any], tuple[Any, ...]]


class FormScreen(BooksScreen[T | None]):
    FORM = True  # section keys and n are not taken while filling this in
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", N_("Save"), priority=True),
        Binding("escape", "close", N_("Close")),
    ]

    saving = False

    @property
    def form(self) -> FieldForm:
        return self.query_one(FieldForm)

    def on_screen_resume(self) -> None:
        """Nothing to read: the form starts from what the screen was given."""

    def save_call(self) -> SaveCall | None:
        """The service function and its arguments that store the form (all fields are
        right when this is called); None saves nothing."""
        raise NotImplementedError

    def saved_text(self, result: T) -> str:
        """What to tell the person once it is stored."""
        raise NotImplementedError

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.saving:
            return
        problems = self.form.problems()
        if problems:
            self.form.first_problem_focus(list(problems))
            self.notify(_("Please correct the marked fields."), severity="warning")
            return
        call = self.save_call()
        if call is None:
            return
        function, args = call
        self.saving = True
        self.act("saved", function, *args)

    def done_saved(self, result: T) -> None:
        self.form.mark_saved()
        self.notify(self.saved_text(result))
        self.dismiss(result)

    def worker_failed(self, worker: Any) -> None:
        self.saving = False

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        if not self.form.dirty:
            self.dismiss(None)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(discard_changes_dialog(), answer)
