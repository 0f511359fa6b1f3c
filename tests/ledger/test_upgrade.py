"""Upgrades: books made at the first schema revision migrate to the newest without losing
a row, and a migration that fails leaves the database exactly as it was (one transaction:
SQLite and PostgreSQL both undo DDL). Runs on both backends."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, MetaData, inspect, select, text
from sqlalchemy.exc import DBAPIError

from ledger.base.errors import StorageError
from ledger.billing.packages import list_packages
from ledger.billing.status import list_invoices
from ledger.books import Books
from ledger.practice.clients import list_clients
from ledger.store import migrate
from ledger.store.db import Database, connect
from tests.factories import make_client

AT = datetime(2026, 3, 2, 9, 30)


def _insert(conn: Connection, meta: MetaData, table: str, **values: Any) -> int:
    t = meta.tables[table]
    return int(conn.execute(t.insert().values(**values).returning(t.c.id)).scalar_one())


def _fill_at_0001(database: Database) -> None:
    """A practice's first weeks, written with the tables as revision 0001 made them."""
    with database.engine.begin() as conn:
        meta = MetaData()
        meta.reflect(conn)
        conn.execute(meta.tables["practice"].update().values(name="Praktijk Zool"))
        anna = _insert(conn, meta, "client", name="Anna de Vries", address="Lindenlaan 4",
                       postcode="3514 CD", city="Utrecht", country="NL", email="a@example.nl",
                       phone="", birth_date=date(1985, 3, 12), created_at=AT)
        bert = _insert(conn, meta, "client", name="Bert Ümit", address="", postcode="",
                       city="Zwolle", country="NL", email="", phone="", created_at=AT)
        massage = _insert(conn, meta, "treatment", name="Voetreflexmassage", duration_min=60,
                          price_cents=6500, vat_rate=2100, performance_code="24009",
                          active=True)
        plan = _insert(conn, meta, "package_plan", name="Hardloopreeks", treatment_id=massage,
                       sessions=5, price_cents=30000, valid_days=365, active=True)
        invoice = _insert(conn, meta, "invoice", kind="invoice", client_id=anna,
                          language="nl", vat_regime="standard", regime_text="",
                          practice_snapshot="{}", client_snapshot='{"name": "Anna de Vries"}',
                          net_cents=24793, vat_cents=5207, total_cents=30000, created_at=AT)
        _insert(conn, meta, "invoice_line", invoice_id=invoice, position=1,
                supply_date=date(2026, 3, 2), description="Hardloopreeks — 5 behandelingen",
                quantity=1, unit_price_cents=30000, vat_rate=2100, net_cents=24793,
                vat_cents=5207, gross_cents=30000, performance_code="24009")
        conn.execute(meta.tables["invoice"].update().values(
            number="2026-0001", series="2026", seq=1, date=date(2026, 3, 2),
            due_date=date(2026, 3, 16), issued_at=AT))
        conn.execute(meta.tables["invoice_sequence"].insert().values(series="2026",
                                                                     last_seq=1))
        package = _insert(conn, meta, "package", client_id=anna, plan_id=plan,
                          treatment_id=massage, name="Hardloopreeks", sessions_total=5,
                          price_cents=30000, vat_rate=2100, sold_on=date(2026, 3, 2),
                          expires_on=date(2027, 3, 2), invoice_id=invoice)
        for client, paid_by in ((anna, package), (anna, package), (bert, None)):
            session = _insert(conn, meta, "treatment_session", client_id=client,
                              therapist_id=1, treatment_id=massage, date=date(2026, 3, 9),
                              duration_min=60, price_cents=6500, vat_rate=2100,
                              status="given", package_id=paid_by, created_at=AT)
        _insert(conn, meta, "health_note", client_id=bert, session_id=session,
                text="Hielspoor rechts", created_at=AT)
        _insert(conn, meta, "payment", invoice_id=invoice, date=date(2026, 3, 10),
                amount_cents=30000, method="bank", reference="2026-0001", created_at=AT)
        conn.execute(meta.tables["setting"].insert().values(key="km_rate", value="0.23"))


def _snapshot(database: Database, tables: dict[str, list[str]]) -> dict[str, list[tuple]]:
    with database.engine.connect() as conn:
        meta = MetaData()
        meta.reflect(conn, only=list(tables))
        return {
            name: [tuple(row) for row in conn.execute(
                select(*(meta.tables[name].c[c] for c in columns))
                .order_by(*meta.tables[name].primary_key.columns))]
            for name, columns in tables.items()
        }


def _tables(database: Database) -> dict[str, list[str]]:
    with database.engine.connect() as conn:
        inspector = inspect(conn)
        return {t: sorted(c["name"] for c in inspector.get_columns(t))
                for t in inspector.get_table_names() if t != "alembic_version"}


def _revision(database: Database) -> str | None:
    return migrate.current_revision(database)


def test_books_from_the_first_revision_migrate_without_losing_a_row(empty_db_url: str
                                                                     ) -> None:
    database = connect(empty_db_url)
    migrate.upgrade(database, "0001")
    assert _revision(database) == "0001"
    _fill_at_0001(database)
    at_0001 = _tables(database)
    before = _snapshot(database, at_0001)
    assert sum(len(rows) for rows in before.values()) >= 14
    migrate.upgrade(database)
    assert _revision(database) == migrate.head_revision()
    assert _snapshot(database, at_0001) == before  # every row, every old column
    database.close()

    books = Books.open(empty_db_url, interface="test")
    try:
        assert [(i.number, i.total, i.paid, i.status) for i in list_invoices(books)] == [
            ("2026-0001", 30000, 30000, "paid")]
        assert [(p.sessions_used, p.sessions_left) for p in list_packages(books)] == [(2, 3)]
        make_client(books, "Na de upgrade")  # ids continue after the old rows
        assert len(list_clients(books)) == 3
        with pytest.raises(DBAPIError), books.db.engine.begin() as conn:  # triggers survived
            conn.execute(text("UPDATE invoice SET total_cents = 1"))
    finally:
        books.close()


