"""Clients: who is treated and invoiced. Private notes are kept apart (``HealthNote``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from ledger.base import identifiers, parse
from ledger.base.errors import N_, InputError, NotFound, RuleViolation
from ledger.base.forms import Field, parse_form
from ledger.base.text import search_key
from ledger.base.views import ClientInfo, NoteInfo
from ledger.books import Books
from ledger.practice.greeting import SALUTATIONS
from ledger.practice.therapists import note_author
from ledger.store.models import (
    Client,
    HealthNote,
    Invoice,
    Package,
    Treatment,
    TreatmentSession,
)

CLIENT_FIELDS: dict[str, Field] = {
    "name": Field(N_("name"), lambda raw, label: parse.parse_name(raw, label), blank=None),
    "address": Field(N_("address"), lambda raw, label: parse.parse_name(raw, label)),
    "postcode": Field(N_("postcode"), identifiers.parse_postcode),
    "city": Field(N_("city"), lambda raw, label: parse.parse_name(raw, label, max_length=100)),
    "email": Field(N_("e-mail"), identifiers.parse_email),
    "phone": Field(N_("phone"), identifiers.parse_phone),
    "birth_date": Field(N_("date of birth"), parse.parse_date, blank=None),
    "language": Field(N_("language"), parse.parse_language, blank=None),
    "salutation": Field(N_("salutation"),
                        lambda raw, label: parse.parse_choice(raw, label, SALUTATIONS),
                        blank=None),
    "formal_name": Field(N_("formal name"), lambda raw, label: parse.parse_name(raw, label)),
    "notes": Field(N_("notes"), lambda raw, label: parse.parse_text(raw, label)),
}


def client_snapshot(info: ClientInfo) -> dict[str, str]:
    """The one choice of what a document keeps of the client (frozen on an issued invoice,
    current on a draft or a statement): never the notes."""
    return {
        "name": info.name, "address": info.address, "postcode": info.postcode,
        "city": info.city, "country": info.country, "email": info.email,
        "birth_date": info.birth_date.isoformat() if info.birth_date else "",
        "salutation": info.salutation, "formal_name": info.formal_name,
    }


def client_info(client: Client) -> ClientInfo:
    return ClientInfo(
        id=client.id, name=client.name, address=client.address, postcode=client.postcode,
        city=client.city, country=client.country, email=client.email, phone=client.phone,
        birth_date=client.birth_date, language=client.language,
        archived=client.archived_at is not None, created_at=client.created_at,
        salutation=client.salutation or "first_name", formal_name=client.formal_name or "",
    )


def load_client(session: Session, client_id: int) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound("client: there is no client with id {client_id}", client_id=client_id)
    return client


def _apply(session: Session, client: Client, values: dict[str, Any], books: Books) -> None:
    notes = values.pop("notes", "")
    for key, value in values.items():
        setattr(client, key, value)
    client.search_name = search_key(client.name)
    session.flush()
    if notes:
        session.add(HealthNote(client_id=client.id, text=notes, created_at=books.clock.now(),
                               author_id=note_author(session).id))


def add_client(books: Books, raw: dict[str, str | None]) -> ClientInfo:
    """A new client from typed text (``name`` required)."""
    values = parse_form(CLIENT_FIELDS, raw)
    if "name" not in values:
        raise InputError("name", "is required")
    with books.db.write() as session:
        client = Client(
            name=values.pop("name"), address="", postcode="", city="", country="NL",
            email="", phone="", created_at=books.clock.now(),
        )
        session.add(client)
        _apply(session, client, values, books)
        return client_info(client)


def update_client(books: Books, client_id: int, raw: dict[str, str | None]) -> ClientInfo:
    values = parse_form(CLIENT_FIELDS, raw)
    with books.db.write() as session:
        client = load_client(session, client_id)
        _apply(session, client, values, books)
        return client_info(client)


def get_client(books: Books, client_id: int) -> ClientInfo:
    with books.db.read() as session:
        return client_info(load_client(session, client_id))


def client_query(search: str = "", *, include_archived: bool = False) -> Select[Client]:
    """The clients a list shows (unordered): every word of ``search`` in the name. A search
    with a control character or a line break is refused (it cannot be part of a name)."""
    search = parse.parse_text(search, N_("search"), max_length=200, allow_newlines=False)
    query = select(Client)
    if search.strip():
        words = search_key(search).split()
        query = query.where(*(Client.search_name.contains(word, autoescape=True)
                              for word in words))
    if not include_archived:
        query = query.where(Client.archived_at.is_(None))
    return query


def count_clients(books: Books, search: str = "", *, include_archived: bool = False) -> int:
    """How many clients :func:`list_clients` would list (for paged lists)."""
    inner = client_query(search, include_archived=include_archived).subquery()
    with books.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(inner)) or 0)


def list_clients(
    books: Books,
    search: str = "",
    *,
    include_archived: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[ClientInfo]:
    """Clients by name; ``search`` matches any part of the name, case-insensitively."""
    query = client_query(search, include_archived=include_archived)
    query = query.order_by(Client.search_name, Client.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with books.db.read() as session:
        return [client_info(c) for c in session.scalars(query)]


def has_financial_records(session: Session, client_id: int) -> bool:
    return bool(
        session.scalar(
            select(
                or_(
                    exists().where(Invoice.client_id == client_id),
                    exists().where(Package.client_id == client_id),
                    exists().where(TreatmentSession.client_id == client_id),
                )
            )
        )
    )


def archive_client(books: Books, client_id: int, *, archived: bool = True) -> ClientInfo:
    with books.db.write() as session:
        client = load_client(session, client_id)
        client.archived_at = books.clock.now() if archived else None
        return client_info(client)


def delete_client(books: Books, client_id: int) -> None:
    """Delete a client entered by mistake; refused once there are financial records."""
    with books.db.write() as session:
        client = load_client(session, client_id)
        if has_financial_records(session, client_id):
            raise RuleViolation(
                "client: {name} has sessions or invoices and cannot be deleted; archive the "
                "client instead", name=client.name
            )
        session.delete(client)


#: A private note as typed (required: an empty note is deleted, not stored), for the books
#: and the note dialog alike.
NOTE_FIELD = Field(N_("private note"), lambda raw, label: parse.parse_text(raw, label),
                   blank=None)


def _note_info(note: HealthNote, session_date: dt.date | None = None,
               treatment: str | None = None) -> NoteInfo:
    return NoteInfo(id=note.id, client_id=note.client_id, written_at=note.created_at,
                    text=note.text, session_id=note.session_id, session_date=session_date,
                    treatment_name=treatment or "")


def client_notes(books: Books, client_id: int) -> list[NoteInfo]:
    """The client's private notes, newest first, each with the session it was typed with
    (if any): for the client's own page only, never a list, document or export."""
    query = _notes_query(client_id).order_by(HealthNote.created_at.desc(),
                                             HealthNote.id.desc())
    with books.db.read() as session:
        load_client(session, client_id)
        return [_note_info(note, when, name) for note, when, name in session.execute(query)]


