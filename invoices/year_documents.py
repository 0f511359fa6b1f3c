"""The PDFs of the tax-year export (``ledger.yearend.export.YearDocuments``), from this package.

Invoice and credit-note PDFs come from the archive (rendered and archived first when
missing, all cores); the annual report and the insurers' year statements are rendered
here. A year statement is dated 31 December of its year (or today, when the year is not
over yet), so exporting a closed year again gives the same bytes.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from ledger.books import Books
from ledger.practice.profile import get_practice
from ledger.yearend.export import Progress
from ledger.yearend.figures import YearEnd


class PdfDocuments:
    """Implements ``ledger.yearend.export.YearDocuments`` with the renderers of ``invoices``."""

    def __init__(self, books: Books, *, parallel: bool = False) -> None:
        """``parallel``: archive missing invoice PDFs on all cores first (the command line);
        otherwise each is rendered in this process when it is needed (safe in the TUI's
        worker threads, where starting processes is not)."""
        self.books = books
        self.parallel = parallel
        self._logo: bytes | None = None
        self._logo_loaded = False

    def prepare(self, year: int, progress: Progress | None) -> None:
        if self.parallel:
            from invoices.archive import archive_pending

            archive_pending(self.books, progress=progress)

    def invoice_pdf(self, number: str) -> bytes:
        from invoices.archive import ensure_pdf

        return ensure_pdf(self.books, number).read_bytes()

    def annual_report(self, figures: YearEnd) -> bytes:
        from invoices.annual_report import render_annual_report
        from ledger.journals.trial_balance import trial_balance

        tb = trial_balance(self.books, figures.year)

        def ledger_section(_f: YearEnd, s: dict[str, Any]) -> list[Any]:
            from invoices.trial_balance import trial_balance_story

            return trial_balance_story(tb, s)

        return render_annual_report(figures, get_practice(self.books), self.books.clock.now(),
                                    extra=[ledger_section])

    def _current_logo(self) -> bytes | None:
        if not self._logo_loaded:
            from invoices.logo import LogoBook

            self._logo = LogoBook(self.books).at(None)
            self._logo_loaded = True
        return self._logo

    def client_statement(self, client_id: int, year: int) -> bytes | None:
        from invoices.statements import client_year_statement, render_statement

        statement = client_year_statement(self.books, client_id, year)
        if not statement.rows:
            return None
        issued = min(self.books.clock.today(), date(year, 12, 31))
        statement = dataclasses.replace(statement, issued_on=issued)
        return render_statement(statement, self._current_logo())
