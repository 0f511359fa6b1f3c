"""Several processes sell packages (each sale issues an invoice) and redeem the SAME
package at once. Invoice numbers stay gapless and unique, and the shared package is never
redeemed more times than it has sessions (SQLite: BEGIN IMMEDIATE and a busy timeout;
PostgreSQL: the package row and the number series are locked with SELECT ... FOR UPDATE).
The processes are forked from the test (with a barrier), so they start together at once.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from ledger.books import Books
from ledger.store.models import Invoice, TreatmentSession
from tests.factories import make_client, make_plan, sell_package

PROCESSES = 4
ROUNDS = 6
SESSIONS = 5

def _worker(db: str, client_id: int, treatment_id: int, plan_id: int, shared: int,
            start: Any, results: Any) -> None:
    """One process: try to redeem the shared package ROUNDS times, then sell ROUNDS
    packages (each sale issues an invoice)."""
    from ledger.base.errors import RuleViolation
    from ledger.billing.packages import sell_package as sell
    from ledger.billing.sessions import add_session

    books = Books.open(db, interface="test")
    redeemed = refused = 0
    numbers = []
    start.wait()  # all processes begin at the same moment
    try:
        for _ in range(ROUNDS):  # a burst of redemptions first: the most contention
            try:
                add_session(books, client_id, treatment_id, package=shared)
                redeemed += 1
            except RuleViolation as exc:
                assert "used up" in exc.message, exc.message
                refused += 1
        for _ in range(ROUNDS):
            numbers.append(sell(books, client_id, plan_id).invoice_number)
        results.put({"redeemed": redeemed, "refused": refused, "numbers": numbers})
    except BaseException as exc:  # report, do not hang the test
        results.put({"error": repr(exc)})
    finally:
        books.close()


def test_processes_share_one_package_and_one_number_series(
        runner_practice: dict[str, Any], db_url: str, db_backend: str,
        report: Callable[[str], None]) -> None:
    books: Books = runner_practice["books"]
    treatment = runner_practice["treatment"]
    family = make_client(books, "Familie de Boer")
    shared_plan = make_plan(books, treatment.id, "Gezinskaart", sessions=SESSIONS, price="300")
    other_plan = make_plan(books, treatment.id, "Losse kaart", sessions=1, price="65")
    shared = sell_package(books, family.id, shared_plan.id)
    books.db.engine.dispose()  # no pooled connection is carried into the children
    fork = multiprocessing.get_context("fork")  # the code is imported already: no start-up
    start, results = fork.Barrier(PROCESSES), fork.Queue()
    procs = [fork.Process(target=_worker, args=(db_url, family.id, treatment.id,
                                                other_plan.id, shared.id, start, results))
             for _ in range(PROCESSES)]
    for proc in procs:
        proc.start()
    results = [results.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
    assert not [r["error"] for r in results if "error" in r]
    redeemed = sum(r["redeemed"] for r in results)
    refused = sum(r["refused"] for r in results)
    with books.db.read() as session:
        used = session.scalar(select(func.count()).where(TreatmentSession.package_id == shared.id))
        seqs = session.execute(select(Invoice.series, Invoice.seq, Invoice.number)
                               .where(Invoice.number.is_not(None))).all()
    total = 1 + PROCESSES * ROUNDS
    problems = []
    if redeemed != SESSIONS or used != SESSIONS:
        problems.append(f"package redeemed {redeemed} times, {used} stored, has {SESSIONS}")
    if refused != PROCESSES * ROUNDS - SESSIONS:
        problems.append(f"{refused} refusals")
    if sorted(s.seq for s in seqs) != list(range(1, total + 1)):
        problems.append("invoice numbers have gaps or duplicates")
    if len({s.number for s in seqs}) != total or {s.series for s in seqs} != {"2026"}:
        problems.append("duplicate invoice numbers")
    given = sorted(n for r in results for n in r["numbers"])
    if given != sorted(s.number for s in seqs if s.number != shared.invoice_number):
        problems.append("numbers reported by the processes differ from the stored ones")
    report(f"concurrency on {db_backend}: {PROCESSES} processes, {total} invoices "
           f"(2026-0001..2026-{total:04d}), {redeemed + refused} redemption attempts on one "
           f"{SESSIONS}-session package: {redeemed} redeemed, {refused} refused; "
           f"{len(problems)} inconsistencies")
    assert not problems, problems
