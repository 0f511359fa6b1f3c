"""Private notes read back, added, changed and deleted for one client: one transaction
each, typed text checked by the books' parser, refusals that say what is wrong, and an
audit log that records that a note changed but never what it says."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from ledger.base.dates import FixedClock
from ledger.base.errors import InputError, NotFound, RuleViolation
from ledger.billing.sessions import session_note
from ledger.books import Books
from ledger.practice.clients import add_note, change_note, client_notes, delete_note
from ledger.privacy.audit_log import list_entries
from ledger.store.models import AuditEntry, HealthNote
from tests.factories import make_client, make_treatment, record_session


def _later(books: Books, hours: int = 1) -> None:
    assert isinstance(books.clock, FixedClock)
    books.clock.advance(timedelta(hours=hours))


def test_notes_newest_first_with_their_session(books: Books) -> None:
    anna = make_client(books, "Anna de Vries", notes="Hielspoor links")
    _later(books)
    treatment = make_treatment(books, "Voetreflexmassage")
    given = record_session(books, anna.id, treatment.id, notes="Hiel minder gevoelig").session
    _later(books)
    add_note(books, anna.id, "  Loopt de marathon van Rotterdam in april  ")

    notes = client_notes(books, anna.id)
    assert [n.text for n in notes] == ["Loopt de marathon van Rotterdam in april",
                                      "Hiel minder gevoelig", "Hielspoor links"]
    assert notes[1].session_id == given.id and notes[1].session_date == given.date
    assert notes[1].treatment_name == "Voetreflexmassage"
    assert notes[0].session_id is None and notes[0].treatment_name == ""
    assert notes[0].written_at > notes[1].written_at > notes[2].written_at


def test_change_and_delete_a_note(books: Books) -> None:
    anna = make_client(books, "Anna de Vries", notes="Hielspoor links")
    treatment = make_treatment(books)
    given = record_session(books, anna.id, treatment.id, notes="Hiel gevoelig").session
    first, = (n for n in client_notes(books, anna.id) if n.session_id is None)
    of_session, = (n for n in client_notes(books, anna.id) if n.session_id == given.id)

    changed = change_note(books, anna.id, of_session.id, "Hiel veel minder gevoelig")
    assert changed.text == "Hiel veel minder gevoelig"
    assert (changed.session_id, changed.session_date) == (given.id, given.date)
    assert changed.written_at == of_session.written_at  # keeps its date
    assert session_note(books, given.id) == "Hiel veel minder gevoelig"  # the session form

    delete_note(books, anna.id, first.id)
    assert [n.id for n in client_notes(books, anna.id)] == [of_session.id]
    delete_note(books, anna.id, of_session.id)
    assert client_notes(books, anna.id) == []
    assert session_note(books, given.id) == ""


def test_refusals_change_nothing(books: Books) -> None:
    anna = make_client(books, "Anna de Vries", notes="Hielspoor links")
    bram = make_client(books, "Bram Jansen", notes="Knie rechts")
    annas, = client_notes(books, anna.id)
    brams, = client_notes(books, bram.id)

    for blank in ("", "   ", "\n"):
        with pytest.raises(InputError, match=r"^private note: is required$"):
            add_note(books, anna.id, blank)
        with pytest.raises(InputError, match=r"^private note: is required$"):
            change_note(books, anna.id, annas.id, blank)
    with pytest.raises(InputError, match=r"^private note: .*control"):
        add_note(books, anna.id, "Hiel\x00")
    with pytest.raises(RuleViolation, match=f"note {brams.id} belongs to another client"):
        change_note(books, anna.id, brams.id, "Overschreven")
    with pytest.raises(RuleViolation, match="belongs to another client"):
        delete_note(books, anna.id, brams.id)
    with pytest.raises(NotFound, match="there is no private note with id 999"):
        change_note(books, anna.id, 999, "Nieuw")
    with pytest.raises(NotFound, match="there is no private note with id 999"):
        delete_note(books, anna.id, 999)
    with pytest.raises(NotFound, match="there is no client with id 999"):
        add_note(books, 999, "Nieuw")

    assert client_notes(books, anna.id) == [annas]
    assert client_notes(books, bram.id) == [brams]


def test_refusals_in_dutch(books: Books) -> None:
    anna = make_client(books, "Anna de Vries")
    with pytest.raises(InputError) as empty:
        add_note(books, anna.id, " ")
    assert empty.value.text("nl") == "privénotitie: is verplicht"
    with pytest.raises(NotFound) as unknown:
        delete_note(books, anna.id, 7)
    assert unknown.value.text("nl") == "notitie: er is geen privénotitie met id 7"


def test_audit_log_says_a_note_changed_never_what_it_says(books: Books) -> None:
    anna = make_client(books, "Anna de Vries")
    note = add_note(books, anna.id, "Geheim: hielspoor links")
    change_note(books, anna.id, note.id, "Geheim: hielspoor rechts")
    delete_note(books, anna.id, note.id)

    entries = list_entries(books, entity="health_note", entity_id=str(note.id))
    assert [e.action for e in entries] == ["delete", "update", "insert"]
    assert entries[1].before == {"text": "(private)"} == entries[1].after
    with books.db.read() as session:
        logged = " ".join(f"{e.before} {e.after}" for e in session.scalars(select(AuditEntry)))
        assert session.scalars(select(HealthNote)).all() == []
    assert "Geheim" not in logged and "hielspoor" not in logged
