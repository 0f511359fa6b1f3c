"""AVG: a client gets everything stored about them, and erasure keeps only what the
7-year retention of financial records requires (DOMAIN-NL "Records")."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from ledger.base.dates import FixedClock
from ledger.base.errors import NotFound
from ledger.billing.payments import register_payment
from ledger.books import Books
from ledger.practice.clients import get_client
from ledger.privacy.audit_log import list_entries
from ledger.privacy.erasure import export_client, forget_client
from ledger.store.models import HealthNote
from tests.factories import make_client, record_session, sell_package


def _notes(books: Books, client_id: int) -> int:
    with books.db.read() as session:
        return int(session.scalar(select(func.count()).where(
            HealthNote.client_id == client_id)) or 0)


def test_export_holds_everything_about_the_client(runner_practice: dict[str, Any]) -> None:
    books: Books = runner_practice["books"]
    anna = make_client(books, "Anna Bakker", email="anna@example.nl", notes="Knie geopereerd")
    other = make_client(books, "Bert")
    package = sell_package(books, anna.id, runner_practice["plan"].id)
    record_session(books, anna.id, runner_practice["treatment"].id, notes="Kuiten gespannen")
    register_payment(books, package.invoice_number, 30000)
    sell_package(books, other.id, runner_practice["plan"].id)
    data = json.loads(json.dumps(export_client(books, anna.id)))
    assert data["client"]["name"] == "Anna Bakker" and data["client"]["email"] == "anna@example.nl"
    assert sorted(n["text"] for n in data["health_notes"]) == ["Knie geopereerd",
                                                               "Kuiten gespannen"]
    assert [s["price"] for s in data["sessions"]] == ["65.00"]
    assert [p["price"] for p in data["packages"]] == ["300.00"]
    (invoice,) = data["invoices"]
    assert invoice["number"] == package.invoice_number and invoice["total"] == "300.00"
    assert [p["amount"] for p in invoice["payments"]] == ["300.00"]
    assert len(invoice["lines"]) == 1
    about = {(e["entity"], e["entity_id"]) for e in data["audit_log"]}
    assert ("client", str(anna.id)) in about and ("client", str(other.id)) not in about
    assert ("invoice", str(invoice["id"])) in about
    assert data["retention"]["financial_records_until"] == "2033-12-31"
    assert "Bert" not in json.dumps(data)


def test_forget_keeps_what_invoices_need_for_seven_years(runner_practice: dict[str, Any]
                                                          ) -> None:
    books: Books = runner_practice["books"]
    anna = make_client(books, "Anna Bakker", email="anna@example.nl", phone="06 12345678",
                       notes="Hielspoor")
    sell_package(books, anna.id, runner_practice["plan"].id)
    preview = forget_client(books, anna.id, apply=False)
    assert preview.outcome == "restricted" and not preview.done
    assert _notes(books, anna.id) == 1 and get_client(books, anna.id).email  # unchanged

    logged_before = list_entries(books, 1)[0].id
    report = forget_client(books, anna.id)
    assert report.outcome == "restricted" and report.notes_erased == 1
    assert any("2033-12-31" in why for _, why in report.kept)
    kept = get_client(books, anna.id)
    assert (kept.name, kept.address, kept.email, kept.phone, kept.archived) == (
        "Anna Bakker", "Lindenlaan 4", "", "", True)
    assert _notes(books, anna.id) == 0
    erasure = [e for e in list_entries(books, 10) if e.id > logged_before]
    assert {(e.entity, e.action) for e in erasure} == {("client", "update"),
                                                      ("health_note", "delete")}
    assert all("anna@example.nl" not in json.dumps([e.before, e.after])
                           for e in erasure)
    client_update = next(e for e in erasure if e.entity == "client")
    assert client_update.before is not None and client_update.before["email"] == "(erased)"


def test_forget_a_client_without_records_deletes_them(practice: Books) -> None:
    anna = make_client(practice, "Anna Bakker", email="anna@example.nl", notes="Migraine")
    report = forget_client(practice, anna.id)
    assert report.outcome == "deleted"
    with pytest.raises(NotFound):
        get_client(practice, anna.id)
    deleted = list_entries(practice, 5, entity="client")[0]
    assert deleted.action == "delete" and "Anna" not in json.dumps(deleted.before)


def test_forget_after_the_retention_period_anonymises(runner_practice: dict[str, Any],
                                                      clock: FixedClock) -> None:
    books: Books = runner_practice["books"]
    anna = make_client(books, "Anna Bakker", email="anna@example.nl")
    sell_package(books, anna.id, runner_practice["plan"].id)  # 2026: kept until 2033-12-31
    clock.set(datetime(2034, 1, 2, 9, 0))
    report = forget_client(books, anna.id)
    assert report.outcome == "anonymised"
    gone = get_client(books, anna.id)
    assert gone.name == f"Client {anna.id} (erased)"
    assert (gone.address, gone.email, gone.birth_date) == ("", "", None)
    assert any("issued invoices" in what for what, _ in report.kept)
