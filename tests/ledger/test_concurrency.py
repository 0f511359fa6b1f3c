"""Several processes issuing invoices at the same moment on one database.

Numbers must stay gapless and unique: each issue takes the next number inside the same
transaction that freezes the invoice (BEGIN IMMEDIATE on SQLite, row locks on PostgreSQL).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import select

from ledger.books import Books
from ledger.store.models import Invoice
from tests.factories import make_client, make_treatment

PROCESSES = 4
INVOICES_EACH = 12

WORKER = textwrap.dedent(
    """
    import sys, time
    from ledger.books import Books
    from ledger.billing.sessions import add_session, create_invoice
    from ledger.billing.issuing import issue_invoice

    db, client_id, treatment_id, count, start_at = sys.argv[1:6]
    books = Books.open(db, interface="test")
    while time.time() < float(start_at):  # all processes start issuing together
        time.sleep(0.001)
    for _ in range(int(count)):
        add_session(books, int(client_id), int(treatment_id), package="none")
        draft = create_invoice(books, int(client_id))
        issue_invoice(books, draft.id)
    books.close()
    """
)


@pytest.mark.slow
def test_four_processes_issue_gapless_unique_numbers(practice: Books, db_url: str) -> None:
    import time

    treatment = make_treatment(practice)
    clients = [make_client(practice, f"Loper {i}") for i in range(PROCESSES)]
    start_at = time.time() + 2.0
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, db_url, str(c.id), str(treatment.id),
             str(INVOICES_EACH), str(start_at)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for c in clients
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    with practice.db.read() as session:
        rows = session.execute(
            select(Invoice.series, Invoice.seq, Invoice.number, Invoice.client_id)
            .where(Invoice.number.is_not(None))
        ).all()
    total = PROCESSES * INVOICES_EACH
    assert len(rows) == total
    assert sorted(r.seq for r in rows) == list(range(1, total + 1))  # gapless
    assert len({r.number for r in rows}) == total  # unique
    per_client = {c.id: sum(1 for r in rows if r.client_id == c.id) for c in clients}
    assert set(per_client.values()) == {INVOICES_EACH}
    print(f"concurrency: {PROCESSES} processes issued {total} invoices, numbers "
          f"{min(r.number for r in rows)}..{max(r.number for r in rows)}, 0 gaps, 0 duplicates")
