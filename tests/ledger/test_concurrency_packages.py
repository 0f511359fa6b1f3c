"""Several processes sell packages (each sale issues an invoice) and redeem the SAME
package at once. Invoice numbers stay gapless and unique, and the shared package is never
redeemed more times than it has sessions (SQLite: BEGIN IMMEDIATE and a busy timeout;
PostgreSQL: the package row and the number series are locked with SELECT ... FOR UPDATE).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from ledger.books import Books
from ledger.models import Invoice, TreatmentSession
from tests.factories import make_client, make_plan, sell_package

PROCESSES = 4
ROUNDS = 6
SESSIONS = 5

WORKER = textwrap.dedent(
    """
    import json, sys, time
    from ledger.books import Books
    from ledger.errors import RuleViolation
    from ledger.packages import sell_package
    from ledger.sessions import add_session

    db, client_id, treatment_id, plan_id, shared, rounds, start_at = sys.argv[1:8]
    books = Books.open(db, interface="test")
    while time.time() < float(start_at):
        time.sleep(0.001)
    redeemed = refused = 0
    numbers = []
    for _ in range(int(rounds)):
        try:
            add_session(books, int(client_id), int(treatment_id), package=int(shared))
            redeemed += 1
        except RuleViolation as exc:
            assert "used up" in exc.message, exc.message
            refused += 1
        numbers.append(sell_package(books, int(client_id), int(plan_id)).invoice_number)
    books.close()
    print(json.dumps({"redeemed": redeemed, "refused": refused, "numbers": numbers}))
    """
)


def test_processes_share_one_package_and_one_number_series(
        runner_practice: dict[str, Any], db_url: str, db_backend: str,
        report: Callable[[str], None]) -> None:
    books: Books = runner_practice["books"]
    treatment = runner_practice["treatment"]
    family = make_client(books, "Familie de Boer")
    shared_plan = make_plan(books, treatment.id, "Gezinskaart", sessions=SESSIONS, price="300")
    other_plan = make_plan(books, treatment.id, "Losse kaart", sessions=1, price="65")
    shared = sell_package(books, family.id, shared_plan.id)
    start_at = time.time() + 1.5
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, db_url, str(family.id), str(treatment.id),
             str(other_plan.id), str(shared.id), str(ROUNDS), str(start_at)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(PROCESSES)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
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
