"""Cheap, deterministic guards for the performance work of issue 7 (no timings here).

The benchmarks themselves live in tests/perf (``python -m tests.perf``); these tests keep
the properties they rely on from quietly coming undone: what a command imports before it
needs it, which index a query uses, and how many statements a screen's reading issues.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from ledger.base.dates import FixedClock
from ledger.books import Books

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sqlalchemy", "reportlab", "openpyxl", "xlsxwriter", "textual")


def _modules_after(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        cwd=ROOT, capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in done.stdout.split()}


def test_the_command_line_parser_imports_no_database_pdf_or_workbook_library() -> None:
    loaded = _modules_after("from tui.cli.main import build_parser\nbuild_parser()")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_invoice_pdf_of_an_archived_invoice_imports_no_database_or_pdf_library(
        practice: Books, tmp_path: Path) -> None:
    """The usual `solebook invoice pdf NUMBER` (issuing archived the PDF) copies the
    archived file, read through ledger.store.fastread, and still makes the day's backup."""
    from invoices.archive import archive_pending
    from tests.factories import cli_env, make_client, make_plan, make_treatment, sell_package

    plan = make_plan(practice, make_treatment(practice).id)
    number = sell_package(practice, make_client(practice).id, plan.id).invoice_number
    (archived,) = archive_pending(practice)
    assert practice.db.path is not None
    out = tmp_path / "factuur.pdf"
    code = ("import sys\nfrom tui.cli.main import run\nrun(sys.argv[1:])\n"
            "print(' '.join(sorted(sys.modules)), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, "invoice", "pdf", number, "-o",
                           str(out)], cwd=ROOT, env=cli_env(str(practice.db.path)),
                          capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in done.stderr.split()}
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
    assert done.stdout == f"{number}: {out}\n"
    assert out.read_bytes() == archived.read_bytes()
    backups = practice.db.path.parent / "backups"
    assert [p.name for p in backups.iterdir()] == [f"daily-{date.today()}.sqlite3"]


def test_the_interface_paints_without_pdf_or_workbook_libraries() -> None:
    loaded = _modules_after("from tui.app import make_app\nfrom tui.screens import sections\n"
                            "from tui.screens.home import HomeScreen\nmake_app(':memory:')")
    assert "textual" in loaded
    assert not loaded & {"reportlab", "openpyxl", "xlsxwriter", "sqlalchemy"}


@pytest.fixture(scope="module")
def group_practice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Books]:
    """A generated group practice (3,000 sessions over ten years, ANALYZE'd like the big
    benchmark databases: the planner sees real statistics)."""
    from tests.perf.largedb import generate

    path = tmp_path_factory.mktemp("scale") / "practice.sqlite3"
    generate(path, 3000)
    books = Books.open(str(path), clock=FixedClock(datetime(2026, 11, 24, 10)),
                       interface="test")
    yield books
    books.close()


def _plan(books: Books, query: Any) -> str:
    with books.db.read() as session:
        sql = str(query.compile(session.bind, compile_kwargs={"literal_binds": True}))
        return "\n".join(row[3] for row in
                         session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


def test_the_debtor_list_reads_the_settlement_index_not_the_history(
        group_practice: Books) -> None:
    from ledger.derived.settlement import open_invoices_query

    plan = _plan(group_practice, open_invoices_query(date(2025, 12, 31)))
    # the invoices open now come from one covering index, in the list's order (no sort,
    # no lookups in the invoice table: its rows are scattered over the whole history)
    assert "SEARCH settlement USING COVERING INDEX ix_settlement_debtors (span=?" in plan
    assert "MERGE (UNION ALL)" in plan and "SEARCH invoice" not in plan, plan
    # the ones paid or credited after the day: per span class in its window, their credit
    # notes and payments through covering indexes (the first query searched credit notes
    # through ix_invoice_date: quadratic in the history)
    assert "ix_settlement_span (span=? AND invoice_date>? AND invoice_date<?)" in plan
    assert "SEARCH credit USING COVERING INDEX ix_invoice_credits" in plan
    assert "USING COVERING INDEX ix_payment_invoice_date" in plan
    for table in ("invoice", "payment", "settlement", "credit"):
        assert f"SCAN {table}" not in plan, plan


def test_the_prepaid_packages_are_read_from_their_covering_index(group_practice: Books
                                                                  ) -> None:
    from ledger.yearend.figures import running_packages_query

    plan = _plan(group_practice, running_packages_query(date(2025, 12, 31)))
    # the packages running on the day, found by their expiry date (ix_package_sold would
    # walk every package sold in all the years before)
    assert "SEARCH package USING COVERING INDEX ix_package_running (expires_on>?)" in plan
    assert "USING COVERING INDEX ix_session_package_date" in plan
    assert "SCAN" not in plan, plan


def test_the_newest_page_of_a_list_is_read_in_index_order(group_practice: Books) -> None:
    from sqlalchemy import select

    from ledger.store.models import TreatmentSession

    order = (TreatmentSession.date.desc(), TreatmentSession.start_time.desc(),
             TreatmentSession.id.desc())
    plan = _plan(group_practice, select(TreatmentSession.id).order_by(*order).limit(100))
    assert "ix_session_order" in plan and "TEMP B-TREE" not in plan, plan


class _Statements:
    def __init__(self, books: Books) -> None:
        self.count = 0
        event.listen(books.db.engine, "before_cursor_execute", self._seen)
        self.books = books

    def _seen(self, *_args: Any) -> None:
        self.count += 1

    def close(self) -> None:
        event.remove(self.books.db.engine, "before_cursor_execute", self._seen)


def test_the_year_report_issues_a_fixed_number_of_statements(group_practice: Books,
                                                               practice: Books) -> None:
    from ledger.demo import load_demo
    from ledger.yearend.figures import year_end

    load_demo(practice, clients=6)
    counts = []
    for books, year in ((group_practice, 2025), (group_practice, 2019), (practice, 2026)):
        counter = _Statements(books)
        figures = year_end(books, year)
        counter.close()
        assert figures.totals.invoices_issued > 0
        counts.append(counter.count)
    assert max(counts) <= 20 and len(set(counts)) == 1, counts
