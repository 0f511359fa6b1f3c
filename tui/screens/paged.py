"""A list screen whose :class:`~tui.widgets.paged_table.PagedTable` reads more rows from
the books as the cursor nears the end (``limit``/``offset`` in SQL, in a worker).

The screen says what identifies the list it shows now (:meth:`PagedScreen.list_key`: the
search text, the filters, or nothing), how to read a further page of it
(:meth:`PagedScreen.read_more`, in a worker thread) and which rows a page gives
(:meth:`PagedScreen.page_rows`). A page read for a list the screen no longer shows (the
search changed, or the list was read again) is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from textual import on, work
from textual.message import Message
from textual.worker import get_current_worker

from tui.screens.base import BooksScreen
from tui.widgets.paged_table import PagedTable

P = TypeVar("P")  # what read_more returns: a page with its offset

Row = tuple[str, Sequence[str]]


class PagedScreen(BooksScreen[None], Generic[P]):
    class PageRead(Message):
        def __init__(self, key: Any, page: Any) -> None:
            super().__init__()
            self.key = key
            self.page = page

    _generation = 0  # counts reloads: a page asked for before the last one is dropped

    def reload(self) -> None:
        self._generation += 1
        super().reload()

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    def list_key(self) -> Any:
        """What identifies the list shown now (read on the interface's thread)."""
        return None

    def read_more(self, key: Any, offset: int) -> P:
        """The page of the list ``key`` from ``offset`` on (runs in a worker thread)."""
        raise NotImplementedError

    def page_rows(self, page: P) -> list[Row]:
        """The table rows of a page read by :meth:`read_more`."""
        raise NotImplementedError

    def page_offset(self, page: P) -> int:
        return int(page.offset)  # type: ignore[attr-defined]

    @on(PagedTable.NeedRows)
    def _need_rows(self, event: PagedTable.NeedRows) -> None:
        self._read_page((self._generation, self.list_key()), event.offset)

    @work(thread=True, exclusive=True, exit_on_error=False, group="page")
    def _read_page(self, key: tuple[int, Any], offset: int) -> None:
        page = self.read_more(key[1], offset)
        if not get_current_worker().is_cancelled:
            self.post_message(self.PageRead(key, page))

    @on(PageRead)
    def _page_read(self, message: PageRead) -> None:
        if message.key == (self._generation, self.list_key()):
            self.table.add_page(self.page_offset(message.page), self.page_rows(message.page))
