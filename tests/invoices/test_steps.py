"""The steps that span the books and the documents (invoices.steps), on real books: the
action is stored, its PDF archived and recorded; a failed archive is a warning, never an
undone invoice; statements land where they are asked to."""

from __future__ import annotations

import hashlib
from pathlib import Path

from invoices.steps.issuing import (
    archive_issued,
    cancel_and_archive,
    credit_and_archive,
    issue_and_archive,
    sell_and_archive,
)
from invoices.steps.statements import client_statement_file, package_statement_file
from ledger.billing.documents import archived_documents
from ledger.billing.issuing import issue_invoice
from ledger.billing.sessions import create_invoice
from ledger.billing.status import get_invoice
from ledger.books import Books
from tests.factories import TODAY, make_client, make_plan, make_treatment, record_session
from tests.invoices.pdftools import text


def _draft(books: Books, name: str = "Anna de Vries") -> int:
    """A draft for two massages given this week, as the practice makes them."""
    client = make_client(books, name)
    treatment = make_treatment(books)
    for _ in range(2):
        record_session(books, client.id, treatment.id)
    return int(create_invoice(books, client.id, None).id)


def _recorded(books: Books, path: Path) -> bool:
    """The archive's record of ``path`` carries the SHA-256 of the file's bytes."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return any(books.db.data_dir / d.path == path and d.sha256 == digest
               for d in archived_documents(books))


def test_issue_and_archive_writes_the_pdf_and_records_it(practice: Books) -> None:
    issued = issue_and_archive(practice, _draft(practice))
    assert issued.info.number == f"{TODAY.year}-0001"
    (path,) = issued.archived.paths
    assert issued.archived.problem is None and issued.archived.warning("nl") == ""
    assert path.name == f"factuur-{issued.info.number}.pdf"  # a Dutch invoice
    assert _recorded(practice, path)
    shown = text(path.read_bytes())
    assert issued.info.number in shown and "130,00" in shown  # two massages of € 65,00


def test_credit_and_archive_archives_the_credit_note(practice: Books) -> None:
    original = issue_and_archive(practice, _draft(practice)).info
    credited = credit_and_archive(practice, original.number or "", [1])
    assert credited.info.kind == "credit" and credited.info.total == -6500
    (path,) = credited.archived.paths
    assert _recorded(practice, path) and credited.info.number in text(path.read_bytes())


def test_sell_and_cancel_a_package_archive_its_invoice_and_refund(practice: Books) -> None:
    client = make_client(practice)
    plan = make_plan(practice, make_treatment(practice).id)
    sold = sell_and_archive(practice, client.id, plan.id, TODAY)
    (invoice_pdf,) = sold.archived.paths
    assert sold.info.invoice_number in text(invoice_pdf.read_bytes())
    cancelled = cancel_and_archive(practice, sold.info.id, TODAY)
    assert cancelled.info.status == "cancelled" and cancelled.info.cancel_credit_number
    (credit_pdf,) = cancelled.archived.paths
    assert _recorded(practice, invoice_pdf) and _recorded(practice, credit_pdf)
    assert get_invoice(practice, cancelled.info.cancel_credit_number).total < 0


def test_a_failed_archive_leaves_the_invoice_issued_and_says_why(practice: Books) -> None:
    draft = _draft(practice)
    practice.db.documents_dir.parent.mkdir(parents=True, exist_ok=True)
    practice.db.documents_dir.write_text("not a folder")  # the archive cannot be made
    issued = issue_and_archive(practice, draft)
    assert issued.info.number is not None
    assert get_invoice(practice, issued.info.number).number == issued.info.number
    assert issued.archived.paths == () and issued.archived.problem is not None
    assert issued.archived.warning("en").startswith("archive: cannot create")
    assert issued.archived.warning("nl") != issued.archived.warning("en")


def test_only_the_command_line_archives_the_backlog(practice: Books) -> None:
    earlier = issue_invoice(practice, _draft(practice, "Bram Jansen"))  # never archived
    later = issue_and_archive(practice, _draft(practice)).info
    assert {d.invoice_number for d in archived_documents(practice)} == {later.number}
    done = archive_issued(practice, [None], backlog=True)
    assert done.paths == () and done.problem is None
    archived = {d.invoice_number for d in archived_documents(practice)}
    assert archived == {earlier.number, later.number}


def test_statements_go_to_the_statements_folder_or_where_asked(practice: Books,
                                                                tmp_path: Path) -> None:
    client = make_client(practice)
    treatment = make_treatment(practice)
    plan = make_plan(practice, treatment.id)
    package = sell_and_archive(practice, client.id, plan.id, TODAY).info
    record_session(practice, client.id, treatment.id)  # redeemed against the package
    done = package_statement_file(practice, package.id)
    assert done.path == practice.db.documents_dir / "statements" / \
        f"declaratieoverzicht-{package.id}-anna-de-vries.pdf"
    assert len(done.statement.rows) == 1 and "Anna de Vries" in text(done.path.read_bytes())
    target = tmp_path / "jaaroverzicht.pdf"
    year = client_statement_file(practice, client.id, TODAY.year, str(target))
    assert year.path == target and target.stat().st_mode & 0o777 == 0o600
    assert len(year.statement.rows) == 1 and str(TODAY.year) in text(target.read_bytes())
