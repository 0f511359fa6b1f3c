"""Reminder letters as PDF: what the client reads, in Dutch and in English.

Jansen & <Zonen> (a name that would break ReportLab's markup if it were not escaped) had a
treatment on 1 October 2026: invoice 2026-0001, € 65, due 15 October; today is 24 November.
John Smith, who reads English, bought the € 300 series on 2 October (2026-0002).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from invoices.reminders import render_reminder
from invoices.steps.mail import send_reminder
from ledger.billing.issuing import issue_invoice
from ledger.billing.reminders import plan_reminder
from ledger.billing.sessions import create_invoice
from tests.factories import make_client, record_session, sell_package
from tests.invoices.pdftools import text


@pytest.fixture
def late(runner_practice: dict[str, Any]) -> dict[str, Any]:
    books = runner_practice["books"]
    jansen = make_client(books, "Jansen & <Zonen>", address="Kerkstraat 1 <b>")
    record_session(books, jansen.id, runner_practice["treatment"].id, date(2026, 10, 1),
                   package="none")
    issue_invoice(books, create_invoice(books, jansen.id, None).id, date(2026, 10, 1))
    john = make_client(books, "John Smith", language="en")
    sell_package(books, john.id, runner_practice["plan"].id, date(2026, 10, 2))
    return runner_practice


def test_fourteen_day_letter_in_dutch(late: dict[str, Any]) -> None:
    content = text(render_reminder(plan_reminder(late["books"], "2026-0001", "fourteen_day")))
    for expected in (
        "Aanmaning", "Jansen & <Zonen>", "Kerkstraat 1 <b>", "Datum 24 november 2026",
        "Factuur 2026-0001 van 1 oktober 2026 voor € 65,00 had uiterlijk 15 oktober 2026 "
        "betaald moeten zijn",
        "Wij verzoeken u € 65,00 binnen 14 dagen na de dag waarop u deze brief hebt ontvangen "
        "over te maken op NL91 ABNA 0417 1643 00 ten name van M. de Zool",
        "buitengerechtelijke incassokosten verschuldigd van € 40,00",
        "artikel 6:96 Burgerlijk Wetboek",
        "Incassokosten bij betaling na deze termijn € 40,00",
        "Openstaand € 65,00",
    ):
        assert expected in content, expected


def test_first_reminder_in_english(late: dict[str, Any]) -> None:
    plan = plan_reminder(late["books"], "2026-0002", "first")
    content = text(render_reminder(plan))
    assert "Payment reminder" in content and "Dear John," in content
    assert ("On 2 October 2026 I sent you invoice 2026-0002 for €300.00, to be paid by "
            "16 October 2026") in content
    assert "Please transfer €300.00 by 1 December 2026 to NL91 ABNA 0417 1643 00" in content
    assert "collection costs" not in content.lower()


def test_costs_scale_with_the_amount_in_the_letter(late: dict[str, Any]) -> None:
    content = text(render_reminder(plan_reminder(late["books"], "2026-0002", "fourteen_day")))
    assert "extrajudicial collection costs of €45.00" in content  # 15% of € 300


def test_same_plan_same_bytes_and_archive(late: dict[str, Any], tmp_path: Any) -> None:
    books = late["books"]
    plan = plan_reminder(books, "2026-0001", "first")
    assert render_reminder(plan) == render_reminder(plan)
    outcome = send_reminder(books, "2026-0001", "first", pdf=tmp_path / "brief.pdf")
    assert outcome.copy is not None and outcome.copy.read_bytes() == outcome.archived.read_bytes()
    assert outcome.archived.relative_to(books.db.data_dir).as_posix() == (
        "documents/2026/reminders/betalingsherinnering-2026-0001-20261124-1.pdf")
    assert outcome.archived.stat().st_mode & 0o777 == 0o600
    assert "Betalingsherinnering" in text(outcome.archived.read_bytes())
