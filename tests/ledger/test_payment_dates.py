"""No payment before its invoice, none after today, no refund before what it pays back.

One rule (``ledger.billing.payments.may_pay_on`` / ``check_payment_date``) for every way a
payment is booked: ``invoice pay`` and the interface's dialog (``register_payment``), a
refund (``register_refund``), a bank line confirmed or booked by ``--yes``
(``confirm_line``); and the bank matcher never proposes such a payment.

The practice (clock at Tuesday 24 November 2026): 2026-0001, Anna de Vries, € 65, issued
on 10 November 2026.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ledger.bank.booking import confirm_line
from ledger.bank.importing import import_statement
from ledger.bank.match import OpenInvoice, propose
from ledger.base.errors import InputError
from ledger.billing.credits import credit_invoice
from ledger.billing.issuing import issue_invoice
from ledger.billing.payments import may_pay_on, register_payment, register_refund
from ledger.billing.sessions import create_invoice
from ledger.billing.status import get_invoice
from ledger.books import Books
from ledger.store.models import Payment
from tests.bank_samples import Tx, camt_02
from tests.factories import record_session

ISSUED = date(2026, 11, 10)


@pytest.fixture
def invoiced(runner_practice: dict[str, Any]) -> Books:
    books: Books = runner_practice["books"]
    client, treatment = runner_practice["client"], runner_practice["treatment"]
    record_session(books, client.id, treatment.id, date(2026, 11, 3), package="none")
    draft = create_invoice(books, client.id, None)
    assert issue_invoice(books, draft.id, ISSUED).number == "2026-0001"
    return books


def _payments(books: Books) -> int:
    with books.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Payment)))


@pytest.mark.parametrize(("paid_on", "allowed"), [
    (date(2026, 11, 9), False), (ISSUED, True), (date(2026, 11, 11), True),
    (date(2001, 1, 1), False)])
def test_the_rule(paid_on: date, allowed: bool) -> None:
    assert may_pay_on(ISSUED, paid_on) is allowed


def test_a_payment_before_the_invoice_is_refused_naming_both_dates(invoiced: Books) -> None:
    with pytest.raises(InputError) as refused:
        register_payment(invoiced, "2026-0001", 10_00, on=date(2001, 1, 1))
    assert refused.value.field == "date"
    assert refused.value.message == ("date: the payment date 1 januari 2001 is before the "
                                     "invoice date 10 november 2026 of 2026-0001")
    assert refused.value.text("nl") == ("datum: de betaaldatum 1 januari 2001 ligt vóór de "
                                        "factuurdatum 10 november 2026 van 2026-0001")
    assert _payments(invoiced) == 0
    register_payment(invoiced, "2026-0001", 10_00, on=ISSUED)  # on the day itself: fine
    assert get_invoice(invoiced, "2026-0001").open == 55_00


def test_a_payment_after_today_is_refused(invoiced: Books) -> None:
    with pytest.raises(InputError, match="is after today"):
        register_payment(invoiced, "2026-0001", 65_00, on=date(2026, 11, 25))
    assert _payments(invoiced) == 0
    register_payment(invoiced, "2026-0001", 65_00)  # today (24 November) is the default
    assert get_invoice(invoiced, "2026-0001").status == "paid"


def test_a_refund_is_not_dated_before_the_credit_note_it_pays_back(invoiced: Books) -> None:
    register_payment(invoiced, "2026-0001", 65_00, on=date(2026, 11, 12))
    credit_invoice(invoiced, "2026-0001", on=date(2026, 11, 20))
    with pytest.raises(InputError) as refused:
        register_refund(invoiced, "2026-0001", 65_00, on=date(2026, 11, 15))
    assert refused.value.text("nl") == (
        "datum: de terugbetaaldatum 15 november 2026 ligt vóór de datum 20 november 2026 van "
        "creditnota 2026-0002 die ze terugbetaalt")
    with pytest.raises(InputError, match="is after today"):
        register_refund(invoiced, "2026-0001", 65_00, on=date(2026, 11, 30))
    assert _payments(invoiced) == 1
    register_refund(invoiced, "2026-0001", 65_00, on=date(2026, 11, 20))
    assert get_invoice(invoiced, "2026-0001").paid == 0


def test_a_negative_payment_is_not_dated_before_the_payment(invoiced: Books) -> None:
    register_payment(invoiced, "2026-0001", 65_00, on=date(2026, 11, 20))
    with pytest.raises(InputError, match="only € 0,00 had been paid on 2026-0001"):
        register_payment(invoiced, "2026-0001", -65_00, on=date(2026, 11, 19))
    register_payment(invoiced, "2026-0001", -65_00, on=date(2026, 11, 20))  # a correction
    assert get_invoice(invoiced, "2026-0001").paid == 0


def test_the_matcher_never_proposes_an_invoice_dated_after_the_line() -> None:
    open_ = [OpenInvoice(1, "2026-0001", ISSUED, "Anna de Vries", 65_00)]
    early = date(2019, 3, 1)
    by_number = propose(65_00, "A. de Vries", "factuur 2026-0001", open_, ["2026-0001"],
                        "{year}-{seq:04d}", early)
    assert (by_number.status, by_number.allocations) == ("unmatched", ())
    assert by_number.note == "dated before the invoice date of 2026-0001"
    by_name = propose(65_00, "A. de Vries", "behandeling", open_, ["2026-0001"],
                      "{year}-{seq:04d}", early)
    assert (by_name.status, by_name.allocations) == ("unmatched", ())
    on_time = propose(65_00, "A. de Vries", "factuur 2026-0001", open_, ["2026-0001"],
                      "{year}-{seq:04d}", ISSUED)
    assert on_time.certain and on_time.allocations[0].number == "2026-0001"


def test_a_bank_line_before_the_invoice_is_neither_proposed_nor_booked(
        invoiced: Books, tmp_path: Path) -> None:
    """A 2019 line naming 2026-0001 with the exact amount: ``--yes`` used to book it."""
    statement = tmp_path / "2019.xml"
    statement.write_bytes(camt_02((
        Tx(date(2019, 5, 6), Decimal("65.00"), "A. de Vries", "NL20INGB0001234567",
           "Factuur 2026-0001", "E2E-2019"),)))
    result = import_statement(invoiced, statement, book_certain=True)
    line = result.lines[0]
    assert (line.status, line.invoice_numbers) == ("unmatched", ())
    assert _payments(invoiced) == 0
    with pytest.raises(InputError) as refused:  # booked by hand in the review: refused too
        confirm_line(invoiced, line.id, [("2026-0001", None)])
    assert refused.value.text("nl") == ("datum: de betaaldatum 6 mei 2019 ligt vóór de "
                                        "factuurdatum 10 november 2026 van 2026-0001")
    assert _payments(invoiced) == 0
