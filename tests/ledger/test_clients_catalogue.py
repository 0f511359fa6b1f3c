"""Clients and the catalogue: search, archive instead of delete, price changes."""

from __future__ import annotations

import pytest

from ledger.base.errors import InputError, RuleViolation
from ledger.billing.sessions import list_sessions
from ledger.practice.catalogue import update_treatment
from ledger.practice.clients import (
    archive_client,
    client_notes,
    delete_client,
    list_clients,
    update_client,
)
from tests.factories import make_client, make_treatment, record_session


def test_search_by_any_part_of_the_name(books) -> None:
    for name in ("Anna de Vries", "Bram Jansen", "Özgür Çelik", "Annelies Bos"):
        make_client(books, name)
    assert [c.name for c in list_clients(books, "ann")] == ["Anna de Vries", "Annelies Bos"]
    assert [c.name for c in list_clients(books, "de vr")] == ["Anna de Vries"]
    assert [c.name for c in list_clients(books, "çelik")] == ["Özgür Çelik"]
    assert [c.name for c in list_clients(books, "ozgur")] == ["Özgür Çelik"]  # no accents
    make_client(books, "Łukasz Wiśniewski")
    assert [c.name for c in list_clients(books, "lukasz wis")] == ["Łukasz Wiśniewski"]
    assert list_clients(books, "100%") == []


def test_client_with_records_is_archived_not_deleted(books) -> None:
    kept = make_client(books, "Anna de Vries", notes="Hielspoor links; let op bij druk")
    gone = make_client(books, "Typfout")
    record_session(books, kept.id, make_treatment(books).id)
    with pytest.raises(RuleViolation, match="archive the client instead"):
        delete_client(books, kept.id)
    delete_client(books, gone.id)
    archive_client(books, kept.id)
    assert list_clients(books) == []
    assert [c.name for c in list_clients(books, include_archived=True)] == ["Anna de Vries"]
    with pytest.raises(RuleViolation, match="archived"):
        record_session(books, kept.id, 1)
    archive_client(books, kept.id, archived=False)
    assert client_notes(books, kept.id)[0].text == "Hielspoor links; let op bij druk"


def test_bad_client_input_names_the_field_and_changes_nothing(books) -> None:
    client = make_client(books)
    with pytest.raises(InputError, match=r"^date of birth: "):
        update_client(books, client.id, {"city": "Zeist", "birth_date": "31-02-1985"})
    assert list_clients(books)[0].city == "Utrecht"


def test_price_change_leaves_past_sessions_alone(books) -> None:
    client = make_client(books)
    treatment = make_treatment(books, price="65")
    before = record_session(books, client.id, treatment.id).session
    update_treatment(books, treatment.id, {"price": "70"})
    after = record_session(books, client.id, treatment.id).session
    assert [s.price for s in list_sessions(books, client.id)] == [6500, 7000]
    assert before.price == 6500 and after.price == 7000
