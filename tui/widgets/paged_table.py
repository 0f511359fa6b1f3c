"""A table that holds one page of rows at a time and asks for the next as you get near it.

The screen owns the data: it answers :class:`PagedTable.NeedRows` by reading the next page
(``limit``/``offset`` in SQL) in a worker and handing it to :meth:`PagedTable.add_page`.
So a list of fifty thousand invoices costs one page of rows to open, and scrolling or
moving the cursor down loads the rest a page at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from textual.message import Message

from tui.widgets.fit_table import FitTable

PAGE_SIZE = 100
MARGIN = 20  # ask for more when the cursor or the view is this close to the last row


class PagedTable(FitTable):
    """A :class:`FitTable` that loads lazily; rows are keyed by the record's id."""

    class NeedRows(Message):
        """More rows are wanted, starting at ``offset``."""

        def __init__(self, table: PagedTable, offset: int) -> None:
            super().__init__()
            self.table = table
            self.offset = offset

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(self, *args: Any, page_size: int = PAGE_SIZE, **kwargs: Any) -> None:
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(*args, **kwargs)
        self.page_size = page_size
        self.total = 0
        self._asking = False

    def start(self, total: int, rows: Iterable[tuple[Any, Sequence[str]]], at: int = 0
              ) -> None:
        """Show the first page of a new list of ``total`` rows, the cursor on row ``at``
        (the last row when the page has fewer)."""
        self.total = total
        self._asking = False
        self.fill(rows)
        self.move_cursor(row=max(0, min(at, len(self._rows) - 1)), animate=False)

    def add_page(self, offset: int, rows: Iterable[tuple[Any, Sequence[str]]]) -> None:
        if offset == len(self._rows):  # not a page that a newer list made stale
            self.append(rows)
        self._asking = False
        self.call_after_refresh(self._maybe_ask)

    @property
    def complete(self) -> bool:
        return len(self._rows) >= self.total

    def _maybe_ask(self) -> None:
        if self._asking or self.complete or not self.is_mounted:
            return
        last_visible = int(self.scroll_y) + self.size.height
        if max(self.cursor_row, last_visible) >= len(self._rows) - MARGIN:
            self._asking = True
            self.post_message(self.NeedRows(self, len(self._rows)))

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        self._maybe_ask()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._maybe_ask()
