"""Several processes book the same hour of the same therapist at once, and plan places on
the same series at once: one booking wins, the others are refused naming it, and the series
never holds more planned places than it has (SQLite: BEGIN IMMEDIATE; PostgreSQL: the
therapist and the package rows locked with SELECT ... FOR UPDATE)."""

from __future__ import annotations

import multiprocessing
from datetime import date, time, timedelta
from typing import Any

import pytest

from ledger.books import Books
from tests.factories import make_client, sell_package

PROCESSES = 4
DAY = date(2026, 11, 25)


def _worker(db: str, index: int, client_id: int, owner_id: int, treatment_id: int,
            package_id: int, start: Any, results: Any) -> None:
    from ledger.agenda.planning import plan_session
    from ledger.base.dates import FixedClock
    from ledger.base.errors import RuleViolation
    from tests.factories import NOW

    books = Books.open(db, clock=FixedClock(NOW), interface="test")
    outcome: dict[str, Any] = {"booked": 0, "overlap": 0, "held": 0, "full": 0}
    start.wait()
    try:
        try:  # the same hour for everyone
            plan_session(books, client_id, treatment_id, DAY, time(10, 0), package="none")
            outcome["booked"] += 1
        except RuleViolation as exc:
            assert "overlaps session" in exc.message, exc.message
            outcome["overlap"] += 1
        for week in range(1, 4):  # the owner's five-session series, each its own hour
            try:
                plan_session(books, owner_id, treatment_id, DAY + timedelta(days=7 * week),
                             time(9 + 2 * index, 0), package=package_id)
                outcome["held"] += 1
            except RuleViolation as exc:
                assert "no free place" in exc.message, exc.message
                outcome["full"] += 1
        results.put(outcome)
    except BaseException as exc:  # report, do not hang the test
        results.put({"error": repr(exc)})
    finally:
        books.close()


@pytest.mark.slow  # four processes forked: about 2-3 s
def test_one_booking_per_hour_and_no_more_places_than_the_series_has(
        runner_practice: dict[str, Any], db_url: str) -> None:
    from ledger.billing.packages import get_package

    books: Books = runner_practice["books"]
    treatment = runner_practice["treatment"]
    owner = runner_practice["client"]
    package = sell_package(books, owner.id, runner_practice["plan"].id)
    clients = [owner.id] + [make_client(books, f"Cliënt {i}").id for i in range(1, PROCESSES)]
    books.db.engine.dispose()
    fork = multiprocessing.get_context("fork")
    start, queue = fork.Barrier(PROCESSES), fork.Queue()
    procs = [fork.Process(target=_worker, args=(db_url, i, client, owner.id, treatment.id,
                                                package.id, start, queue))
             for i, client in enumerate(clients)]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
    assert not [r["error"] for r in results if "error" in r]
    assert sum(r["booked"] for r in results) == 1
    assert sum(r["overlap"] for r in results) == PROCESSES - 1
    info = get_package(books, package.id)
    assert info.sessions_planned == sum(r["held"] for r in results) == 5
    assert sum(r["full"] for r in results) == PROCESSES * 3 - 5
