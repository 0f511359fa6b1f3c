"""The agenda as iCalendar: the file she syncs to her phone, and one event for a mail.

Each therapist has her own file in the agenda folder (``solebook.ics`` for the first,
``solebook-ID.ics`` for a colleague), written again after every change of her agenda.
The text is written here directly (a year of appointments in a fraction of a second; the
tests read it back with the ``icalendar`` package, and ``caldav`` uses it too).
Each session with a start time is one VEVENT with a stable UID (``session-ID@solebook``).
What an event shows is the treatment's name and the client as the setting
``agenda_show`` says (initials by default); never a note, a price or anything from the
client's file. ``agenda_event`` remembers a fingerprint of what each event showed: when it
changes, SEQUENCE goes up and DTSTAMP becomes the moment of the change, so writing or
publishing again without a change gives the same bytes. A cancelled appointment stays in
the file as STATUS:CANCELLED (a subscribed calendar then drops it). Times carry
TZID=Europe/Amsterdam with a VTIMEZONE that holds the EU summer-time rule, so they are
right on either side of the last Sundays of March and October.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.agenda.settings import AgendaSettings, settings_in
from ledger.agenda.times import AMSTERDAM, starts_at
from ledger.base.codes import CalendarName, SessionStatus
from ledger.base.errors import StorageError
from ledger.billing.sessions import Recorded, pick_therapist
from ledger.books import Books
from ledger.store.files import write_atomic
from ledger.store.models import Client, Practice, Treatment, TreatmentSession
from ledger.store.models.agenda import AgendaEvent

FILE_NAME = "solebook.ics"
PAST_DAYS = 31  # the file holds the last month and everything ahead
PRODID = "-//solebook//agenda//NL"
CANCELLED = (SessionStatus.CANCELLED, SessionStatus.LATE_CANCEL)
VTIMEZONE = (
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
    "DTSTART:19810329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"
    "DTSTART:19961027T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
    "END:VTIMEZONE\r\n")


def uid_for(session_id: int) -> str:
    return f"session-{session_id}@solebook"


def client_label(name: str, show: str) -> str:
    """The client as an event shows them: ``J.d.V.``-style initials, first name, or name."""
    words = name.split()
    if show == CalendarName.FULL_NAME or not words:
        return name
    if show == CalendarName.FIRST_NAME:
        return words[0]
    return "".join(w[0].upper() + "." for w in words if w[0].isalpha() and w[0].isupper()) or (
        words[0][0].upper() + ".")


@dataclass(frozen=True)
class EventData:
    """What one event shows (and nothing else)."""

    session_id: int
    start: datetime  # aware, Amsterdam
    minutes: int
    summary: str
    cancelled: bool

    def fingerprint(self) -> str:
        text = "|".join((self.start.isoformat(), str(self.minutes), self.summary,
                         str(self.cancelled)))
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class StoredEvent:
    data: EventData
    sequence: int
    stamp: datetime  # UTC
    published_fingerprint: str
    published_etag: str

    @property
    def published(self) -> bool:
        return self.published_fingerprint == self.data.fingerprint()


def _event_data(row: TreatmentSession, client: str, treatment: str,
                settings: AgendaSettings) -> EventData:
    assert row.start_time is not None
    return EventData(row.id, starts_at(row.date, row.start_time), row.duration_min,
                     f"{treatment} – {client_label(client, settings.show)}",
                     row.status in CANCELLED)


def _add_missing(session: Session, new: list[tuple[TreatmentSession, EventData]],
                 stamp: datetime) -> None:
    """The state rows of events seen for the first time (SEQUENCE 0). Two processes may see
    the same new event at once: the second insert gives way (``ON CONFLICT DO NOTHING``)."""
    if not new:
        return
    conn = session.connection()
    from sqlalchemy.dialects import postgresql, sqlite

    insert: Any = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    table = AgendaEvent.__table__
    for start in range(0, len(new), 500):
        conn.execute(insert(table).on_conflict_do_nothing(index_elements=["session_id"]), [
            {"session_id": row.id, "sequence": 0, "fingerprint": data.fingerprint(),
             "changed_at": stamp, "published_fingerprint": "", "published_etag": ""}
            for row, data in new[start:start + 500]])


def sync_events(session: Session, books: Books, since: date | None = None,
                session_ids: list[int] | None = None, therapist_id: int | None = None
                ) -> list[StoredEvent]:
    """The calendar's events from ``since`` on (of one therapist, or these sessions), with
    their state brought up to date: a changed event gets the next SEQUENCE and a new
    DTSTAMP."""
    settings = settings_in(session, books.db.data_dir)
    query = (
        select(TreatmentSession, Client.name, Treatment.name, AgendaEvent)
        .join(Client, Client.id == TreatmentSession.client_id)
        .join(Treatment, Treatment.id == TreatmentSession.treatment_id)
        .outerjoin(AgendaEvent, AgendaEvent.session_id == TreatmentSession.id)
        .where(TreatmentSession.start_time.is_not(None))
        .order_by(TreatmentSession.date, TreatmentSession.start_time, TreatmentSession.id))
    if session_ids is not None:
        query = query.where(TreatmentSession.id.in_(session_ids))
    else:
        query = query.where(TreatmentSession.date >= (since or books.clock.today()))
    if therapist_id is not None:
        query = query.where(TreatmentSession.therapist_id == therapist_id)
    now = books.clock.now()
    stamp_now = (now if now.tzinfo else now.replace(tzinfo=AMSTERDAM)).astimezone(UTC).replace(
        tzinfo=None, microsecond=0)
    rows = session.execute(query).all()
    _add_missing(session, [(row, _event_data(row, client, treatment, settings))
                           for row, client, treatment, state in rows if state is None],
                 stamp_now)
    states = {state.session_id: state for state in session.scalars(
        select(AgendaEvent).where(AgendaEvent.session_id.in_([r[0].id for r in rows])))
    } if any(state is None for *_, state in rows) else {r[0].id: r[3] for r in rows}
    out = []
    for row, client, treatment, _state in rows:
        data = _event_data(row, client, treatment, settings)
        fingerprint = data.fingerprint()
        state = states[row.id]
        if state.fingerprint != fingerprint:
            state.sequence += 1
            state.fingerprint, state.changed_at = fingerprint, stamp_now
        out.append(StoredEvent(data, state.sequence, (state.changed_at or stamp_now).replace(
            tzinfo=UTC), state.published_fingerprint, state.published_etag))
    session.flush()
    return out


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 (3.3.11) asks."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a character."""
    data = line.encode()
    if len(data) <= 75:
        return line + "\r\n"
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a continuation byte
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74  # a continuation line starts with a space
    return "\r\n ".join(parts) + "\r\n"


