"""The year-end figures: turnover, VAT return, debtors, prepaid sessions, costs, result."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from ledger.base.money import allocate, split_gross
from ledger.billing.credits import credit_invoice
from ledger.billing.issuing import issue_invoice
from ledger.billing.packages import cancel_package
from ledger.billing.payments import register_payment
from ledger.billing.sessions import create_invoice
from ledger.books import Books
from ledger.costs.entries import add_cost, add_trip
from ledger.demo import load_demo
from ledger.practice.catalogue import add_plan
from ledger.practice.profile import update_practice
from ledger.store.models import Invoice, InvoiceLine
from ledger.yearend.figures import KOR_LIMIT, packages_at, year_end
from ledger.yearend.reports import open_at, year_totals
from tests.factories import make_client, make_treatment, record_session, sell_package

DEC31 = date(2026, 12, 31)


def bill(books: Books, client_id: int, on: date) -> Any:
    return issue_invoice(books, create_invoice(books, client_id).id, on)


@pytest.mark.slow
def test_the_demo_year_reconciles_with_its_invoice_lines(books: Books) -> None:
    load_demo(books, clients=12)
    figures = year_end(books, 2026)
    with books.db.read() as session:
        net, vat, gross = session.execute(
            select(func.sum(InvoiceLine.net_cents), func.sum(InvoiceLine.vat_cents),
                   func.sum(InvoiceLine.gross_cents))
            .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
            .where(Invoice.number.is_not(None), Invoice.date >= date(2026, 1, 1),
                   Invoice.date <= DEC31)).one()
        assert open_at(session, DEC31) == figures.debtors_total
    totals = figures.totals
    assert (totals.turnover_net, totals.vat, totals.turnover_gross) == (net, vat, gross)
    assert totals == year_totals(books, 2026)
    assert sum(p.net for p in figures.products) == net
    assert sum(p.vat for p in figures.products) == vat
    assert sum(q.r1a_net for q in figures.vat_quarters) == net  # the demo is all at 21 %
    assert [q.r1a_vat for q in figures.vat_quarters] == [q.vat for q in totals.by_quarter]
    assert figures.debtors_total == totals.open_at_year_end > 0
    assert sum(a for _m, a in figures.payments_by_method) == totals.payments_received
    assert {p.kind for p in figures.products} >= {"treatment", "package_plan"}
    assert figures.sessions_given > 100
    assert figures.result == net  # no costs in the demo


def test_prepaid_sessions_are_a_liability_valued_per_session(
        runner_practice: dict[str, Any]) -> None:
    books, client, treatment = (runner_practice["books"], runner_practice["client"],
                                runner_practice["treatment"])
    plan = add_plan(books, {"name": "Drie keer", "treatment_id": str(treatment.id),
                            "sessions": "3", "price": "100,00", "valid_days": "365"})
    package = sell_package(books, client.id, plan.id, date(2026, 11, 2))
    shares = allocate(10000, 3)
    assert shares == [3334, 3333, 3333]
    seen = [year_end(books, 2026).liability]
    for day in (3, 10, 17):
        record_session(books, client.id, treatment.id, date(2026, 11, day),
                       package=package.id)
        seen.append(year_end(books, 2026).liability)
    assert seen == [10000, sum(shares[1:]), sum(shares[2:]), 0]
    assert year_end(books, 2026).packages == ()


def test_liability_counts_only_what_was_used_by_31_december(
        runner_practice: dict[str, Any]) -> None:
    books, client, treatment, plan = (runner_practice[k] for k in
                                      ("books", "client", "treatment", "plan"))
    package = sell_package(books, client.id, plan.id, date(2026, 11, 2))
    record_session(books, client.id, treatment.id, date(2026, 11, 9), package=package.id)
    record_session(books, client.id, treatment.id, date(2027, 1, 6), package=package.id)
    [row] = year_end(books, 2026).packages
    assert (row.sessions_used, row.sessions_left, row.value) == (1, 4, 24000)
    assert row.value_net == split_gross(24000, row.vat_rate)[0]
    assert packages_at_value(books, date(2027, 1, 6)) == 18000


def packages_at_value(books: Books, day: date) -> int:
    with books.db.read() as session:
        return sum(p.value for p in packages_at(session, day))


def test_a_cancelled_package_owes_nothing_at_year_end(runner_practice: dict[str, Any]) -> None:
    books, client, plan = (runner_practice[k] for k in ("books", "client", "plan"))
    package = sell_package(books, client.id, plan.id, date(2026, 11, 2))
    assert year_end(books, 2026).liability == 30000
    cancel_package(books, package.id, date(2026, 11, 20))
    figures = year_end(books, 2026)
    assert figures.liability == 0
    assert figures.totals.turnover_gross == 0  # sold and fully credited in the same year


def test_vat_return_rubrieken_and_input_vat(practice: Books) -> None:
    anna = make_client(practice)
    high = make_treatment(practice, "Voetreflexmassage", "65,00", "21")
    low = make_treatment(practice, "Voetbad", "10,90", "9")
    zero = make_treatment(practice, "Cadeaubon-consult", "20,00", "0")
    for treatment in (high, low, zero):
        record_session(practice, anna.id, treatment.id, date(2026, 4, 7))
    bill(practice, anna.id, date(2026, 4, 30))
    add_cost(practice, {"date": "2026-05-02", "supplier": "Olie & Co", "category": "materials",
                        "amount": "121,00", "vat_rate": "21"})
    add_cost(practice, {"date": "2026-08-02", "supplier": "VNRT", "category": "association",
                        "amount": "150,00", "vat": "0"})
    add_trip(practice, date(2026, 6, 1), 100, "Utrecht - Zeist")  # 10 km x € 0,23
    figures = year_end(practice, 2026)
    q2 = figures.vat_quarters[1]
    assert (q2.r1a_net, q2.r1a_vat) == (5372, 1128)
    assert (q2.r1b_net, q2.r1b_vat) == (1000, 90)
    assert (q2.r1e_net, q2.input_vat) == (2000, 2100)
    assert (q2.due, q2.balance) == (1218, 1218 - 2100)
    assert figures.vat_quarters[2].input_vat == 0  # no VAT on the association fee
    costs = {c.key: c for c in figures.costs}
    assert (costs["materials"].expense, costs["association"].expense) == (10000, 15000)
    assert figures.km_amount == 230
    assert figures.result == 5372 + 1000 + 2000 - 10000 - 15000 - 230


def test_exempt_turnover_is_not_in_the_vat_return_and_vat_on_costs_is_a_cost(
        practice: Books) -> None:
    update_practice(practice, {"vat_regime": "exempt"})
    anna = make_client(practice)
    massage = make_treatment(practice)
    record_session(practice, anna.id, massage.id, date(2026, 2, 3))
    bill(practice, anna.id, date(2026, 2, 28))
    add_cost(practice, {"date": "2026-02-02", "supplier": "Olie & Co", "category": "materials",
                        "amount": "121,00", "vat_rate": "21"})
    figures = year_end(practice, 2026)
    q1 = figures.vat_quarters[0]
    assert (q1.r1a_net, q1.exempt_net, q1.due, q1.input_vat) == (0, 6500, 0, 0)
    assert figures.costs[0].expense == 12100
    assert figures.result == 6500 - 12100


def test_debtors_as_the_books_stood_on_31_december(practice: Books) -> None:
    anna, bram = make_client(practice), make_client(practice, "Bram Bakker")
    massage = make_treatment(practice)
    for client in (anna, bram):
        record_session(practice, client.id, massage.id, date(2026, 12, 1))
    first = bill(practice, anna.id, date(2026, 12, 10))
    second = bill(practice, bram.id, date(2026, 12, 10))
    practice.clock.set(datetime(2027, 1, 5, 10))  # no payment is booked before it is made
    register_payment(practice, first.number, 2000, on=date(2026, 12, 20))
    register_payment(practice, second.number, 6500, on=date(2027, 1, 5))  # paid next year
    debtors = year_end(practice, 2026).debtors
    assert [(d.number, d.client_name, d.paid, d.open) for d in debtors] == [
        (first.number, "Anna de Vries", 2000, 4500), (second.number, "Bram Bakker", 0, 6500)]
    credit_invoice(practice, first.number, on=date(2027, 1, 3))
    assert [d.open for d in year_end(practice, 2026).debtors] == [4500, 6500]
    assert year_end(practice, 2027).debtors == ()


def test_sessions_hours_and_the_kor_check(practice: Books) -> None:
    update_practice(practice, {"vat_regime": "kor"})
    anna = make_client(practice)
    massage = make_treatment(practice, price="19000,00")
    record_session(practice, anna.id, massage.id, date(2025, 6, 3), duration_min=90)
    bill(practice, anna.id, date(2025, 6, 30))
    record_session(practice, anna.id, massage.id, date(2026, 6, 3), duration_min=45)
    record_session(practice, anna.id, massage.id, date(2026, 6, 10), status="no_show", fee=0)
    figures = year_end(practice, 2026)
    assert (figures.sessions_given, figures.sessions_missed) == (1, 1)
    assert (figures.treatment_minutes, str(figures.treatment_hours)) == (45, "0.75")
    kor = figures.kor
    assert (kor.applies, kor.this_year, kor.last_year) == (True, 0, 1900000)
    assert kor.near_limit and not kor.over_limit and kor.limit == KOR_LIMIT
    record_session(practice, anna.id, massage.id, date(2026, 6, 17))
    bill(practice, anna.id, date(2026, 6, 30))
    kor = year_end(practice, 2026).kor
    assert kor.this_year == 3800000 and kor.over_limit
    assert year_end(practice, 2026).vat_quarters[1].kor_net == 3800000
