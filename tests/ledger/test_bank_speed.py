"""What makes a large statement import fast keeps its promises: the bulk insert writes the
same audit entries as a bulk statement through the session, and a CAMT.053 read as a
stream from its file gives the same lines (and the file's hash) as its bytes do."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, cast

import pytest
from sqlalchemy import insert, select

from ledger.bank.formats import read_statement, read_xml_statement
from ledger.bank.reading import StatementFile
from ledger.base.errors import InputError
from ledger.books import Books
from ledger.privacy.audit_log import list_entries
from ledger.store.audit import dump, insert_logged
from ledger.store.models import AuditEntry
from ledger.store.models.paid import BankImport, BankLine
from tests.bank_samples import camt_02, camt_08


def _line(n: int, import_id: int) -> dict[str, Any]:
    return {"import_id": import_id, "bank": "camt053", "account": "NL91ABNA0417164300",
            "booking_date": date(2026, 3, n), "value_date": None, "amount_cents": 6500 + n,
            "currency": "EUR", "counterparty_name": f"Anna {n}", "counterparty_iban": "",
            "description": "factuur", "bank_ref": f"R{n}", "import_key": f"k{n}",
            "identity": None, "status": "unmatched", "note": "", "note_phrase": None, "created_at":
            datetime(2026, 3, 9, 10)}


def test_insert_logged_writes_what_a_bulk_insert_through_the_session_writes(
        practice: Books) -> None:
    with practice.db.write() as session:
        record = BankImport(file_name="a.xml", sha256="0" * 64, format="camt053",
                            imported_at=datetime(2026, 3, 9, 10))
        session.add(record)
        session.flush()
        session.execute(insert(BankLine), [_line(1, record.id), _line(2, record.id)])
        stored = insert_logged(session, BankLine, [_line(3, record.id), _line(4, record.id)])
        ids = {row["id"] for row in session.execute(select(BankLine.id)).mappings()}
    assert [row["import_key"] for row in stored] == ["k3", "k4"]
    assert {row["id"] for row in stored} <= ids and len(ids) == 4
    entries = {e.entity_id: e for e in list_entries(practice, entity="bank_line")}
    assert set(entries) == {str(i) for i in ids}
    by_key = {e.after["import_key"]: e for e in entries.values() if e.after}
    for ours, theirs, day in (("k3", "k1", 3), ("k4", "k2", 4)):
        a, b = by_key[ours], by_key[theirs]
        assert (a.action, a.interface, a.before) == (b.action, b.interface, b.before)
        assert a.after is not None and b.after is not None
        assert set(a.after) == set(b.after)
        assert a.after["booking_date"] == date(2026, 3, day).isoformat()
        assert {k: v for k, v in a.after.items() if k not in ("id", "booking_date",
                "amount_cents", "counterparty_name", "bank_ref", "import_key")} == \
            {k: v for k, v in b.after.items() if k not in ("id", "booking_date",
             "amount_cents", "counterparty_name", "bank_ref", "import_key")}
        assert a.after["id"] == int(a.entity_id)
    with practice.db.read() as session:
        text = session.scalar(select(AuditEntry.after).where(
            AuditEntry.entity == "bank_line", AuditEntry.entity_id == str(stored[0]["id"])))
    # the very text dump() writes for the row (dates and moments as ISO text)
    assert text == dump({**_line(3, record.id), "id": stored[0]["id"]})


def test_insert_logged_by_a_unique_column_gives_each_row_its_own_id(practice: Books) -> None:
    with practice.db.write() as session:
        record = BankImport(file_name="a.xml", sha256="0" * 64, format="camt053",
                            imported_at=datetime(2026, 3, 9, 10))
        session.add(record)
        session.flush()
        rows = [_line(n, record.id) for n in (5, 1, 9, 3)]
        stored = insert_logged(session, BankLine, rows, unique="import_key")
        in_db = dict(session.execute(select(BankLine.import_key, BankLine.id)).all())
    assert [row["import_key"] for row in stored] == ["k5", "k1", "k9", "k3"]
    assert {row["import_key"]: row["id"] for row in stored} == in_db
    assert all(row == {**given, "id": row["id"]} for row, given in zip(stored, rows,
                                                                        strict=True))
    entries = {e.entity_id: e for e in list_entries(practice, entity="bank_line")}
    assert {key: int(e.entity_id) for e in entries.values() if e.after
            for key in [e.after["import_key"]]} == in_db


def test_a_camt_file_read_as_a_stream_reads_as_its_bytes(tmp_path: Path) -> None:
    for make in (camt_02, camt_08):
        data = make()
        path = tmp_path / "statement.xml"
        path.write_bytes(data)
        with StatementFile(path) as source:
            assert source.read(5) == data[:5] and source.seek(0) == 0
            streamed = read_xml_statement(cast(IO[bytes], source))
            assert source.sha256() == hashlib.sha256(data).hexdigest()
        assert streamed == read_statement(data) and streamed.lines


def test_the_cycle_collector_is_paused_for_an_import_and_then_as_it_was(
        practice: Books, tmp_path: Path) -> None:
    """An import runs with Python's cycle collector paused (its rows form no cycles) and
    leaves it as it found it, after a refusal too."""
    import gc

    from ledger.bank import importing
    from ledger.store.bulk import no_cycle_collection

    seen = []
    reading = importing.xml_statement_lines

    def watched(source: Any) -> Any:
        seen.append(gc.isenabled())
        return reading(source)

    path = tmp_path / "statement.xml"
    path.write_bytes(camt_08())
    was = gc.isenabled()
    try:
        importing.xml_statement_lines = watched
        gc.enable()
        importing.import_statement(practice, path)
        assert seen == [False] and gc.isenabled()
        gc.disable()
        with no_cycle_collection():
            pass
        assert not gc.isenabled()
        gc.enable()
        path.write_bytes(b"<Document><BkToCstmrStmt>")
        with pytest.raises(InputError, match="not well-formed"):
            importing.import_statement(practice, path)
        assert gc.isenabled()
    finally:
        importing.xml_statement_lines = reading
        if was:
            gc.enable()
        else:
            gc.disable()


def test_a_statement_is_stored_with_a_larger_page_cache_then_the_cache_is_as_it_was(
        practice: Books, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's page cache is PAGE_CACHE_MB while the lines are stored, and as it was
    after, also when the import is refused; PostgreSQL is left alone."""
    import ledger.bank.importing as importing
    from ledger.bank.importing import import_statement

    sqlite = practice.db.engine.dialect.name == "sqlite"

    def cache(session: Any) -> Any:
        return session.connection().exec_driver_sql("PRAGMA cache_size").scalar()

    during: list[Any] = []
    storing = importing._insert

    def spy(session: Any, *args: Any) -> None:
        during.append(cache(session) if sqlite else None)
        storing(session, *args)

    monkeypatch.setattr(importing, "_insert", spy)
    path = tmp_path / "camt.xml"
    path.write_bytes(camt_08())
    import_statement(practice, path)
    assert during and set(during) == {-1024 * importing.PAGE_CACHE_MB if sqlite else None}
    if sqlite:
        with practice.db.write() as session:
            assert cache(session) == -2000  # SQLite's default
        path.write_bytes(camt_08().replace(b"<c:CdtDbtInd>DBIT</c:CdtDbtInd>",
                                           b"<c:CdtDbtInd>X</c:CdtDbtInd>"))
        with pytest.raises(InputError):
            import_statement(practice, path)
        with practice.db.write() as session:
            assert cache(session) == -2000
