"""Small factories for tests that read like a week at the practice."""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import Any

from ledger.books import Books

NOW = datetime(2026, 11, 24, 10, 0)
TODAY = NOW.date()

PRACTICE = {
    "name": "Voetreflex Praktijk Zool",
    "address": "Dorpsstraat 12",
    "postcode": "3512 AB",
    "city": "Utrecht",
    "kvk": "12345678",
    "vat_id": "NL000099998B57",
    "iban": "NL91ABNA0417164300",
    "account_holder": "M. de Zool",
    "therapist_name": "Marieke de Zool",
    "agb_therapist": "90123456",
    "agb_practice": "90654321",
    "association": "VNRT",
    "membership_number": "VNRT-1234",
    "register_number": "RBCZ 210987",
    "vat_regime": "standard",
}


def make_client(books: Books, name: str = "Anna de Vries", **fields: Any) -> Any:
    from ledger.practice.clients import add_client

    raw = {"address": "Lindenlaan 4", "postcode": "3514 CD", "city": "Utrecht",
           "birth_date": "12-03-1985", **fields}
    return add_client(books, {"name": name, **{k: str(v) for k, v in raw.items()}})


def make_treatment(books: Books, name: str = "Voetreflexmassage", price: str = "65,00",
                   vat: str = "21", code: str = "24009") -> Any:
    from ledger.practice.catalogue import add_treatment

    return add_treatment(books, {"name": name, "price": price, "vat_rate": vat,
                                 "performance_code": code})


def make_plan(books: Books, treatment_id: int, name: str = "Hardloopreeks",
              sessions: int = 5, price: str = "300", valid_days: int = 365) -> Any:
    from ledger.practice.catalogue import add_plan

    return add_plan(books, {"name": name, "treatment_id": str(treatment_id),
                            "sessions": str(sessions), "price": price,
                            "valid_days": str(valid_days)})


def sell_package(books: Books, client_id: int, plan_id: int, on: date = TODAY) -> Any:
    from ledger.billing.packages import sell_package as sell

    return sell(books, client_id, plan_id, on)


def record_session(books: Books, client_id: int, treatment_id: int, on: date = TODAY,
                   **kw: Any) -> Any:
    """Record a session as she does, on its day: for a day after the books' today the
    clock is moved there while recording (a session ahead cannot be given yet)."""
    from ledger.base.dates import FixedClock
    from ledger.billing.sessions import add_session

    clock = books.clock
    if not isinstance(clock, FixedClock) or on <= clock.today():
        return add_session(books, client_id, treatment_id, on, **kw)
    now = clock.now()
    clock.set(datetime.combine(on, now.time()))
    try:
        return add_session(books, client_id, treatment_id, on, **kw)
    finally:
        clock.set(now)


def cli_env(db: str) -> dict[str, str]:
    env = dict(os.environ)
    env["SOLEBOOK_DB"] = db
    env.pop("SOLEBOOK_DEBUG", None)
    return env

#: Put before a command's arguments by tests that read its English texts: without ``--lang``
#: the command line speaks the practice's language, Dutch (tests/cli/test_language.py).
ENGLISH = ("--lang", "en")
