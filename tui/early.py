"""The overview's figures, read while the interface is still being imported.

``solebook`` starts :class:`EarlyFigures` before it imports Textual: a thread reads the
figures with the database's own driver (:mod:`ledger.store.quickfigures`, no SQLAlchemy),
so they are there when the overview first paints, while the books open behind it.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ledger.store.quickfigures import OverviewFigures


class EarlyFigures:
    """The figures of ``today`` from the database ``db`` names, read in a thread."""

    def __init__(self, db: str | None, today: date | None = None,
                 language: str | None = None) -> None:
        self._done = threading.Event()
        self._figures: OverviewFigures | None = None
        self._thread = threading.Thread(target=self._read, args=(db, today, language),
                                        daemon=True,
                                        name="early-figures")
        self._thread.start()

    def _read(self, db: str | None, today: date | None, language: str | None) -> None:
        try:
            from ledger.store.quickfigures import read_figures

            day = today or date.today()
            self._figures = figures = read_figures(db, day)
            if figures is not None:  # Babel's data for the overview's date and amounts,
                # loaded here rather than when the overview shows them
                from ledger.base.dates import format_date
                from ledger.base.money import format_money

                format_date(day, language or figures.language, "long")
                format_money(0, language or figures.language)
        finally:
            self._done.set()

    def wait(self, timeout: float = 10.0) -> OverviewFigures | None:
        """The figures, or None if they could not be read this way (or not in time)."""
        self._done.wait(timeout)
        return self._figures
