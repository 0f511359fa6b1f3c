"""The line at the top: the parts of the program, with their keys; click one to go."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual.widgets import Static

from tui.failures import Guarded
from tui.i18n import _


class NavBar(Guarded, Static):
    DEFAULT_CSS = """
    NavBar { height: 1; width: 100%; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, active: str, **kwargs: Any) -> None:
        super().__init__("", **kwargs)
        self.active = active

    def on_mount(self) -> None:
        self._show(self.content_size.width)

    def on_resize(self) -> None:
        self._show(self.content_size.width)

    def _show(self, width: int) -> None:
        """Every section in one line: with its name where the window is wide enough, else
        the names shortened from the right (the active section keeps its name), so that
        the last key (7 Agenda) never falls off at 80 columns or less."""
        from tui.app import SECTIONS

        names = [(mode, key, _(title)) for mode, key, title in SECTIONS]
        room = width

        def line(full: int, gap: str, pad: str) -> tuple[str, int]:
            parts, length = [], 0
            for index, (mode, key, title) in enumerate(names):
                label = f"{key} {title}" if mode == self.active or index < full else key
                if mode == self.active:
                    parts.append(f"[reverse bold] {escape(label)} [/]")
                    length += len(label) + 2
                else:
                    parts.append(f"[@click=app.section('{mode}')]{pad}{escape(label)}{pad}[/]")
                    length += len(label) + 2 * len(pad)
            return gap.join(parts), length + len(gap) * (len(parts) - 1)

        for gap, pad in ((" ", " "), (" ", "")):
            text, length = line(len(names), gap, pad)
            if length <= room:
                self.update(text)
                return
        for full in range(len(names) - 1, -1, -1):
            text, length = line(full, " ", "")
            if length <= room or full == 0:
                self.update(text)
                return
