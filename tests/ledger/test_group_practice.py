"""A group practice: therapists on sessions, invoices and figures (on SQLite and PostgreSQL),
and on PostgreSQL each therapist's own login with notes only their author can read.

The practice: Marieke de Zool (therapist 1, the solo practice's own), Anna Jansen and Bram
de Wit join; on PostgreSQL Anna and Bram connect as the roles ``t_anna`` and ``t_bram``
and the practice's administrator as ``t_beheer``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from ledger.base.dates import FixedClock
from ledger.base.errors import NotFound, RuleViolation, StorageError
from ledger.billing.issuing import issue_invoice
from ledger.billing.packages import get_package
from ledger.billing.sessions import add_session, create_invoice, edit_session, get_session
from ledger.books import Books
from ledger.practice.clients import add_note, change_note, client_notes, delete_note
from ledger.practice.therapists import (
    add_therapist,
    archive_therapist,
    choose_working,
    list_therapists,
    therapist_choices,
    update_therapist,
    use_therapist,
    working_in_group,
    working_therapist_info,
)
from ledger.privacy.audit_log import list_entries
from ledger.store.models import AuditEntry
from ledger.yearend.by_therapist import therapist_year, therapist_years
from ledger.yearend.figures import year_end
from tests.factories import TODAY, make_client, make_plan, make_treatment, sell_package
from tests.pg import PgCluster

ANNA = {"name": "Anna Jansen", "agb_code": "90111111", "association": "NBVR",
        "membership_number": "NBVR-77", "email": "anna@zool.nl"}
BRAM = {"name": "Bram de Wit", "agb_code": "90222222", "association": "VNRT",
        "membership_number": "VNRT-88", "register_number": "RBCZ 1"}
POSTGRES_ONLY = pytest.mark.parametrize(
    "db_backend", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)


@pytest.fixture
def group(practice: Books) -> dict[str, Any]:
    anna = add_therapist(practice, dict(ANNA))
    bram = add_therapist(practice, dict(BRAM))
    return {"books": practice, "anna": anna, "bram": bram,
            "treatment": make_treatment(practice), "client": make_client(practice)}


def test_therapists_are_added_changed_and_archived(group: dict[str, Any]) -> None:
    books, anna = group["books"], group["anna"]
    assert [t.name for t in list_therapists(books)] == [
        "Marieke de Zool", "Anna Jansen", "Bram de Wit"]
    assert (anna.agb_code, anna.association, anna.email) == ("90111111", "NBVR", "anna@zool.nl")
    changed = update_therapist(books, anna.id, {"membership_number": "NBVR-78"})
    assert changed.membership_number == "NBVR-78" and changed.agb_code == "90111111"
    with pytest.raises(Exception, match="AGB code"):
        update_therapist(books, anna.id, {"agb_code": "123"})
    archive_therapist(books, anna.id)
    assert [t.name for t in list_therapists(books)] == ["Marieke de Zool", "Bram de Wit"]
    assert len(list_therapists(books, include_archived=True)) == 3
    with pytest.raises(RuleViolation, match="Anna Jansen is archived"):
        choose_working(books, anna.id)
    archive_therapist(books, group["bram"].id)
    with pytest.raises(RuleViolation, match="only active therapist"):
        archive_therapist(books, 1)


def test_the_working_therapist_records_the_sessions(group: dict[str, Any]) -> None:
    books, anna, bram = group["books"], group["anna"], group["bram"]
    client, treatment = group["client"], group["treatment"]
    assert working_therapist_info(books).id == 1  # the solo practice's own, as before
    assert add_session(books, client.id, treatment.id, TODAY).session.therapist_id == 1
    use_therapist(books, bram.id)  # the stored setting "who is working"
    assert add_session(books, client.id, treatment.id, TODAY).session.therapist_id == bram.id
    choose_working(books, anna.id)  # --therapist for this run wins
    assert add_session(books, client.id, treatment.id, TODAY).session.therapist_id == anna.id
    named = add_session(books, client.id, treatment.id, TODAY, therapist_id=bram.id)
    assert named.session.therapist_id == bram.id
    with pytest.raises(NotFound, match="no therapist with id 99"):
        add_session(books, client.id, treatment.id, TODAY, therapist_id=99)


def test_an_invoice_is_one_therapists_and_carries_their_agb_code(
        group: dict[str, Any]) -> None:
    books, anna, bram = group["books"], group["anna"], group["bram"]
    client, treatment = group["client"], group["treatment"]
    first = add_session(books, client.id, treatment.id, TODAY, therapist_id=anna.id)
    second = add_session(books, client.id, treatment.id, TODAY, therapist_id=bram.id)
    with pytest.raises(RuleViolation, match="given by Anna Jansen and Bram de Wit"):
        create_invoice(books, client.id)  # Marieke is working: none of these are hers
    with pytest.raises(RuleViolation, match="given by Anna Jansen and Bram de Wit"):
        create_invoice(books, client.id, [first.session.id, second.session.id])
    choose_working(books, bram.id)  # all unbilled sessions: those of whoever is working
    draft = create_invoice(books, client.id)
    assert [line.session_id for line in draft.lines] == [second.session.id]
    from ledger.billing.drafts import delete_draft

    delete_draft(books, draft.id)
    for session, who in ((first, ANNA), (second, BRAM)):
        draft = create_invoice(books, client.id, [session.session.id])
        issued = issue_invoice(books, draft.id)
        assert issued.practice["agb_therapist"] == who["agb_code"]
        assert issued.practice["therapist_name"] == who["name"]
        assert issued.practice["association"] == who["association"]
        assert issued.practice["membership_number"] == who["membership_number"]
        assert issued.practice["agb_practice"] == "90654321"  # the practice's stays
    # a later change to the therapist leaves the issued invoice as it was
    update_therapist(books, anna.id, {"agb_code": "90333333"})
    from ledger.billing.status import get_invoice

    assert get_invoice(books, "2026-0001").practice["agb_therapist"] == "90111111"


def test_a_series_sold_once_is_redeemed_with_both(group: dict[str, Any]) -> None:
    books, anna, bram = group["books"], group["anna"], group["bram"]
    client, treatment = group["client"], group["treatment"]
    package = sell_package(books, client.id, make_plan(books, treatment.id).id)
    for who in (anna, bram):
        recorded = add_session(books, client.id, treatment.id, TODAY, therapist_id=who.id)
        assert recorded.package is not None and recorded.package.id == package.id
    assert get_package(books, package.id).sessions_used == 2


def _week(group: dict[str, Any]) -> Books:
    """Sessions by all three, a series, invoices issued, one paid: figures to add up."""
    from ledger.billing.payments import register_payment

    books, treatment = group["books"], group["treatment"]
    piet = make_client(books, "Piet Smit")
    sell_package(books, group["client"].id, make_plan(books, treatment.id).id)
    for offset, who in enumerate((1, group["anna"].id, group["bram"].id, group["anna"].id)):
        add_session(books, group["client"].id, treatment.id, TODAY - timedelta(days=offset),
                    therapist_id=who)
        add_session(books, piet.id, treatment.id, TODAY - timedelta(days=offset),
                    therapist_id=who, duration_min=45)
    add_session(books, piet.id, treatment.id, TODAY, therapist_id=group["bram"].id,
                status="no_show", fee=3000)
    for who in (1, group["anna"].id, group["bram"].id):
        ids = [s.id for s in _unbilled(books, piet.id) if s.therapist_id == who]
        issued = issue_invoice(books, create_invoice(books, piet.id, ids).id)
        if who == group["anna"].id:
            register_payment(books, issued.number, issued.total)
    return books


def _unbilled(books: Books, client_id: int) -> list[Any]:
    from ledger.billing.sessions import list_sessions

    return list_sessions(books, client_id, unbilled=True)


def test_the_therapists_figures_add_up_to_the_practices(group: dict[str, Any]) -> None:
    from datetime import time

    from ledger.agenda.planning import plan_session

    books = _week(group)  # and an appointment ahead: neither given nor missed
    plan_session(books, group["client"].id, group["treatment"].id,
                 TODAY + timedelta(days=1), time(10), therapist_id=group["anna"].id)
    years = therapist_years(books, 2026)
    practice = year_end(books, 2026)
    assert [y.name for y in years] == ["Marieke de Zool", "Anna Jansen", "Bram de Wit", ""]
    assert sum(y.turnover_net for y in years) == practice.totals.turnover_net
    assert sum(y.vat for y in years) == practice.totals.vat
    assert sum(y.sessions_given for y in years) == practice.sessions_given == 8
    assert sum(y.sessions_missed for y in years) == practice.sessions_missed == 1
    assert sum(y.treatment_minutes for y in years) == practice.treatment_minutes
    assert sum(y.open_at_year_end for y in years) == practice.totals.open_at_year_end
    anna = therapist_year(books, 2026, group["anna"].id)
    assert (anna.sessions_given, anna.treatment_minutes) == (4, 2 * 60 + 2 * 45)
    assert anna.open_at_year_end == 0 and anna.turnover_gross == 2 * 6500
    bram = therapist_year(books, 2026, group["bram"].id)
    assert bram.turnover_gross == 6500 + 3000 and bram.open_invoices == 1
    assert years[-1].turnover_gross == 30000  # the series, sold by the practice


def test_a_session_changes_therapist_until_it_is_invoiced(group: dict[str, Any]) -> None:
    books, anna, bram = group["books"], group["anna"], group["bram"]
    client, treatment = group["client"], group["treatment"]
    assert [t.id for t in therapist_choices(books)] == [1, anna.id, bram.id]
    assert working_in_group(books) is not None
    given = add_session(books, client.id, treatment.id, TODAY).session
    moved = edit_session(books, given.id, therapist_id=anna.id).session
    assert moved.therapist_id == anna.id
    archive_therapist(books, anna.id)  # her session stays hers, and can still be corrected
    assert edit_session(books, given.id, therapist_id=anna.id, price=5000).session.price == 5000
    assert [t.id for t in therapist_choices(books, anna.id)] == [1, bram.id, anna.id]
    edit_session(books, given.id, therapist_id=bram.id)
    with pytest.raises(RuleViolation, match="Anna Jansen is archived"):
        edit_session(books, given.id, therapist_id=anna.id)
    create_invoice(books, client.id, [given.id])
    with pytest.raises(RuleViolation, match="it is billed on invoice"):
        edit_session(books, given.id, therapist_id=1)
    assert get_session(books, given.id).therapist_id == bram.id
    archive_therapist(books, bram.id)  # one active therapist left: nothing to choose
    assert therapist_choices(books) == [] and working_in_group(books) is None


def test_the_therapist_chosen_for_the_run_follows_a_new_choice(group: dict[str, Any]) -> None:
    books, anna, bram = group["books"], group["anna"], group["bram"]
    choose_working(books, anna.id)  # --therapist for this run
    assert working_in_group(books) == working_therapist_info(books) == anna
    use_therapist(books, bram.id)  # the interface's w: from now on, this run too
    assert working_therapist_info(books).id == bram.id


# ------------------------------------------------------------------ PostgreSQL: own logins
def _role_url(cluster: PgCluster, pg_url: str, role: str) -> str:
    database = make_url(pg_url).database
    return f"postgresql+psycopg://{role}@/{database}?host={cluster.socket_dir}"


def _psql(cluster: PgCluster, pg_url: str, role: str) -> psycopg.Connection[Any]:
    """A plain connection as ``role``, as someone with psql would have."""
    database = make_url(pg_url).database
    return psycopg.connect(f"postgresql://{role}@/{database}?host={cluster.socket_dir}",
                           autocommit=True)


@pytest.fixture
def logins(group: dict[str, Any], pg_cluster: PgCluster, pg_url: str,
           clock: FixedClock) -> Iterator[dict[str, Any]]:
    """Anna and Bram with their own login roles (made by `therapist edit --create-login`,
    run as the server's administrator), and the practice's administrator ``t_beheer``."""
    books = group["books"]
    update_therapist(books, group["anna"].id, {"login": "t_anna"}, create_login=True)
    update_therapist(books, group["bram"].id, {"login": "t_bram"}, create_login=True)
    pg_cluster.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
                       "'t_beheer') THEN CREATE ROLE t_beheer LOGIN; END IF; END $$")
    pg_cluster.execute("GRANT solebook_admin TO t_beheer")
    opened = {role: Books.open(_role_url(pg_cluster, pg_url, role), clock=clock,
                               interface="test") for role in ("t_anna", "t_bram", "t_beheer")}
    yield {**group, **opened, "cluster": pg_cluster, "url": pg_url}
    for each in opened.values():
        each.close()


def _read_notes(conn: psycopg.Connection[Any]) -> list[Any]:
    """The notes' texts a role can read: none when it may not read the table at all."""
    try:
        return conn.execute("SELECT text FROM health_note").fetchall()
    except psycopg.errors.InsufficientPrivilege:
        return []


@POSTGRES_ONLY
def test_a_note_is_read_and_changed_only_by_its_author(logins: dict[str, Any]) -> None:
    anna, bram, admin = logins["t_anna"], logins["t_bram"], logins["t_beheer"]
    client = logins["client"]
    assert working_therapist_info(anna).id == logins["anna"].id  # known from the role
    mine = add_note(anna, client.id, "Hielspoor links; drukgevoelig.")
    add_session(anna, client.id, logins["treatment"].id, TODAY, notes="Kuiten gespannen.")
    add_note(bram, client.id, "Bram's eigen notitie.")
    assert sorted(n.text for n in client_notes(anna, client.id)) == [
        "Hielspoor links; drukgevoelig.", "Kuiten gespannen."]
    assert [n.text for n in client_notes(bram, client.id)] == ["Bram's eigen notitie."]
    with pytest.raises(NotFound):
        change_note(bram, client.id, mine.id, "overschreven")
    with pytest.raises(NotFound):
        delete_note(bram, client.id, mine.id)
    # plain SQL as Bram: the server itself hides and guards Anna's notes
    with _psql(logins["cluster"], logins["url"], "t_bram") as conn:
        assert conn.execute("SELECT count(*) FROM health_note").fetchone() == (1,)
        assert conn.execute("UPDATE health_note SET text = 'x' WHERE id = %s",
                            (mine.id,)).rowcount == 0
        assert conn.execute("DELETE FROM health_note WHERE id = %s", (mine.id,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # posing as Anna
            conn.execute("INSERT INTO health_note (client_id, text, created_at, author_id) "
                         "VALUES (%s, 'x', now(), %s)", (client.id, logins["anna"].id))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # taking Anna's login
            conn.execute("UPDATE therapist SET login = NULL WHERE login = 't_anna'")
    # the administrator manages the practice but cannot read a note: no privilege on the
    # table as migrated; after a restore (default privileges) no row-level policy lets one
    with _psql(logins["cluster"], logins["url"], "t_beheer") as conn:
        assert _read_notes(conn) == []
    try:
        seen = client_notes(admin, client.id)
    except StorageError as exc:  # the server's refusal, as one line
        assert "your database role may not do this" in exc.message
    else:
        assert seen == []
    with pytest.raises(StorageError, match="may not do this"):
        update_therapist(bram, logins["anna"].id, {"email": "x@zool.nl"})
    update_therapist(admin, logins["bram"].id, {"email": "bram@zool.nl"})
    assert len(client_notes(anna, client.id)) == 2  # the administrator's change took none


@POSTGRES_ONLY
def test_each_login_bills_its_own_treatments_and_the_log_names_the_roles(
        logins: dict[str, Any]) -> None:
    anna, bram, admin = logins["t_anna"], logins["t_bram"], logins["t_beheer"]
    client, treatment = logins["client"], logins["treatment"]
    package = sell_package(admin, client.id, make_plan(admin, treatment.id).id)
    for books in (anna, bram):
        assert add_session(books, client.id, treatment.id, TODAY).package is not None
    piet = make_client(admin, "Piet Smit")
    numbers = {}
    for books, who in ((anna, ANNA), (bram, BRAM)):
        add_session(books, piet.id, treatment.id, TODAY)
        ids = [s.id for s in _unbilled(books, piet.id)
               if s.therapist_id == working_therapist_info(books).id]
        issued = issue_invoice(books, create_invoice(books, piet.id, ids).id)
        assert issued.practice["agb_therapist"] == who["agb_code"]
        numbers[who["name"]] = issued.number
    add_session(anna, piet.id, treatment.id, TODAY)
    add_session(bram, piet.id, treatment.id, TODAY)
    with pytest.raises(RuleViolation, match="Anna Jansen and Bram de Wit"):
        create_invoice(admin, piet.id)
    assert get_package(admin, package.id).sessions_used == 2
    assert sorted(numbers.values()) == ["2026-0002", "2026-0003"]
    years = therapist_years(admin, 2026)
    assert sum(y.turnover_net for y in years) == year_end(admin, 2026).totals.turnover_net
    roles = {entry.db_role for entry in list_entries(logins["books"], None)}
    assert {"t_anna", "t_bram", "t_beheer", "postgres"} <= roles
    with logins["books"].db.read() as session:  # written by the server, not the program
        assert "" not in set(session.scalars(select(AuditEntry.db_role)))


def _server_rights(conn: psycopg.Connection[Any]) -> dict[str, list[Any]]:
    """What the migration gave the group roles: grants, the notes' policy, the triggers."""
    return {
        "grants": conn.execute(
            "SELECT grantee, table_name, privilege_type FROM "
            "information_schema.role_table_grants WHERE grantee IN ('solebook_therapist', "
            "'solebook_admin') ORDER BY 1, 2, 3").fetchall(),
        "policies": conn.execute(
            "SELECT tablename, policyname, roles::text, qual, with_check FROM pg_policies "
            "ORDER BY 1, 2").fetchall(),
        "security": conn.execute(
            "SELECT relname FROM pg_class WHERE relrowsecurity ORDER BY 1").fetchall(),
        "triggers": conn.execute(
            "SELECT event_object_table, trigger_name, event_manipulation FROM "
            "information_schema.triggers WHERE trigger_name IN ('audit_log_role', "
            "'therapist_guard') ORDER BY 1, 2, 3").fetchall(),
    }


@POSTGRES_ONLY
def test_a_restored_dump_gives_the_roles_their_rights_again(logins: dict[str, Any],
                                                            tmp_path: Path) -> None:
    """``pg_restore --no-privileges`` leaves every grant out: the restore sets migration
    0012's again, so the therapists can work and still see only their own notes."""
    from datetime import datetime

    from ledger.store.backup import backup_to, restore

    cluster, url, client = logins["cluster"], logins["url"], logins["client"]
    add_note(logins["t_anna"], client.id, "Hielspoor links; drukgevoelig.")
    with _psql(cluster, url, "postgres") as conn:
        before = _server_rights(conn)
    assert before["grants"] and len(before["policies"]) == 1 and len(before["triggers"]) == 4
    stamp = datetime(2026, 11, 24, 10, 0, 0)
    dump = backup_to(url, tmp_path / "groepspraktijk.dump", stamp)
    for role in ("t_anna", "t_bram", "t_beheer"):
        logins[role].close()  # no connections left open while the tables are replaced
    restore(url, dump, stamp)
    with _psql(cluster, url, "postgres") as conn:
        assert _server_rights(conn) == before
    with _psql(cluster, url, "t_bram") as conn:  # Bram can work, but not read Anna's note
        assert conn.execute("SELECT count(*) FROM health_note").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM client").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE therapist SET login = NULL WHERE login = 't_anna'")
    with _psql(cluster, url, "t_anna") as conn:
        assert conn.execute("SELECT text FROM health_note").fetchall() == [
            ("Hielspoor links; drukgevoelig.",)]
    with _psql(cluster, url, "t_beheer") as conn, pytest.raises(
            psycopg.errors.InsufficientPrivilege):
        conn.execute("SELECT text FROM health_note")


@POSTGRES_ONLY
def test_a_therapist_login_imports_a_bank_statement(logins: dict[str, Any],
                                                    tmp_path: Path) -> None:
    """A statement imported as a therapist's own role (the bulk statements straight
    through the driver): its lines are stored, again adds nothing, and the audit log names
    the role for every line."""
    from ledger.bank.importing import import_statement
    from tests.bank_samples import camt_08

    path = tmp_path / "camt053.xml"
    path.write_bytes(camt_08())
    anna = logins["t_anna"]
    first = import_statement(anna, path)
    assert len(first.lines) == 5 and first.count("duplicate") == 0
    assert import_statement(anna, path).count("duplicate") == 5
    with logins["books"].db.read() as session:
        roles = set(session.scalars(select(AuditEntry.db_role).where(
            AuditEntry.entity == "bank_line")))
    assert roles == {"t_anna"}