def _local(moment: datetime) -> str:
    return f"TZID=Europe/Amsterdam:{moment.astimezone(AMSTERDAM):%Y%m%dT%H%M%S}"


def vevent(event: StoredEvent, *, summary: str | None = None, location: str = ""
           ) -> str:
    """One VEVENT as iCalendar text (written directly: a year of them in a fraction of a
    second; tests read them back with the ``icalendar`` package)."""
    data = event.data
    stamp = f"{event.stamp:%Y%m%dT%H%M%SZ}"
    lines = ["BEGIN:VEVENT", f"UID:{uid_for(data.session_id)}", f"DTSTAMP:{stamp}",
             f"LAST-MODIFIED:{stamp}", f"SEQUENCE:{event.sequence}",
             f"DTSTART;{_local(data.start)}",
             f"DTEND;{_local(data.start + timedelta(minutes=data.minutes))}",
             f"SUMMARY:{_text(summary if summary is not None else data.summary)}"]
    if location:
        lines.append(f"LOCATION:{_text(location)}")
    lines += [f"STATUS:{'CANCELLED' if data.cancelled else 'CONFIRMED'}",
              f"TRANSP:{'TRANSPARENT' if data.cancelled else 'OPAQUE'}", "END:VEVENT"]
    return "".join(_fold(line) for line in lines)


def calendar_bytes(events: list[str], *, name: str = "", method: str = "") -> bytes:
    """A VCALENDAR of the given VEVENTs with the Amsterdam VTIMEZONE."""
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    if method:
        head.append(f"METHOD:{method}")
    if name:
        head += [f"X-WR-CALNAME:{_text(name)}", "X-WR-TIMEZONE:Europe/Amsterdam"]
    text = "".join(_fold(line) for line in head) + VTIMEZONE + "".join(events)
    return (text + "END:VCALENDAR\r\n").encode()


