"""The books as journals (issue 17): a worked example booked line by line, the demo
practice's audit file valid against the XAF 3.2 schema for two consecutive years and read
back, the beancount file read by beancount itself, and the chart's overrides."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ledger.base.dates import FixedClock
from ledger.billing.issuing import issue_invoice
from ledger.billing.packages import cancel_package
from ledger.billing.payments import register_payment
from ledger.billing.sessions import create_invoice
from ledger.books import Books
from ledger.costs.entries import add_cost, add_trip
from ledger.journals import chart as c
from ledger.journals.chart import change_account, chart, set_chart_overrides
from ledger.journals.projection import entries
from ledger.journals.trial_balance import account_card, trial_balance
from ledger.yearend.auditfile import write_auditfile
from ledger.yearend.plaintext import account_name, write_beancount
from tests.factories import record_session, sell_package
from tests.ledger.journal_checks import (
    as_read,
    check_next_opens_where_closed,
    check_year,
    read_auditfile,
)
from tests.ledger.test_bank_import import open_invoices  # noqa: F401 (a fixture)

SCHEMA = Path(__file__).parent / "data" / "xaf" / "XmlAuditfileFinancieel3.2.xsd"


def test_a_series_is_booked_through_prepaid(runner_practice: dict[str, Any]) -> None:
    """Hardloopreeks 5 x for € 300 at 21 %: sale to prepaid (net € 247,93) and VAT
    (€ 52,07); two sessions move € 49,58 and € 49,59 to turnover; cancelled: the refund of three
    shares (€ 180) is a credit note, and nothing is left on prepaid."""
    books = runner_practice["books"]
    client, treatment, plan = (runner_practice[k] for k in ("client", "treatment", "plan"))
    package = sell_package(books, client.id, plan.id, on=date(2026, 3, 2))
    record_session(books, client.id, treatment.id, on=date(2026, 3, 9))
    record_session(books, client.id, treatment.id, on=date(2026, 3, 16))
    register_payment(books, package.invoice_number, 30000, on=date(2026, 3, 3))
    cancel_package(books, package.id, on=date(2026, 4, 1))
    with books.db.read() as session:
        booked = list(entries(session, 2026))
    sale = booked[0]
    assert [(line.account, line.amount) for line in sale.lines] == [
        (c.DEBTORS, 30000), (c.PREPAID, -24793), (c.VAT_PAYABLE, -5207)]
    redeemed = [e for e in booked if e.number.startswith("R")]
    assert [e.lines[0].amount for e in redeemed] == [4958, 4959]
    tb = trial_balance(books, 2026)
    assert tb.closing(c.PREPAID) == 0
    assert tb.closing(c.TURNOVER_21) == -(24793 - 14876)  # what was not refunded
    assert tb.closing(c.DEBTORS) == -18000  # the refund is owed back
    check_year(books, 2026)


DESCRIBED = {
    "nl": ["Factuur 2026-0001 - Anna de Vries", "Betaling factuur 2026-0001",
           "Behandeling 1 van 5 uit Hardloopreeks (factuur 2026-0001)",
           "Oliehandel - massageolie", "Rit 12,5 km: Naar cliënt",
           "Creditnota 2026-0002 op factuur 2026-0001 - Anna de Vries",
           "Terugbetaling factuur 2026-0001"],
    "en": ["Invoice 2026-0001 - Anna de Vries", "Payment invoice 2026-0001",
           "Treatment 1 of 5 from Hardloopreeks (invoice 2026-0001)",
           "Oliehandel - massageolie", "Trip 12.5 km: Naar cliënt",
           "Credit note 2026-0002 on invoice 2026-0001 - Anna de Vries",
           "Refund invoice 2026-0001"],
}


@pytest.mark.sqlite_only
def test_descriptions_follow_the_language(runner_practice: dict[str, Any],
                                          tmp_path: Path) -> None:
    """A Dutch practice's journals are described in Dutch; asked for English, in English,
    with the same lines; the audit file stays valid either way."""
    import xmlschema

    from ledger.billing.payments import register_refund

    books = runner_practice["books"]
    client, treatment, plan = (runner_practice[k] for k in ("client", "treatment", "plan"))
    package = sell_package(books, client.id, plan.id, on=date(2026, 3, 2))
    register_payment(books, package.invoice_number, 30000, on=date(2026, 3, 3))
    record_session(books, client.id, treatment.id, on=date(2026, 3, 9))
    add_cost(books, {"date": "2026-03-10", "supplier": "Oliehandel", "category": "materials",
                     "description": "massageolie", "amount": "121,00", "vat": "21,00"})
    add_trip(books, date(2026, 3, 11), 125, "Naar cliënt")
    cancel_package(books, package.id, on=date(2026, 4, 1))
    register_refund(books, package.invoice_number, 24000, on=date(2026, 4, 2))
    with books.db.read() as session:
        dutch, english = list(entries(session, 2026)), list(entries(session, 2026, "en"))
    assert [e.description for e in dutch] == DESCRIBED["nl"]
    assert [e.description for e in english] == DESCRIBED["en"]
    assert [line.description for line in dutch[0].lines[1:]] == [
        "Hardloopreeks — vooruitbetaling voor 5 behandelingen Voetreflexmassage, geldig tot "
        "2 maart 2027", "Btw 21%"]
    assert english[0].lines[-1].description == "VAT 21%"
    assert dutch[3].lines[1].description == "Voorbelasting Oliehandel - massageolie"
    assert english[3].lines[1].description == "Input VAT Oliehandel - massageolie"
    assert ([[(x.account, x.amount) for x in e.lines] for e in dutch]
            == [[(x.account, x.amount) for x in e.lines] for e in english])
    schema = xmlschema.XMLSchema(str(SCHEMA))
    for language, first in (("nl", "Factuur 2026-0001"), ("en", "Invoice 2026-0001")):
        path = tmp_path / f"{language}.xaf"
        write_auditfile(books, 2026, path, None if language == "nl" else language)
        assert [str(e) for e in schema.iter_errors(str(path))] == []
        assert f"<desc>{first} - Anna de Vries</desc>" in path.read_text("utf-8")
        write_beancount(books, 2026, tmp_path / f"{language}.beancount", language)
        assert f'"{first} - Anna de Vries"' in (tmp_path / f"{language}.beancount").read_text()


def test_costs_and_trips(practice: Books, tmp_path: Path) -> None:
    add_cost(practice, {"date": "2026-02-03", "supplier": "Oliehandel", "category": "materials",
                        "amount": "121,00", "vat": "21,00", "method": "bank"})
    add_cost(practice, {"date": "2026-05-03", "supplier": "VNRT", "category": "association",
                        "amount": "150,00", "vat": "0", "method": "other"})
    add_trip(practice, date(2026, 6, 1), 125, "Naar cliënt")
    tb = check_year(practice, 2026)
    assert tb.closing(c.VAT_TO_CLAIM) == 2100
    assert tb.closing("4000") == 10000
    assert tb.closing(c.BANK) == -12100
    assert tb.closing(c.PRIVATE_IN) == -15000 - 288
    assert tb.closing(c.KILOMETRES) == 288
    card = account_card(practice, 2026, c.PRIVATE_IN)
    assert [line.credit for line in card.lines] == [15000, 288]
    assert card.lines[-1].balance == -15288


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """The demo practice's 2025 (4 clients), and a few things in 2026: payments of what
    was open, a cost, a trip."""
    from ledger.demo import load_demo
    from ledger.yearend.figures import year_end
    from tests.conftest import copy_database

    path = copy_database(sqlite_template, tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    clock = FixedClock(datetime(2026, 11, 24, 10))
    books = Books.open(str(path), clock=clock, interface="test")
    try:
        load_demo(books, year=2025, clients=4)
        for debtor in year_end(books, 2025).debtors[:3]:
            register_payment(books, debtor.number, debtor.open, on=date(2026, 1, 15),
                             method="cash")
        add_cost(books, {"date": "2026-03-01", "supplier": "Linnenservice",
                         "category": "linen", "amount": "60,50", "vat": "10,50"})
        add_trip(books, date(2026, 3, 2), 333, "Beurs")
        client_id = year_end(books, 2025).debtors[0].client_id
        record_session(books, client_id, 1, on=date(2026, 4, 1), package="none")
        invoice = create_invoice(books, client_id)
        issue_invoice(books, invoice.id, on=date(2026, 4, 1))
    finally:
        books.close()
    return path


@pytest.fixture
def demo(demo_db: Path, tmp_path: Path) -> Books:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_db, path)
    books = Books.open(str(path), clock=FixedClock(datetime(2026, 11, 24, 10)), interface="test")
    yield books  # type: ignore[misc]
    books.close()


@pytest.mark.sqlite_only
@pytest.mark.slow
def test_demo_audit_files_valid_and_read_back(demo: Books, tmp_path: Path) -> None:
    import xmlschema

    schema = xmlschema.XMLSchema(str(SCHEMA))
    first, second = check_year(demo, 2025), check_year(demo, 2026)
    check_next_opens_where_closed(first, second)
    for tb in (first, second):
        path = tmp_path / f"{tb.year}.xaf"
        counts = write_auditfile(demo, tb.year, path)
        errors = [str(e) for e in schema.iter_errors(str(path))]
        assert errors == []
        assert counts["debit"] == counts["credit"] == tb.debit
        assert read_auditfile(path) == as_read(tb)
    text = (tmp_path / "2025.xaf").read_text("utf-8")
    assert "<leadReference>BVorDebHad</leadReference>" in text
    from sqlalchemy import select

    from ledger.store.models import Client

    with demo.db.read() as session:
        births = [b for b in session.scalars(select(Client.birth_date)) if b is not None]
    assert births and not any(b.isoformat() in text or b.strftime("%d-%m-%Y") in text
                              for b in births)  # never a date of birth
    assert list(tmp_path.glob(".*")) == []  # nothing left of the temporary files


@pytest.mark.sqlite_only
@pytest.mark.slow
def test_beancount_reads_the_same_balances(demo: Books, tmp_path: Path) -> None:
    from beancount import loader
    from beancount.core import data

    accounts = chart(demo)
    for year in (2025, 2026):
        path = tmp_path / f"{year}.beancount"
        write_beancount(demo, year, path)
        loaded, errors, _options = loader.load_file(str(path))
        assert errors == []
        balances: dict[str, Decimal] = {}
        for entry in loaded:
            if isinstance(entry, data.Transaction):
                for posting in entry.postings:
                    assert posting.units is not None and posting.units.number is not None
                    balances[posting.account] = (balances.get(posting.account, Decimal(0))
                                                 + posting.units.number)
        tb = trial_balance(demo, year)
        for a in tb.accounts:
            name = account_name(accounts, a.code)
            assert balances.get(name, Decimal(0)) == Decimal(a.closing) / 100, a


def test_chart_overrides(practice: Books) -> None:
    from ledger.base.errors import InputError

    set_chart_overrides(practice, {"1600": {"rgs": "BSchOpaVob", "name": "Vooruit ontvangen"}})
    account = chart(practice)["1600"]
    assert (account.name, account.rgs) == ("Vooruit ontvangen", "BSchOpaVob")
    with pytest.raises(InputError, match="not in the chart"):
        set_chart_overrides(practice, {"7777": {"rgs": "W"}})
    changed = change_account(practice, "1600", rgs="")  # back to the default code
    assert (changed.name, changed.rgs) == ("Vooruit ontvangen", "BSchOpa")
    assert change_account(practice, "1600", name="").name == "Vooruitontvangen bedragen (series)"
    with pytest.raises(InputError, match="not an RGS reference code"):
        change_account(practice, "1600", rgs="13011")


def test_a_payment_from_a_bank_statement_names_its_line(open_invoices: dict[str, Any],  # noqa: F811
                                                        tmp_path: Path) -> None:
    """The ING week of tests/bank_samples.py, the certain line booked: its payment entry in
    the bank journal refers to the statement line; the rest stays as it was."""
    from ledger.bank.importing import import_statement
    from tests.bank_samples import ing_semicolon

    books = open_invoices["books"]
    path = tmp_path / "ing.csv"
    path.write_bytes(ing_semicolon())
    result = import_statement(books, path, book_certain=True)
    booked = [line for line in result.lines if line.status == "booked"]
    assert booked
    with books.db.read() as session:
        paid = [e for e in entries(session, 2026) if e.journal == c.Journal.BANK]
    assert {e.reference for e in paid} == {f"bankregel {line.id}" for line in booked}
    assert all(e.lines[0].account == c.BANK and e.lines[1].account == c.DEBTORS for e in paid)
    check_year(books, 2026)


@pytest.mark.sqlite_only
@pytest.mark.slow
def test_the_year_export_holds_the_audit_file(demo: Books, tmp_path: Path) -> None:
    import hashlib

    from ledger.yearend.export import MANIFEST, export_year

    result = export_year(demo, 2025, tmp_path)
    write_auditfile(demo, 2025, tmp_path / "alone.xaf")
    write_beancount(demo, 2025, tmp_path / "alone.beancount")
    manifest = dict(reversed(line.split("  ", 1))
                    for line in (result.folder / MANIFEST).read_text().splitlines())
    for name, alone in (("2025-auditfile.xaf", "alone.xaf"),
                        ("2025-journals.beancount", "alone.beancount")):
        data = (result.folder / name).read_bytes()
        assert data == (tmp_path / alone).read_bytes()
        assert manifest[name] == hashlib.sha256(data).hexdigest()
        assert name in result.files


@pytest.mark.parametrize("regime", ["exempt", "kor"])
def test_prepaid_in_the_exempt_regime(runner_practice: dict[str, Any], regime: str) -> None:
    """A series sold for € 300 without VAT (exemption, KOR): € 300 was received, so € 300
    is owed in sessions, in the journals and in the year report alike; after one session
    € 240."""
    from ledger.practice.profile import update_practice
    from ledger.yearend.figures import year_end
    from tests.factories import PRACTICE

    books = runner_practice["books"]
    update_practice(books, {**PRACTICE, "vat_regime": regime})
    sell_package(books, runner_practice["client"].id, runner_practice["plan"].id,
                 on=date(2026, 3, 2))
    assert trial_balance(books, 2026).closing(c.PREPAID) == -30000  # no VAT was charged
    figures = year_end(books, 2026)
    assert figures.liability_net == figures.liability == 30000
    assert [p.vat_rate for p in figures.packages] == [0]
    record_session(books, runner_practice["client"].id, runner_practice["treatment"].id,
                   on=date(2026, 3, 9))
    assert year_end(books, 2026).liability_net == 24000
    check_year(books, 2026)


@pytest.mark.sqlite_only
def test_every_page_of_an_account_card_runs_on_from_the_opening(demo: Books) -> None:
    """A page after the first (the interface loads the card as it scrolls) carries the
    same running balance as the whole card: from the account's opening, not from zero."""
    from ledger.journals.trial_balance import card_page

    card = account_card(demo, 2026, c.DEBTORS)
    assert card.account.opening != 0 and len(card.lines) >= 3
    first = card_page(demo, 2026, c.DEBTORS, 0, 1)
    rest = card_page(demo, 2026, c.DEBTORS, 1, 100)
    assert [line.balance for line in first.lines + rest.lines] == [
        line.balance for line in card.lines]
    assert first.total == len(card.lines)
