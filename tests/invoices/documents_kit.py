"""Every kind of document the practice prints, made once from a small worked example.

Used by ``test_on_paper.py`` (which reads each PDF back) and by hand to look at them:
``python -m tests.invoices.documents_kit /tmp/docs`` writes every PDF there (render PNGs
with ``pdftoppm -png -r 60``).

The example: Ilse Visser (Dutch) buys a twenty-treatment marathon series for € 1.250,00
on 2 October 2026, has two treatments from it and two long ones for € 525,00 each,
invoiced on 10 November 2026 (€ 1.050,00, due 24 November 2026: the payment sentence
where an IBAN used to break), one of which is credited; John Smith (English) the same in
English. On 24 November 2026 both series are still unpaid: a reminder and a fourteen-day
letter each.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ledger.books import Books

LANGUAGES = ("nl", "en")
BIRTH = {"nl": "1985-03-12", "en": "1980-07-04"}


@dataclass(frozen=True)
class Documents:
    """The PDFs by (kind, language), and what was printed on them."""

    pdfs: dict[tuple[str, str], bytes]
    numbers: dict[str, list[str]]  # per language: the invoice numbers issued


def make_documents(books: Books) -> Documents:
    """Fill ``books`` (a set-up practice, clock at 24 November 2026) and draw everything."""
    from invoices.annual_report import render_annual_report
    from invoices.invoice_pdf import render_invoice
    from invoices.reminders import render_reminder
    from invoices.statements import client_year_statement, package_statement, render_statement
    from ledger.billing.credits import credit_invoice
    from ledger.billing.issuing import issue_invoice
    from ledger.billing.reminders import plan_reminder
    from ledger.billing.sessions import create_invoice
    from ledger.billing.status import get_invoice
    from ledger.yearend.figures import year_end
    from tests.factories import make_client, make_plan, make_treatment, record_session
    from tests.factories import sell_package as sell

    treatment = make_treatment(books)
    plan = make_plan(books, treatment.id, "Marathonreeks", sessions=20, price="1250")
    clients = {
        "nl": make_client(books, "Ilse Visser", birth_date=BIRTH["nl"]),
        "en": make_client(books, "John Smith", language="en", address="12 High Street",
                          postcode="1012 AB", city="Amsterdam", birth_date=BIRTH["en"]),
    }
    pdfs: dict[tuple[str, str], bytes] = {}
    numbers: dict[str, list[str]] = {}
    for language, client in clients.items():
        package = sell(books, client.id, plan.id, date(2026, 10, 2))
        for day in (date(2026, 10, 9), date(2026, 10, 16)):
            record_session(books, client.id, treatment.id, day, package=package.id)
        for day in (date(2026, 11, 2), date(2026, 11, 9)):  # two long treatments
            record_session(books, client.id, treatment.id, day, package="none", price=52500)
        singles = issue_invoice(books, create_invoice(books, client.id).id, date(2026, 11, 10))
        credit = credit_invoice(books, singles.number, [2])
        sale = get_invoice(books, package.invoice_number)
        numbers[language] = [sale.number, singles.number, credit.number]
        pdfs[("sale", language)] = render_invoice(sale)
        pdfs[("invoice", language)] = render_invoice(get_invoice(books, singles.number))
        pdfs[("credit", language)] = render_invoice(credit)
        pdfs[("claim", language)] = render_statement(package_statement(books, package.id))
        pdfs[("year_statement", language)] = render_statement(
            client_year_statement(books, client.id, 2026))
        pdfs[("reminder", language)] = render_reminder(
            plan_reminder(books, sale.number, "first"))
        pdfs[("fourteen_day", language)] = render_reminder(
            plan_reminder(books, sale.number, "fourteen_day"))
    from ledger.practice.profile import get_practice

    pdfs[("annual_report", "nl")] = render_annual_report(
        year_end(books, 2026), get_practice(books), books.clock.now())
    return Documents(pdfs, numbers)


def main(argv: list[str]) -> None:  # pragma: no cover - a tool to look at the documents
    import tempfile

    from ledger.base.dates import FixedClock
    from ledger.practice.profile import update_practice
    from tests.factories import NOW, PRACTICE

    out = Path(argv[0] if argv else "documents")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        books = Books.open(str(Path(folder) / "books.sqlite3"), clock=FixedClock(NOW),
                           interface="test")
        update_practice(books, dict(PRACTICE))
        made = make_documents(books)
        books.close()
    for (kind, language), data in made.pdfs.items():
        (out / f"{kind}-{language}.pdf").write_bytes(data)
    print(f"{len(made.pdfs)} documents in {out}")


def fields(data: bytes) -> Any:  # pragma: no cover - convenience for the REPL
    from tests.invoices import pdftools

    return pdftools.pages(data)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
