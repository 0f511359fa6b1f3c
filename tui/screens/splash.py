"""The page the interface shows with nothing else to show: while the books open, while the
interface is rebuilt in another language, or when the books cannot be opened."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static

from tui.failures import Guarded


class SplashScreen(Guarded, Screen[None]):
    """A blank page with the name: while the interface is rebuilt in another language,
    or, with ``problem``, when the books cannot be opened at all."""

    def __init__(self, problem: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static("solebook", id="splash-title")
            if self.problem:
                yield Static(self.problem, id="splash-problem", markup=False)
            else:
                yield LoadingIndicator(id="splash-busy")
