"""The annual report carries the trial balance (issue 17): the accounts with their RGS
codes and the closing balances the books give, read back from the PDF's text."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pdfplumber
import pytest

from invoices.year_documents import PdfDocuments
from ledger.billing.payments import register_payment
from ledger.journals import chart as c
from ledger.journals.trial_balance import trial_balance
from ledger.yearend.figures import year_end
from tests.factories import record_session, sell_package


@pytest.mark.slow
def test_annual_report_shows_the_trial_balance(runner_practice: dict[str, Any]) -> None:
    books = runner_practice["books"]
    client, treatment, plan = (runner_practice[k] for k in ("client", "treatment", "plan"))
    package = sell_package(books, client.id, plan.id, on=date(2026, 3, 2))
    record_session(books, client.id, treatment.id, on=date(2026, 3, 9))
    register_payment(books, package.invoice_number, 20000, on=date(2026, 3, 10))
    pdf = PdfDocuments(books).annual_report(year_end(books, 2026))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    tb = trial_balance(books, 2026)
    assert "Proefbalans 2026" in text
    assert tb.closing(c.DEBTORS) == 10000 and tb.closing(c.PREPAID) == -19835
    for line in ("1300 Debiteuren BVorDebHad € 0,00 € 300,00 € 200,00 € 100,00",
                 "1600 Vooruitontvangen bedragen", "€ -198,35", "BSchOpa"):
        assert line in text
