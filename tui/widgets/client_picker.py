"""Choose a client by typing part of the name: matches appear as you type.

The widget does no reading itself: it posts :class:`ClientPicker.Search` with the text, the
screen looks the names up (in a worker) and hands the matches back with
:meth:`ClientPicker.show_matches`. Enter takes the highlighted match (the first one unless
you moved down to another), and :class:`ClientPicker.Picked` says which client it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.failures import Guarded
from tui.i18n import _

if TYPE_CHECKING:  # the overview paints without the books' value classes
    from ledger.base.views import ClientInfo

MAX_MATCHES = 8


class ClientInput(Guarded, Input):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("down", "matches", show=False)]

    def action_matches(self) -> None:
        picker = self.parent
        if isinstance(picker, ClientPicker):
            picker.focus_matches()


class ClientPicker(Guarded, Vertical):
    DEFAULT_CSS = """
    ClientPicker { height: auto; margin: 0 1 1 0; }
    ClientPicker OptionList { height: auto; max-height: 10; display: none; }
    ClientPicker.-open OptionList { display: block; }
    """

    class Search(Message):
        def __init__(self, picker: ClientPicker, text: str) -> None:
            super().__init__()
            self.picker = picker
            self.text = text

        @property
        def control(self) -> ClientPicker:
            return self.picker

    class Picked(Message):
        def __init__(self, picker: ClientPicker, client: ClientInfo | None) -> None:
            super().__init__()
            self.picker = picker
            self.client = client

        @property
        def control(self) -> ClientPicker:
            return self.picker

    def __init__(self, client: ClientInfo | None = None, *, can_add: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.client = client
        self.can_add = can_add  # the screen adds a client with ctrl+n: say so
        self._matches: list[ClientInfo] = []
        self._shown_for = ""
        self._enter_pending = False

    def compose(self) -> ComposeResult:
        yield ClientInput(
            value=self.client.name if self.client else "",
            placeholder=_("Type part of the name…"), id="client-name", compact=True,
        )
        yield OptionList(id="client-matches")

    @property
    def input(self) -> Input:
        return self.query_one(ClientInput)

    def focus(self, scroll_visible: bool = True) -> ClientPicker:
        self.input.focus(scroll_visible)
        return self

    def focus_matches(self) -> None:
        if self._matches:
            options = self.query_one(OptionList)
            options.focus()
            options.highlighted = 0

    def show_matches(self, text: str, clients: Sequence[ClientInfo]) -> None:
        if text != self.input.value:  # the person typed on: a newer search will come
            return
        self._matches = list(clients)[:MAX_MATCHES]
        self._shown_for = text
        if self._enter_pending and self._matches:  # Enter came before the matches did
            self._enter_pending = False
            self.pick(self._matches[0])
            self.screen.focus_next()
            return
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            Option(self._label(c), id=str(c.id)) for c in self._matches
        )
        if self._matches:
            options.highlighted = 0
        elif text.strip():
            options.add_option(Option(_("No client matches “{text}”").format(text=text),
                                      disabled=True))
            if self.can_add:
                options.add_option(Option(_("ctrl+n: add a new client"), disabled=True))
        self.set_class(bool(text.strip()), "-open")

    @staticmethod
    def _label(client: ClientInfo) -> str:
        place = f"  ·  {client.city}" if client.city else ""
        return f"{client.name}{place}"

    def pick(self, client: ClientInfo) -> None:
        self.client = client
        with self.input.prevent(Input.Changed):
            self.input.value = client.name
        self.remove_class("-open")
        self.post_message(self.Picked(self, client))

    @on(Input.Changed, "#client-name")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.client is not None and event.value == self.client.name:
            return
        if self.client is not None:
            self.client = None
            self.post_message(self.Picked(self, None))
        if event.value.strip():
            self.post_message(self.Search(self, event.value))
        else:
            self.show_matches("", [])

    @on(Input.Submitted, "#client-name")
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        if self.client is not None and event.value == self.client.name:
            self.screen.focus_next()
            return
        if self._shown_for != event.value:
            self._enter_pending = bool(event.value.strip())
            return
        options = self.query_one(OptionList)
        index = options.highlighted or 0
        if self._matches and index < len(self._matches):
            self.pick(self._matches[index])
            self.screen.focus_next()

    @on(OptionList.OptionSelected, "#client-matches")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = next((c for c in self._matches if str(c.id) == event.option.id), None)
        if chosen is not None:
            self.pick(chosen)
            self.input.focus()
            self.screen.focus_next()
