"""Issue something, then archive its PDF: one step for the command line and the screens.

The action (issue a draft, credit an invoice, sell or cancel a package) is one transaction
in the books. Archiving the PDF of what it issued comes after it: when that fails, the
invoice is still issued, and the failure is handed back as :attr:`Archived.problem` for the
front end to show as a warning (the next archiving, or ``solebook invoice pdf NUMBER``,
writes the PDF). ReportLab is imported only when a PDF is made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from ledger.base.errors import SolebookError

if TYPE_CHECKING:
    from ledger.base.views import InvoiceInfo, PackageInfo
    from ledger.books import Books

T = TypeVar("T")


@dataclass(frozen=True)
class Archived:
    """The PDFs written after an action that issued something, or why they were not."""

    paths: tuple[Path, ...]
    problem: SolebookError | None = None

    def warning(self, language: str) -> str:
        """The problem in ``language`` (``nl``, ``en``); empty when all went well."""
        return self.problem.text(language) if self.problem is not None else ""


@dataclass(frozen=True)
class Issued(Generic[T]):
    """What an action stored (an invoice, a package) and what archiving its PDF did."""

    info: T
    archived: Archived


def archive_issued(books: Books, numbers: Iterable[str | None], *,
                   backlog: bool = False) -> Archived:
    """Archive the PDFs of ``numbers`` (what an action just issued; None is skipped).

    With ``backlog``, first every earlier issued invoice still without its PDF too (the
    command line: a demo loaded there leaves hundreds, archived in parallel); the screens
    render only what the action produced, so a backlog never holds them up."""
    try:
        from invoices.archive import archive_pending, ensure_pdf

        if backlog:
            archive_pending(books)
        return Archived(tuple(ensure_pdf(books, number) for number in numbers if number))
    except SolebookError as exc:
        return Archived((), exc)


def issue_and_archive(books: Books, ref: str | int, on: date | None = None, *,
                      backlog: bool = False) -> Issued[InvoiceInfo]:
    """Issue a draft (it gets its number and is final), then archive its PDF."""
    from ledger.billing.issuing import issue_invoice

    info = issue_invoice(books, ref, on)
    return Issued(info, archive_issued(books, [info.number], backlog=backlog))


def credit_and_archive(books: Books, ref: str | int, lines: list[int] | None = None,
                       on: date | None = None, *,
                       backlog: bool = False) -> Issued[InvoiceInfo]:
    """A credit note for an invoice (all of it, or the line positions given), archived."""
    from ledger.billing.credits import credit_invoice

    info = credit_invoice(books, ref, lines, on)
    return Issued(info, archive_issued(books, [info.number], backlog=backlog))


def sell_and_archive(books: Books, client_id: int, plan_id: int, on: date | None = None,
                     *, backlog: bool = False) -> Issued[PackageInfo]:
    """Sell a package (its invoice is issued at once), then archive that invoice."""
    from ledger.billing.packages import sell_package

    package = sell_package(books, client_id, plan_id, on)
    return Issued(package, archive_issued(books, [package.invoice_number], backlog=backlog))


def cancel_and_archive(books: Books, package_id: int, on: date | None = None, *,
                       backlog: bool = False) -> Issued[PackageInfo]:
    """Cancel a package (the unused part is credited), then archive the credit note."""
    from ledger.billing.packages import cancel_package

    package = cancel_package(books, package_id, on)
    return Issued(package, archive_issued(books, [package.cancel_credit_number],
                                          backlog=backlog))
