"""What every screen shares: the books, reading and writing in workers, errors shown kindly.

A screen never reads or writes the books on the interface's thread. It calls
:meth:`BooksMixin.act` with a service function; the function runs in a thread worker
(``@work(thread=True, exclusive=True, exit_on_error=False)``) and its result comes back
as a :class:`BooksMixin.Done` message, which calls the screen's ``done_<tag>`` method.
Showing data works the same way through :meth:`BooksMixin.fetch` and ``show``. A failure
in any worker lands in one place, :meth:`tui.app.SolebookApp.report_error`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from textual import work
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState, get_current_worker

from tui.failures import Guarded
from tui.i18n import _, translate_bindings
from tui.widgets.client_picker import MAX_MATCHES, ClientPicker

if TYPE_CHECKING:
    from ledger.books import Books
    from tui.app import SolebookApp

T = TypeVar("T")


class BooksMixin(Guarded):
    """Reading in ``fetch``/``show``, writing through ``act``/``done_<tag>``."""

    class Loaded(Message):
        def __init__(self, data: Any) -> None:
            super().__init__()
            self.data = data

    class Done(Message):
        def __init__(self, tag: str, result: Any) -> None:
            super().__init__()
            self.tag = tag
            self.result = result

    class Matches(Message):
        def __init__(self, picker: ClientPicker, text: str, clients: list[Any]) -> None:
            super().__init__()
            self.picker = picker
            self.text = text
            self.clients = clients

    @property
    def solebook(self) -> SolebookApp:
        return self.app  # type: ignore[attr-defined]

    @property
    def books(self) -> Books:
        books = self.solebook.books
        assert books is not None, "the books are opened before any screen shows them"
        return books

    # ------------------------------------------------------------------ reading
    def reload(self) -> None:
        if self.solebook.books is not None:
            self.load_data()

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def load_data(self) -> None:
        data = self.fetch(self.books)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(data))  # type: ignore[attr-defined]

    def fetch(self, books: Books) -> Any:
        """Read what the screen shows (runs in a worker thread)."""
        return None

    def show(self, data: Any) -> None:
        """Put what :meth:`fetch` read on the screen (runs on the interface's thread)."""

    def on_books_mixin_loaded(self, message: BooksMixin.Loaded) -> None:
        message.stop()
        self.show(message.data)

    # ------------------------------------------------------------------ writing
    def act(self, tag: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run ``function(*args, **kwargs)`` in a worker; ``done_<tag>(result)`` follows."""
        self._act(tag, function, args, kwargs)

    @work(thread=True, exclusive=True, exit_on_error=False, group="act")
    def _act(self, tag: str, function: Callable[..., Any], args: tuple[Any, ...],
             kwargs: dict[str, Any]) -> None:
        result = function(*args, **kwargs)
        self.post_message(self.Done(tag, result))  # type: ignore[attr-defined]

    def done_file(self, result: tuple[Path, bool]) -> None:
        """After ``act("file", ...)`` made or found a document and asked the system viewer to
        open it: say so, or where the file is when no viewer could."""
        path, opened = result
        if opened:
            self.notify(_("Opened {file}").format(file=path.name))  # type: ignore[attr-defined]
        else:
            self.notify(  # type: ignore[attr-defined]
                _("No PDF viewer found; the file is at {path}").format(path=path), timeout=12)

    def on_books_mixin_done(self, message: BooksMixin.Done) -> None:
        message.stop()
        handler = getattr(self, f"done_{message.tag}", None)
        if handler is not None:
            handler(message.result)

    # ------------------------------------------------------------------ client search
    def on_client_picker_search(self, message: ClientPicker.Search) -> None:
        message.stop()
        self._search(message.picker, message.text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(self, picker: ClientPicker, text: str) -> None:
        from ledger.practice.clients import list_clients

        found = list_clients(self.books, text, limit=MAX_MATCHES)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Matches(picker, text, found))  # type: ignore[attr-defined]

    def on_books_mixin_matches(self, message: BooksMixin.Matches) -> None:
        message.stop()
        message.picker.show_matches(message.text, message.clients)

    # ------------------------------------------------------------------ failures
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.solebook.report_error(event.worker.error)
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker[Any]) -> None:
        """A screen may re-enable what it disabled while the worker ran."""


class BooksScreen(BooksMixin, Screen[T], Generic[T]):
    """A full screen that reads the books; it reloads whenever it comes back into view."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    def on_screen_resume(self) -> None:
        self.reload()


class BooksDialog(BooksMixin, ModalScreen[T], Generic[T]):
    """A dialog over another screen; ``dismiss(value)`` hands its answer back."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)
