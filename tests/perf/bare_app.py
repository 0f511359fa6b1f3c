"""The yardstick for start-up: a bare Textual app (Header, a DataTable of 50 rows, Footer).

``python -m tests.perf.bare_app`` draws it; the start-up benchmark times it on a
pseudo-terminal exactly as it times solebook, until the text "bare row 7" is on screen.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header


class BareApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Number", "Date", "Client", "Total")
        table.add_rows((f"2026-{i:04d}", "24-11-2026", f"bare row {i}", "€ 65,00")
                       for i in range(1, 51))


if __name__ == "__main__":
    BareApp().run()
