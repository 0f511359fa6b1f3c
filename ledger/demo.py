"""A realistic fictional practice, for trying the program and for tests.

``load_demo`` fills an empty database with the practice "Voetreflexpraktijk De Zool" and a
year of its work: a few dozen clients, weekly sessions, runners buying a five-treatment
series before a marathon and redeeming it, monthly invoices, payments by bank transfer
(days later), PIN and cash, a missed appointment with a fee, a credit note, and a few
invoices still unpaid past their due date. Everything goes through the same services the
program uses, so the demo obeys every rule the books enforce. Same seed, same books.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from ledger.base.codes import PackageStatus, SessionStatus
from ledger.base.errors import RuleViolation
from ledger.billing.credits import credit_invoice
from ledger.billing.issuing import issue_invoice
from ledger.billing.packages import list_packages, sell_package
from ledger.billing.payments import register_payment
from ledger.billing.sessions import add_session, create_invoice
from ledger.books import Books
from ledger.practice.catalogue import add_plan, add_treatment
from ledger.practice.clients import add_client
from ledger.practice.profile import update_practice
from ledger.store.models import Client

Progress = Callable[[int, int, str], None]

PRACTICE = {
    "name": "Voetreflexpraktijk De Zool", "address": "Lange Nieuwstraat 12",
    "postcode": "3512 PH", "city": "Utrecht", "email": "info@dezool.example",
    "phone": "030 123 4567", "kvk": "12345678", "vat_id": "NL000099998B57",
    "iban": "NL91ABNA0417164300", "account_holder": "M. de Zool",
    "therapist_name": "Marieke de Zool", "agb_therapist": "90012345",
    "agb_practice": "90054321", "association": "VNRT", "membership_number": "VNRT 4711",
    "register_number": "RBCZ 210987", "vat_regime": "standard", "payment_term": "14",
    "language": "nl",
}
FIRST = ["Anna", "Bram", "Carla", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Iris", "Joost",
         "Kim", "Lars", "Maaike", "Noor", "Olivier", "Petra", "Ruben", "Sanne", "Tim",
         "Ursula", "Vera", "Wouter", "Yara", "Zoë", "Sem", "Lotte", "Thijs", "Femke", "Jesse",
         "Nina", "Bas", "Ilse", "Koen", "Mila", "Stijn", "Roos"]
LAST = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
        "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
        "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer"]
GUESTS = [("Łukasz Wiśniewski", "en"), ("Özgür Çelik", "nl"), ("Nguyễn Thị Minh", "en"),
          ("Siobhán O'Brien", "en")]
STREETS = ["Oudegracht", "Biltstraat", "Amsterdamsestraatweg", "Nachtegaalstraat",
           "Kanaalstraat", "Burgemeester Reigerstraat", "Twijnstraat", "Adelaarstraat"]
PLACES = [("3511", "Utrecht"), ("3572", "Utrecht"), ("3581", "Utrecht"), ("3731", "De Bilt"),
          ("3451", "Vleuten"), ("3703", "Zeist"), ("3431", "Nieuwegein")]


def _client_raw(rng: random.Random, index: int) -> dict[str, str | None]:
    if index < len(GUESTS):
        name, language = GUESTS[index]
    else:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        language = "nl"
    prefix, city = rng.choice(PLACES)
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
    slug = name.split()[0].lower().encode("ascii", "ignore").decode() or "client"
    return {
        "name": name, "address": f"{rng.choice(STREETS)} {rng.randrange(1, 180)}",
        "postcode": f"{prefix} {rng.choice('ABCDEGHJKLMNPRTVWXZ')}{rng.choice('ABEGHJKLNPRTVZ')}",
        "city": city, "email": f"{slug}{index}@example.nl",
        "phone": f"06 {rng.randrange(10000000, 99999999)}", "birth_date": born.isoformat(),
        "language": language,
    }


def _working_days(start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5 and day.weekday() != 2:  # not on Wednesdays and weekends
            days.append(day)
        day += timedelta(days=1)
    return days


def is_empty(books: Books) -> bool:
    with books.db.read() as session:
        return not session.scalar(select(func.count()).select_from(Client))


def load_demo(
    books: Books,
    *,
    year: int | None = None,
    clients: int = 36,
    seed: int = 2026,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Fill an empty database with the demo practice; returns what was made."""
    if not is_empty(books):
        raise RuleViolation("demo: the database already holds clients; use an empty one")
    if not 4 <= clients <= 500:
        raise RuleViolation("demo: --clients must be between 4 and 500")
    rng = random.Random(seed)
    today = books.clock.today()
    year = year or today.year
    end = min(date(year, 12, 31), today)
    if end < date(year, 1, 1):
        raise RuleViolation("demo: {year} lies in the future", year=year)
    report = progress or (lambda done, total, what: None)

    update_practice(books, dict(PRACTICE))
    massage = add_treatment(books, {"name": "Voetreflexmassage", "price": "65,00",
                                    "vat_rate": "21", "performance_code": "24009",
                                    "duration_min": "60"})
    intake = add_treatment(books, {"name": "Intake en voetreflexbehandeling",
                                   "price": "75,00", "vat_rate": "21",
                                   "performance_code": "24009", "duration_min": "75"})
    short = add_treatment(books, {"name": "Kort consult", "price": "40,00", "vat_rate": "21",
                                  "performance_code": "24009", "duration_min": "30"})
    series = add_plan(books, {"name": "Hardloopreeks", "treatment_id": str(massage.id),
                              "sessions": "5", "price": "300,00", "valid_days": "365"})
    ten = add_plan(books, {"name": "Tienrittenkaart", "treatment_id": str(massage.id),
                           "sessions": "10", "price": "580,00", "valid_days": "365"})
    people = [add_client(books, _client_raw(rng, i)) for i in range(clients)]
    runners = set(rng.sample([p.id for p in people], k=max(3, clients // 3)))
    regulars = {p.id: rng.choice([7, 14, 14, 21, 28]) for p in people}
    next_visit = {p.id: date(year, 1, 2) + timedelta(days=rng.randrange(0, 60)) for p in people}
    first_visit = dict(next_visit)
    sold: dict[int, date] = {}
    counts = {"clients": len(people), "sessions": 0, "packages": 0, "invoices": 0,
              "payments": 0, "credit_notes": 0}
    days = _working_days(date(year, 1, 1), end)
    pending: list[tuple[date, str, int]] = []  # (pay on, invoice number, amount)
    for index, day in enumerate(days):
        report(index + 1, len(days), "demo year")
        for person in people:
            if day < next_visit[person.id]:
                continue
            next_visit[person.id] = day + timedelta(
                days=regulars[person.id] + rng.choice([-2, -1, 0, 0, 1, 3, 7]))
            since = (day - first_visit[person.id]).days
            if person.id in runners and person.id not in sold and rng.random() < 0.5:
                plan = ten if rng.random() < 0.25 else series
                package = sell_package(books, person.id, plan.id, day)
                sold[person.id] = day
                counts["packages"] += 1
                counts["invoices"] += 1
                _maybe_pay(rng, pending, day, package.invoice_number, package.price, end)
            treatment = intake if since == 0 else (short if rng.random() < 0.1 else massage)
            status = "given"
            fee = None
            if rng.random() < 0.02:
                status, fee = rng.choice([("no_show", 3250), ("late_cancel", 3250)])
            try:
                add_session(books, person.id, treatment.id, day, status=status, fee=fee,
                            package="auto" if status == SessionStatus.GIVEN else "none")
            except RuleViolation:  # e.g. two packages fit: pay per session instead
                add_session(books, person.id, treatment.id, day, package="none")
            counts["sessions"] += 1
            _refill(person.id, sold, books, day)
        if _month_end(day, days, index) and day < end - timedelta(days=3):
            for person in people:
                try:
                    draft = create_invoice(books, person.id)
                except RuleViolation:
                    continue
                issued = issue_invoice(books, draft.id, day)
                counts["invoices"] += 1
                _maybe_pay(rng, pending, day, issued.number or "", issued.total, end)
        for pay_on, number, amount in [p for p in pending if p[0] <= day]:
            pending.remove((pay_on, number, amount))
            register_payment(books, number, amount, on=pay_on,
                             method=rng.choice(["bank"] * 8 + ["pin", "cash"]))
            counts["payments"] += 1
    counts["credit_notes"] += _one_credit_note(books, year)
    return counts


def _month_end(day: date, days: list[date], index: int) -> bool:
    return index + 1 == len(days) or days[index + 1].month != day.month


def _maybe_pay(rng: random.Random, pending: list[tuple[date, str, int]], day: date,
               number: str | None, amount: int, end: date) -> None:
    if not number or rng.random() < 0.06:  # a few are never paid
        return
    pay_on = day + timedelta(days=rng.choice([0, 2, 5, 9, 13, 20, 35]))
    if pay_on <= end:
        pending.append((pay_on, number, amount))


def _refill(client_id: int, sold: dict[int, date], books: Books, day: date) -> None:
    """A runner whose series is used up may buy another later."""
    if client_id in sold and (day - sold[client_id]).days > 120:
        active = [p for p in list_packages(books, client_id) if p.status == PackageStatus.ACTIVE]
        if not active:
            del sold[client_id]


def _one_credit_note(books: Books, year: int) -> int:
    """A correction: the first monthly invoice of March turned out to be wrong."""
    from ledger.billing.status import list_invoices

    for info in list_invoices(books, year=year, kind="invoice", include_drafts=False):
        if info.date and info.date.month == 3 and info.paid == 0 and not any(
            line.package_id for line in info.lines
        ):
            credit_invoice(books, info.number or "", on=info.date + timedelta(days=3))
            return 1
    return 0


def demo_summary(counts: dict[str, Any]) -> str:
    return ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in counts.items())
