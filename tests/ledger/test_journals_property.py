"""A property of the journals over random books (issue 17): whatever happened over two
years (sessions billed, series sold, used, expired and cancelled, payments and refunds,
credit notes, costs, trips, the practice moving between the standard VAT regime, the
medical exemption and the KOR), every entry balances, every journal balances, each year
opens where the year before closed, and the trial balance agrees with the year report."""

from __future__ import annotations

import contextlib
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.base.dates import FixedClock
from ledger.base.errors import SolebookError
from ledger.books import Books
from tests.conftest import copy_database
from tests.factories import PRACTICE, make_client, make_plan, make_treatment
from tests.ledger.journal_checks import check_next_opens_where_closed, check_year

START = date(2025, 1, 1)
# every example has a series sold, used and paid, and a session billed, and series sold
# under the KOR (from day 330) and under the exemption (from day 500) too
ALWAYS = [("sell", 300, 0, 1), ("session", 301, 0, 1), ("pay", 302, 0, 100),
          ("session", 303, 1, 2), ("bill", 304, 1, 1), ("regime", 330, 0, 2),
          ("sell", 331, 1, 1), ("regime", 500, 0, 1), ("sell", 501, 2, 2)]
step = st.tuples(
    st.sampled_from(["session", "sell", "bill", "pay", "refund", "credit", "cancel", "cost",
                     "trip", "regime"]),
    st.integers(0, 700),  # day after the start
    st.integers(0, 2),  # which client
    st.integers(1, 100),  # a share, in percent
)
REGIMES = ("standard", "exempt", "kor")


def _apply(books: Books, clock: FixedClock, ids: dict[str, list[int]], op: str, day: date,
           who: int, share: int) -> None:
    from ledger.billing.credits import credit_invoice
    from ledger.billing.issuing import issue_invoice
    from ledger.billing.packages import cancel_package, list_packages, sell_package
    from ledger.billing.payments import register_payment, register_refund
    from ledger.billing.sessions import add_session, create_invoice
    from ledger.billing.status import list_invoices
    from ledger.costs.entries import add_cost, add_trip
    from ledger.practice.profile import update_practice

    clock.set(datetime.combine(day, datetime.min.time()) + timedelta(hours=18))
    client = ids["clients"][who]
    invoices = list_invoices(books, client_id=client, kind="invoice", include_drafts=False)
    if op == "session":
        add_session(books, client, ids["treatments"][share % 2], day)
    elif op == "sell":
        sell_package(books, client, ids["plans"][share % 2], day)
    elif op == "bill":
        draft = create_invoice(books, client)
        issue_invoice(books, draft.id, on=day)
    elif op == "pay" and invoices:
        invoice = invoices[share % len(invoices)]
        if invoice.open > 0:
            register_payment(books, invoice.number, max(1, invoice.open * share // 100),
                             on=day, method=("bank", "cash", "pin", "other")[share % 4])
    elif op == "refund" and invoices:
        invoice = invoices[share % len(invoices)]
        if invoice.open < 0:
            register_refund(books, invoice.number, -invoice.open, on=day)
    elif op == "credit" and invoices:
        invoice = invoices[share % len(invoices)]
        if all(p.invoice_number != invoice.number for p in list_packages(books, client)):
            credit_invoice(books, invoice.number, on=day)
    elif op == "cancel":
        running = list_packages(books, client, status="active")
        if running:
            cancel_package(books, running[0].id, on=day)
    elif op == "cost":
        amount = share * 137
        add_cost(books, {"date": day.isoformat(), "supplier": "Leverancier",
                         "category": ("materials", "rent", "other")[who],
                         "amount": f"{amount // 100},{amount % 100:02d}",
                         "vat": f"{amount * 21 // 121 // 100},{amount * 21 // 121 % 100:02d}",
                         "method": ("bank", "cash", "other")[share % 3]})
    elif op == "trip":
        add_trip(books, day, share * 7, "Rit")
    elif op == "regime":  # what is sold from now on is priced under another regime
        update_practice(books, {**PRACTICE, "vat_regime": REGIMES[share % 3]})


@pytest.mark.slow
@settings(max_examples=4, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=5, max_size=25))
def test_random_books_reconcile(sqlite_template: Path,
                                steps: list[tuple[str, int, int, int]]) -> None:
    from ledger.practice.profile import update_practice

    with tempfile.TemporaryDirectory() as folder:
        path = copy_database(sqlite_template, Path(folder) / "books.sqlite3")
        clock = FixedClock(datetime(2025, 1, 1, 9))
        books = Books.open(str(path), clock=clock, interface="test")
        try:
            update_practice(books, dict(PRACTICE))
            treatments = [make_treatment(books), make_treatment(books, "Kort consult", "40,00",
                                                                "9")]
            plans = [make_plan(books, treatments[0].id),
                     make_plan(books, treatments[0].id, "Drie keer", 3, "100", 120)]
            ids = {"clients": [make_client(books, f"Cliënt {i}").id for i in range(3)],
                   "treatments": [t.id for t in treatments], "plans": [p.id for p in plans]}
            for op, offset, who, share in sorted([*ALWAYS, *steps], key=lambda s: s[1]):
                # the books may refuse a step (nothing to bill, nothing open ...)
                with contextlib.suppress(SolebookError):
                    _apply(books, clock, ids, op, START + timedelta(days=offset), who, share)
            clock.set(datetime(2026, 12, 31, 20))
            first, second = check_year(books, 2025), check_year(books, 2026)
            check_next_opens_where_closed(first, second)
        finally:
            books.close()
