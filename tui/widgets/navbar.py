"""The line at the top: the six parts of the program, with their keys; click one to go."""

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
        from tui.app import SECTIONS

        parts = []
        for mode, key, title in SECTIONS:
            label = f"{key} {escape(_(title))}"
            if mode == self.active:
                parts.append(f"[reverse bold] {label} [/]")
            else:
                parts.append(f"[@click=app.section('{mode}')] {label} [/]")
        self.update(" ".join(parts))
