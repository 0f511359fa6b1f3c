"""The audit trail: every change is logged (also bulk statements), it can be read back
page by page and exported, and health-note texts never enter it."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, text, update

from ledger.books import Books
from ledger.practice.clients import update_client
from ledger.privacy.audit_log import count_entries, export_csv, list_entries
from ledger.store.models import AuditEntry, Client, Setting
from tests.factories import make_client, record_session, sell_package


def test_service_changes_are_logged_with_before_after_and_interface(practice: Books) -> None:
    anna = make_client(practice, "Anna", notes="Hielspoor links; geheim")
    update_client(practice, anna.id, {"city": "Amersfoort"})
    entries = list_entries(practice, entity="client", entity_id=str(anna.id))
    assert [e.action for e in entries] == ["update", "insert"]  # newest first
    assert entries[0].before == {"city": "Utrecht"} and entries[0].after == {"city": "Amersfoort"}
    assert entries[1].after is not None and entries[1].after["name"] == "Anna"
    assert {e.interface for e in entries} == {"test"}
    assert entries[0].summary == "city: 'Utrecht' -> 'Amersfoort'"
    note = list_entries(practice, entity="health_note")[0]
    assert note.after is not None and note.after["text"] == "(private)"
    with practice.db.read() as session:
        logged = " ".join(f"{e.before} {e.after}" for e in session.scalars(select(AuditEntry)))
    assert "Hielspoor" not in logged


def test_paging_and_counting(runner_practice: dict[str, Any]) -> None:
    books: Books = runner_practice["books"]
    sell_package(books, runner_practice["client"].id, runner_practice["plan"].id)
    record_session(books, runner_practice["client"].id, runner_practice["treatment"].id)
    total = count_entries(books)
    everything = list_entries(books, None)
    assert len(everything) == total > 10
    pages = [e.id for offset in range(0, total, 4) for e in list_entries(books, 4, offset)]
    assert pages == [e.id for e in everything] == sorted(pages, reverse=True)
    assert count_entries(books, entity="invoice") == len(list_entries(books, entity="invoice"))


def test_bulk_statements_through_a_session_are_logged(practice: Books) -> None:
    a, b = make_client(practice, "Anna"), make_client(practice, "Bert")
    before = count_entries(practice)
    with practice.db.write() as session:
        session.execute(update(Client).where(Client.id.in_([a.id, b.id]))
                        .values(city="Zwolle"))
        session.execute(insert(Setting), [{"key": "km_rate", "value": "0.23"},
                                          {"key": "logo", "value": ""}])
        session.execute(delete(Setting).where(Setting.key == "logo"))
    new = list_entries(practice, count_entries(practice) - before)
    got = sorted((e.entity, e.entity_id, e.action) for e in new)
    assert got == sorted([("client", str(a.id), "update"), ("client", str(b.id), "update"),
                          ("setting", "km_rate", "insert"), ("setting", "logo", "insert"),
                          ("setting", "logo", "delete")])
    bulk = next(e for e in new if e.entity_id == str(b.id))
    assert bulk.before == {"city": "Utrecht"} and bulk.after == {"city": "Zwolle"}


def test_raw_sql_changes_through_the_program_are_refused(practice: Books) -> None:
    make_client(practice, "Anna")
    with pytest.raises(RuntimeError, match="audit trail"), practice.db.write() as session:
        session.execute(text("UPDATE client SET city = 'X'"))
    with practice.db.read() as session:
        assert session.scalars(select(Client.city)).all() == ["Utrecht"]


def test_export_csv_holds_every_entry(practice: Books, tmp_path: Path) -> None:
    make_client(practice, 'Jansen & <Zn> "de Oude"')
    out = tmp_path / "audit.csv"
    rows = export_csv(practice, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with out.open(newline="", encoding="utf-8") as fh:
        read = list(csv.DictReader(fh))
    assert len(read) == rows == count_entries(practice)
    client_row = next(r for r in read if r["entity"] == "client")
    assert json.loads(client_row["after"])["name"] == 'Jansen & <Zn> "de Oude"'
    assert [int(r["id"]) for r in read] == sorted(int(r["id"]) for r in read)


def test_an_audit_entry_is_written_as_json_dumps_writes_it() -> None:
    """The kept encoder writes what ``json.dumps(..., ensure_ascii=False, sort_keys=True)``
    writes, dates and times as ISO text and amounts of Decimal as text."""

    from datetime import date, datetime, time
    from decimal import Decimal

    from ledger.store.audit import dump

    values = {"naam": "Łukasz Wiśniewski \"de\" \\ €", "id": 7, "leeg": None, "ja": True,
              "dag": date(2026, 11, 24), "moment": datetime(2026, 11, 24, 10, 5, 1),
              "tijd": time(9, 30), "bedrag": Decimal("65.00"), "regels": "a\nb\tc\u2028"}
    plain = {k: (v.isoformat() if isinstance(v, date | datetime | time) else
                 str(v) if isinstance(v, Decimal) else v) for k, v in values.items()}
    assert dump(values) == json.dumps(plain, ensure_ascii=False, sort_keys=True)
    assert dump({"rate": Decimal("21")}) == '{"rate": "21"}'  # each Decimal as it is written
    assert dump({"rate": Decimal("21.00")}) == '{"rate": "21.00"}'
    assert dump(None) is None
    with pytest.raises(TypeError):
        dump({"x": object()})
