"""A list of one year's records with ids, such as the costs and the kilometre log: other year
with ``-`` / ``+``, the highlighted record, and back to the year of what was just stored."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding, BindingType

from tui.i18n import N_
from tui.screens.base import BooksScreen
from tui.widgets.fit_table import FitTable

YEAR_KEYS: list[BindingType] = [
    Binding("minus", "year(-1)", N_("Previous year"), key_display="-"),
    Binding("plus,equals_sign", "year(1)", N_("Next year"), key_display="+"),
    Binding("escape", "close", N_("Back")),
]


class YearListScreen(BooksScreen[None]):
    """Subclasses list their records in :meth:`records` (each has ``id`` and ``date``) and
    end their own BINDINGS with ``*YEAR_KEYS`` (so their own keys come first in the footer)."""

    def __init__(self, year: int) -> None:
        super().__init__()
        self.year = year

    def records(self) -> Sequence[Any]:
        raise NotImplementedError  # each year list says what it shows

    def action_year(self, step: int) -> None:
        self.year += step
        self.reload()

    def _stored(self, record: Any | None) -> None:
        """After a form: show the year of what was stored (nothing stored: as it was)."""
        if record is not None:
            self.year = record.date.year
            self.reload()

    def _selected(self) -> Any | None:
        key = self.query_one(FitTable).selected_key()
        if key is None:
            return None
        return next((r for r in self.records() if str(r.id) == key), None)

    def action_close(self) -> None:
        self.dismiss(None)
