"""A table whose columns always fit its width: long names are shortened with an ellipsis
instead of running off the edge, on a wide terminal and on an 80-column one alike.

Each column gets its own width (on a terminal too narrow for that, the widest text columns
give way, down to ``MIN_WIDTH``, and amounts only when no text column can give more); the
room left over goes first to the columns whose text would be cut (each up to what its
longest cell needs, in proportion to its ``flex``, at least 1), and what is still left to
the flexible columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from rich.text import Text
from textual.widgets import DataTable

from tui.failures import Guarded

SCROLLBAR = 2
MIN_WIDTH = 4  # on a very narrow terminal a column still shows "Fem…"


class Column(NamedTuple):
    title: str
    width: int  # the width it gets (fixed) or at least (flexible)
    flex: int = 0  # share of the room left over; 0 = fixed width
    right: bool = False  # amounts are right-aligned


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


class FitTable(Guarded, DataTable[Any]):
    """Rows are ``(key, cells)``; cells are plain strings, shortened to their column."""

    def __init__(self, columns: Sequence[Column] = (), **kwargs: Any) -> None:
        kwargs.setdefault("cursor_type", "row")
        super().__init__(**kwargs)
        self.spec = list(columns)
        self._rows: list[tuple[str, Sequence[str]]] = []
        self._widths: list[int] = []
        self._laid_out_for = -1

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Show other columns. Rows made for the old ones are dropped (a row of four cells
        cannot go under three columns); the caller fills the table again."""
        if list(columns) == self.spec:
            return
        self.spec = list(columns)
        self._rows = []
        self._laid_out_for = -1
        self._layout()

    def widths_for(self, width: int, rows: Sequence[tuple[str, Sequence[str]]] = ()) -> list[int]:
        """The width of each column in a table ``width`` wide showing ``rows``."""
        room = width - SCROLLBAR - 2 * self.cell_padding * len(self.spec)
        widths = [max(c.width, len(c.title)) for c in self.spec]
        wanted = list(widths)
        for _key, cells in rows:
            for i, cell in enumerate(cells[:len(wanted)]):
                wanted[i] = max(wanted[i], len(str(cell)))
        while sum(widths) > room and max(widths) > MIN_WIDTH:  # too narrow: the widest give,
            # text before amounts: a name shortened to "Ondernem…" still says which one,
            # an amount shortened to "€ 4.365,…" says nothing
            texts = [i for i, c in enumerate(self.spec) if not c.right and widths[i] > MIN_WIDTH]
            pool = texts or [i for i in range(len(widths)) if widths[i] > MIN_WIDTH]
            widest = max(pool, key=lambda i: (widths[i], self.spec[i].flex))
            widths[widest] -= 1
        spare = max(room - sum(widths), 0)
        while spare > 0:  # first to the columns whose text would be cut
            short = [i for i, w in enumerate(widths) if w < wanted[i]]
            if not short:
                break
            weights = {i: self.spec[i].flex or 1 for i in short}
            total = sum(weights.values())
            given = 0
            for i in short:
                extra = min(max(spare * weights[i] // total, 1), wanted[i] - widths[i],
                            spare - given)
                widths[i] += extra
                given += extra
            spare -= given
        shares = sum(c.flex for c in self.spec)
        if spare > 0 and shares:  # then whatever is left to the flexible ones
            for i, column in enumerate(self.spec):
                widths[i] += spare * column.flex // shares
        return widths

    def _layout(self) -> None:
        width = self.size.width
        if not self.spec or width == 0:
            return
        widths = self.widths_for(width, self._rows)
        if width == self._laid_out_for and widths == self._widths:
            return
        self._laid_out_for = width
        self._widths = widths
        cursor = self.cursor_coordinate
        self.clear(columns=True)
        for column, w in zip(self.spec, self._widths, strict=True):
            self.add_column(Text(clip(column.title, w),
                                 justify="right" if column.right else "left"), width=w)
        self._add(self._rows)
        if self.row_count:
            self.move_cursor(row=min(cursor.row, self.row_count - 1), animate=False)

    def on_resize(self) -> None:
        self._layout()

    def _cells(self, cells: Sequence[str]) -> list[Any]:
        out: list[Any] = []
        for cell, column, w in zip(cells, self.spec, self._widths, strict=True):
            # A Text, never a str: DataTable would read a str as markup ("[b]" in a name).
            out.append(Text(clip(str(cell), w), no_wrap=True, end="",
                            justify="right" if column.right else "left"))
        return out

    def _add(self, rows: Iterable[tuple[str, Sequence[str]]]) -> None:
        if not self._widths:
            return
        for key, cells in rows:
            if key not in self.rows:
                self.add_row(*self._cells(cells), key=key)

    def fill(self, rows: Iterable[tuple[Any, Sequence[str]]]) -> None:
        """Replace all rows."""
        self._rows = [(str(k), cells) for k, cells in rows]
        self.clear()
        if self._widths and self.widths_for(self._laid_out_for, self._rows) == self._widths:
            self._add(self._rows)
        else:  # other text wants other widths
            self._laid_out_for = -1
            self._layout()

    def append(self, rows: Iterable[tuple[Any, Sequence[str]]]) -> None:
        more = [(str(k), cells) for k, cells in rows]
        self._rows.extend(more)
        self._add(more)

    def selected_key(self) -> str | None:
        """The key of the row under the cursor (None when the table is empty)."""
        if self.row_count == 0:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value