def calendar_file(books: Books, since: date | None = None, therapist_id: int | None = None
                  ) -> bytes:
    """One therapist's agenda (default: the first) from ``since`` (default: a month ago) as
    iCalendar bytes; brings the events' SEQUENCE up to date first (one transaction)."""
    since = since or books.clock.today() - timedelta(days=PAST_DAYS)
    with books.db.write() as session:
        therapist = pick_therapist(session, therapist_id)
        events = sync_events(session, books, since, therapist_id=therapist.id)
        practice = session.get(Practice, 1)
        name = practice.name if practice and practice.name else "solebook"
    return calendar_bytes([vevent(e) for e in events], name=name)


def calendar_path(books: Books, therapist_id: int | None = None) -> Path:
    """``solebook.ics`` in the agenda folder for the (first) therapist, and
    ``solebook-ID.ics`` for each other therapist of a group practice."""
    with books.db.read() as session:
        first = pick_therapist(session, None).id
        therapist = pick_therapist(session, therapist_id).id
        folder = settings_in(session, books.db.data_dir).folder
    return folder / (FILE_NAME if therapist == first else f"solebook-{therapist}.ics")


def write_calendar(books: Books, path: Path | None = None, therapist_id: int | None = None
                   ) -> Path:
    """Write a therapist's (default: the first's) agenda as an iCalendar file, atomically
    (default: in ``agenda_folder``, made with mode 0700; the file 0600)."""
    target = path or calendar_path(books, therapist_id)
    data = calendar_file(books, therapist_id=therapist_id)
    if path is None:
        try:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError("agenda folder: cannot make {path}: {reason}",
                               path=str(target.parent), reason=exc.strerror or exc) from exc
    return write_atomic(target, data, field="agenda folder" if path is None else "file")


def agenda_changed(books: Books, therapist_id: int | None = None) -> StorageError | None:
    """After an appointment of the therapist changed: write her calendar file again. The
    change itself is saved already, so a file that cannot be written is not raised but
    returned (the front ends show it as a warning); None when written."""
    try:
        try:
            write_calendar(books, therapist_id=therapist_id)
        except StorageError:  # another process wrote the same events' state at that moment
            write_calendar(books, therapist_id=therapist_id)
    except StorageError as exc:
        return exc
    return None


def record_session(books: Books, client_id: int, treatment_id: int, on: date,
                   **fields: Any) -> Recorded:
    """:func:`ledger.billing.sessions.add_session`; a session with a start time is in the
    agenda, so its therapist's calendar file follows (a file that cannot be written is the
    result's ``calendar_error``: the session stands)."""
    from ledger.billing.sessions import add_session

    recorded = add_session(books, client_id, treatment_id, on, **fields)
    if recorded.session.start_time is None:
        return recorded
    return _followed(books, recorded, recorded.session.therapist_id)


def change_session(books: Books, session_id: int, **changes: Any) -> Recorded:
    """:func:`ledger.billing.sessions.edit_session`; the calendar file of the session's
    therapist follows, and of the one it had when the session changed hands."""
    from ledger.billing.sessions import edit_session, get_session

    before = get_session(books, session_id).therapist_id
    return _followed(books, edit_session(books, session_id, **changes), before)


def remove_session(books: Books, session_id: int) -> StorageError | None:
    """:func:`ledger.billing.sessions.delete_session`; its therapist's calendar file
    follows (returned: the problem of writing it, when there is one)."""
    from ledger.billing.sessions import delete_session, get_session

    therapist_id = get_session(books, session_id).therapist_id
    delete_session(books, session_id)
    return agenda_changed(books, therapist_id)


def _followed(books: Books, recorded: Recorded, before: int) -> Recorded:
    problem = agenda_changed(books, recorded.session.therapist_id)
    if before != recorded.session.therapist_id:
        problem = agenda_changed(books, before) or problem
    return replace(recorded, calendar_error=problem) if problem is not None else recorded