def _notes_query(client_id: int) -> Select[HealthNote, dt.date, str]:
    return (
        select(HealthNote, TreatmentSession.date, Treatment.name)
        .outerjoin(TreatmentSession, TreatmentSession.id == HealthNote.session_id)
        .outerjoin(Treatment, Treatment.id == TreatmentSession.treatment_id)
        .where(HealthNote.client_id == client_id)
    )


def _load_note(session: Session, client_id: int, note_id: int) -> HealthNote:
    note = session.get(HealthNote, note_id)
    if note is None:
        raise NotFound("note: there is no private note with id {note_id}", note_id=note_id)
    if note.client_id != client_id:
        raise RuleViolation("note: private note {note_id} belongs to another client",
                            note_id=note_id)
    return note


def add_note(books: Books, client_id: int, text: str) -> NoteInfo:
    """A private note typed for the client (not with a session). The audit log records
    that a note was written, never its text."""
    text = NOTE_FIELD.read(text)
    with books.db.write() as session:
        load_client(session, client_id)
        note = HealthNote(client_id=client_id, text=text, created_at=books.clock.now(),
                          author_id=note_author(session).id)
        session.add(note)
        session.flush()
        return _note_info(note)


def change_note(books: Books, client_id: int, note_id: int, text: str) -> NoteInfo:
    """New text for one of the client's private notes (also a note typed with a session);
    it keeps its date and session."""
    text = NOTE_FIELD.read(text)
    with books.db.write() as session:
        load_client(session, client_id)
        note = _load_note(session, client_id, note_id)
        note.text = text
        session.flush()
        _, when, name = session.execute(
            _notes_query(client_id).where(HealthNote.id == note_id)).one()
        return _note_info(note, when, name)


def delete_note(books: Books, client_id: int, note_id: int) -> None:
    """Delete one of the client's private notes (the session it was typed with stays)."""
    with books.db.write() as session:
        load_client(session, client_id)
        session.delete(_load_note(session, client_id, note_id))