BROKEN = '''"""A migration that fails halfway (for the test).

Revision ID: 9999
Revises: {head}
"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("UPDATE client SET city = 'Halverwege'")
    op.execute("INSERT INTO no_such_table VALUES (1)")


def downgrade() -> None:
    pass
'''


@pytest.fixture
def broken_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The program's migrations plus a newest one that fails."""
    head = migrate.head_revision()
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "versions" / "9999_broken.py").write_text(BROKEN.format(head=head))
    monkeypatch.setattr(migrate, "MIGRATIONS", copy)
    return copy


def test_a_failed_migration_leaves_the_database_as_it_was(
        empty_db_url: str, broken_migrations: Path) -> None:
    database = connect(empty_db_url)
    migrate.upgrade(database, "0001")
    _fill_at_0001(database)
    tables = _tables(database)
    before = _snapshot(database, tables)
    with pytest.raises(StorageError, match="the schema upgrade failed and was undone"):
        migrate.upgrade(database)  # 0002 ... newest succeed, then 9999 fails: all undone
    assert _revision(database) == "0001"
    assert _tables(database) == tables  # no table of a later revision, no half_done
    assert _snapshot(database, tables) == before
    database.close()


def test_opening_runs_the_failing_migration_and_refuses(
        empty_db_url: str, broken_migrations: Path) -> None:
    database = connect(empty_db_url)
    migrate.upgrade(database, "0001")
    _fill_at_0001(database)
    database.close()
    with pytest.raises(StorageError, match="undone"):
        Books.open(empty_db_url)
    database = connect(empty_db_url)
    try:
        assert _revision(database) == "0001"
        with database.engine.connect() as conn:
            cities = conn.execute(text("SELECT city FROM client ORDER BY id")).scalars().all()
        assert cities == ["Utrecht", "Zwolle"]
    finally:
        database.close()


# ------------------------------------------------------------------------------ frozen
def _derived(database: Database) -> dict[str, dict[tuple, list]]:
    from ledger.derived.sums import stored

    with database.engine.connect() as conn:
        return stored(conn)


def _downgrade(database: Database, revision: str) -> None:
    from alembic import command

    config = migrate.alembic_config()
    with database.engine.execution_options(solebook_write=True).begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


@pytest.mark.slow
def test_upgrading_books_at_0005_fills_the_derived_tables_as_the_program_does(
        db_url: str, empty_db_url: str, clock: Any) -> None:
    """A year of the demo practice (clients, sessions given and missed, series sold and
    cancelled, invoices issued, paid in part, credited) taken back to revision 0005 and
    upgraded again: the frozen copies in 0006 and 0007 give the derived tables exactly
    what the program's own ``ledger.derived.sums.rebuild`` computes on the same books."""
    from ledger.billing.credits import credit_invoice
    from ledger.billing.issuing import issue_invoice
    from ledger.billing.payments import register_payment
    from ledger.billing.sessions import create_invoice
    from ledger.demo import load_demo
    from ledger.derived.sums import differences, rebuild
    from ledger.practice.catalogue import list_treatments
    from tests.factories import record_session

    books = Books.open(db_url, clock=clock, interface="test")
    try:
        load_demo(books, clients=4)
        treatment = list_treatments(books)[0].id
        numbers: list[str] = []
        for name in ("Carla Credit", "Dirk Deels"):
            client = make_client(books, name).id
            record_session(books, client, treatment, date(2026, 11, 2), package="none")
            record_session(books, client, treatment, date(2026, 11, 9), package="none")
            numbers.append(str(issue_invoice(books, create_invoice(books, client).id).number))
        credit_invoice(books, numbers[0], [2])  # one of two lines credited
        register_payment(books, numbers[1], 1000)  # paid in part
        kept = _derived(books.db)  # as the services kept them, change by change
    finally:
        books.close()
    assert kept["settlement"] and kept["sum_turnover"] and kept["unbilled_session"]
    assert any(values[2] for values in kept["settlement"].values())  # something credited

    database = connect(db_url)
    try:
        _downgrade(database, "0005")
        assert _revision(database) == "0005"
        fresh = connect(empty_db_url)
        try:
            migrate.upgrade(fresh, "0005")
            assert _tables(database) == _tables(fresh)  # the schema 0005 made
        finally:
            fresh.close()

        migrate.upgrade(database)
        upgraded = _derived(database)
        with database.engine.begin() as conn:
            assert differences(conn) == []
            rebuild(conn)
        assert upgraded == _derived(database)  # the live rebuild: the same rows
        assert upgraded == kept
    finally:
        database.close()


MIGRATION_FILES = sorted((migrate.MIGRATIONS / "versions").glob("[0-9]*.py"))


@pytest.mark.parametrize("path", MIGRATION_FILES, ids=lambda p: p.name[:4])
def test_a_migration_imports_none_of_the_programs_code(path: Path) -> None:
    """What a migration does is fixed when it is written: it carries its own copy of any
    rule it needs instead of importing today's (which may change)."""
    import ast

    own = {"ledger", "invoices", "tui"}
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level)  # relative: the program's own package
    assert not {name for name in imported if name.split(".")[0] in own or
                name.startswith(".")}


def test_every_migration_file_is_scanned() -> None:
    assert [p.name[:4] for p in MIGRATION_FILES] == migrate.known_revisions()
