"""Invoices: issuing freezes and numbers them; status is derived; corrections are credits."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ledger.base.errors import InputError, RuleViolation
from ledger.billing.credits import credit_invoice
from ledger.billing.drafts import add_free_line, delete_draft
from ledger.billing.issuing import issue_invoice
from ledger.billing.payments import register_payment
from ledger.billing.sessions import create_invoice
from ledger.billing.status import get_invoice, list_invoices
from ledger.books import Books
from ledger.practice.clients import update_client
from ledger.practice.profile import update_practice
from tests.factories import TODAY, make_client, make_treatment, record_session


def _issued(books: Books, *, sessions: int = 2, vat: str = "21", price: str = "65") -> object:
    client = make_client(books)
    treatment = make_treatment(books, price=price, vat=vat)
    for day in range(sessions):
        record_session(books, client.id, treatment.id, TODAY - timedelta(days=day + 1))
    draft = create_invoice(books, client.id)
    return issue_invoice(books, draft.id)


def test_issue_numbers_freezes_and_sets_due_date(practice: Books) -> None:
    invoice = _issued(practice)
    assert invoice.number == "2026-0001" and invoice.date == TODAY
    assert invoice.due_date == TODAY + timedelta(days=14)
    assert (invoice.total, invoice.vat, invoice.net) == (13000, 2256, 10744)
    assert invoice.practice["kvk"] == "12345678"
    assert invoice.client["birth_date"] == "1985-03-12"
    with pytest.raises(RuleViolation, match="already issued"):
        issue_invoice(practice, invoice.id)
    with pytest.raises(RuleViolation, match="cannot be changed"):
        add_free_line(practice, invoice.number, description="Olie", amount=500)
    with pytest.raises(RuleViolation, match="credit note"):
        delete_draft(practice, invoice.number)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE invoice SET total_cents = 1 WHERE number IS NOT NULL",
        "DELETE FROM invoice WHERE number IS NOT NULL",
        "UPDATE invoice_line SET gross_cents = 1, net_cents = 1, vat_cents = 0",
        "DELETE FROM invoice_line",
        "INSERT INTO invoice_line (invoice_id, position, description, quantity,"
        " unit_price_cents, vat_rate, net_cents, vat_cents, gross_cents, performance_code)"
        " SELECT id, 9, 'extra', 1, 100, 0, 100, 0, 100, '' FROM invoice",
    ],
)
def test_database_refuses_raw_changes_to_issued_invoices(practice: Books, statement: str) -> None:
    invoice = _issued(practice)
    with pytest.raises(DBAPIError, match="issued invoices cannot be"), \
            practice.db.engine.begin() as conn:
        conn.execute(text(statement))
    assert get_invoice(practice, invoice.number).total == invoice.total


def test_drafts_can_be_changed_and_deleted(practice: Books) -> None:
    client = make_client(practice)
    treatment = make_treatment(practice)
    record_session(practice, client.id, treatment.id)
    draft = create_invoice(practice, client.id)
    with practice.db.engine.begin() as conn:
        conn.execute(text("UPDATE invoice_line SET description = 'Voetreflex' "
                          "WHERE invoice_id = :id"), {"id": draft.id})
    assert get_invoice(practice, draft.id).lines[0].description == "Voetreflex"
    delete_draft(practice, draft.id)
    again = create_invoice(practice, client.id)  # the session is unbilled again
    assert [line.description for line in again.lines] == ["Voetreflexmassage"]
    assert again.lines[0].session_id is not None


def test_vat_per_line_summed_per_rate(practice: Books) -> None:
    client = make_client(practice)
    massage = make_treatment(practice, price="65,00", vat="21")
    record_session(practice, client.id, massage.id, TODAY - timedelta(days=2))
    record_session(practice, client.id, massage.id, TODAY - timedelta(days=1))
    draft = create_invoice(practice, client.id)
    add_free_line(practice, draft.id, description="Boek: Voeten vertellen", amount=2495,
                  vat_rate=Decimal(9))
    invoice = issue_invoice(practice, draft.id)
    rows = {row.rate: (row.net, row.vat, row.gross) for row in invoice.vat_rows}
    assert rows == {Decimal(21): (10744, 2256, 13000), Decimal(9): (2289, 206, 2495)}
    assert invoice.vat == sum(line.vat for line in invoice.lines) == 2462
    assert invoice.net + invoice.vat == invoice.total == 15495


def test_status_is_derived_from_payments_due_date_and_credits(practice: Books, clock) -> None:
    invoice = _issued(practice)
    assert invoice.status == "open"
    partly = register_payment(practice, invoice.number, 5000, method="pin")
    assert (partly.status, partly.paid, partly.open) == ("partly_paid", 5000, 8000)
    clock.advance(timedelta(days=15))
    assert get_invoice(practice, invoice.number).status == "overdue"
    assert [i.number for i in list_invoices(practice, status="overdue")] == [invoice.number]
    with pytest.raises(RuleViolation, match="more than is open"):
        register_payment(practice, invoice.number, 8001)
    paid = register_payment(practice, invoice.number, 8000, on=clock.today())
    assert (paid.status, paid.open) == ("paid", 0)
    credit = credit_invoice(practice, invoice.number)
    after = get_invoice(practice, invoice.number)
    assert (after.status, after.open) == ("credited", -13000)  # a refund is due
    refunded = register_payment(practice, invoice.number, -13000, method="bank")
    assert refunded.open == 0 and credit.status == "settled"
    with pytest.raises(RuleViolation, match="refund on the original"):
        register_payment(practice, credit.number, 100)


def test_partial_credit_for_chosen_lines(practice: Books) -> None:
    invoice = _issued(practice, sessions=3)
    credit = credit_invoice(practice, invoice.number, [2])
    assert credit.number == "2026-0002" and credit.total == -6500 and credit.vat == -1128
    assert credit.lines[0].credited_line_id == invoice.lines[1].id
    after = get_invoice(practice, invoice.number)
    assert (after.status, after.open, after.credited) == ("open", 13000, 6500)
    with pytest.raises(RuleViolation, match="nothing left to credit"):
        credit_invoice(practice, invoice.number, [2])
    rest = credit_invoice(practice, invoice.number)
    assert [line.credited_line_id for line in rest.lines] == [
        invoice.lines[0].id, invoice.lines[2].id]
    assert get_invoice(practice, invoice.number).status == "credited"
    with pytest.raises(RuleViolation, match="already fully credited"):
        credit_invoice(practice, invoice.number)
    with pytest.raises(InputError, match="lines"):
        credit_invoice(practice, invoice.number, [7])


def test_snapshots_keep_old_invoices_as_issued(practice: Books) -> None:
    invoice = _issued(practice)
    update_client(practice, invoice.client_id, {"name": "Anna Bakker-de Vries"})
    update_practice(practice, {"address": "Nieuwe Gracht 1"})
    old = get_invoice(practice, invoice.number)
    assert old.client["name"] == "Anna de Vries"
    assert old.practice["address"] == "Dorpsstraat 12"


@pytest.mark.parametrize("regime", ["exempt", "kor"])
def test_no_vat_outside_the_standard_regime(practice: Books, regime: str) -> None:
    update_practice(practice, {"vat_regime": regime})
    invoice = _issued(practice)
    assert invoice.vat == 0 and invoice.net == invoice.total == 13000
    assert all(line.vat_rate == 0 for line in invoice.lines)
    assert invoice.regime_text.startswith("Vrijgesteld van btw")
    assert ("kleineondernemersregeling" in invoice.regime_text) == (regime == "kor")


def test_number_pattern_and_yearly_series(practice: Books, clock) -> None:
    update_practice(practice, {"number_pattern": "F{year}/{seq:05d}"})
    first = _issued(practice)
    assert first.number == "F2026/00001"
    client = make_client(practice, "Bram Jansen")
    treatment = make_treatment(practice, "Kort consult", price="40")
    record_session(practice, client.id, treatment.id, date(2027, 1, 4))
    draft = create_invoice(practice, client.id)
    assert issue_invoice(practice, draft.id, date(2027, 1, 5)).number == "F2027/00001"


def test_nothing_to_bill(practice: Books) -> None:
    client = make_client(practice)
    with pytest.raises(RuleViolation, match="no unbilled sessions"):
        create_invoice(practice, client.id)
