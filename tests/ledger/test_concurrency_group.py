"""A group practice's busy moment: ten processes, two for each of five therapists, each
connected as the therapist's own PostgreSQL role, record sessions (with a private note)
and issue invoices at the same time. One number series for the practice: gapless, unique,
and every session, invoice and note stored under the therapist who made it.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from ledger.books import Books
from ledger.practice.therapists import add_therapist
from ledger.store.models import HealthNote, Invoice, TreatmentSession
from tests.factories import make_client, make_treatment
from tests.pg import PgCluster

THERAPISTS = 5
PROCESSES_EACH = 2
INVOICES_EACH = 2

WORKER = textwrap.dedent(
    """
    import sys, time
    from ledger.books import Books
    from ledger.billing.sessions import add_session, create_invoice
    from ledger.billing.issuing import issue_invoice

    db, client_id, treatment_id, count = sys.argv[1:5]
    books = Books.open(db, interface="test")
    print("ready", flush=True)
    sys.stdin.readline()  # all processes start together, once every one is ready
    start = time.time()
    for n in range(int(count)):
        recorded = add_session(books, int(client_id), int(treatment_id), package="none",
                               notes=f"notitie {n}")
        draft = create_invoice(books, int(client_id), [recorded.session.id])
        issue_invoice(books, draft.id)
    books.close()
    print(f"{time.time() - start:.2f}")
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("db_backend", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_ten_processes_as_five_therapists(practice: Books, pg_cluster: PgCluster,
                                          db_url: str) -> None:
    treatment = make_treatment(practice)
    database = make_url(db_url).database
    jobs = []
    for n in range(THERAPISTS):
        therapist = add_therapist(practice, {"name": f"Therapeut {n}", "agb_code": f"9000000{n}",
                                             "login": f"t_conc_{n}"}, create_login=True)
        url = f"postgresql+psycopg://t_conc_{n}@/{database}?host={pg_cluster.socket_dir}"
        for k in range(PROCESSES_EACH):
            jobs.append((therapist.id, url, make_client(practice, f"Loper {n}-{k}").id))
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, url, str(client_id),
                               str(treatment.id), str(INVOICES_EACH)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _therapist, url, client_id in jobs]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n", proc.stderr
    started = time.time()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    spans = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        spans.append(float(out))
    took = time.time() - started
    total = len(jobs) * INVOICES_EACH
    with practice.db.read() as session:
        rows = session.execute(select(Invoice.seq, Invoice.number, Invoice.client_id,
                                      Invoice.practice_snapshot)
                               .where(Invoice.number.is_not(None))).all()
        sessions = dict(session.execute(
            select(TreatmentSession.client_id, func.count())
            .group_by(TreatmentSession.client_id)).all())
        owners = dict(session.execute(
            select(TreatmentSession.client_id, func.min(TreatmentSession.therapist_id))
            .group_by(TreatmentSession.client_id)).all())
        notes = session.scalar(select(func.count()).select_from(HealthNote))
    assert len(rows) == total
    assert sorted(r.seq for r in rows) == list(range(1, total + 1))  # gapless
    assert len({r.number for r in rows}) == total  # unique
    assert notes == total
    for therapist_id, _url, client_id in jobs:
        assert sessions[client_id] == INVOICES_EACH
        assert owners[client_id] == therapist_id
    agb = {r.client_id: r.practice_snapshot for r in rows}
    assert all(f'"agb_therapist": "9000000{(tid - 2)}"' in agb[client_id]
               for tid, _url, client_id in jobs)
    print(f"group concurrency: {len(jobs)} processes as {THERAPISTS} therapists issued "
          f"{total} invoices in {took:.1f} s, 0 gaps, 0 duplicates "
          f"(slowest process {max(spans):.1f} s)")
