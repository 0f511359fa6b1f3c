"""Publishing the agenda to a CalDAV calendar (Nextcloud, iCloud, Fastmail, Radicale...).

The calendar's address is the setting ``caldav_url`` (the calendar itself, e.g.
``https://cloud.example.nl/remote.php/dav/calendars/marieke/praktijk/``), the user
``caldav_user``; the password is never stored by solebook: it comes from
``$SOLEBOOK_CALDAV_PASSWORD`` or the system keyring (service ``solebook-caldav``, the user
name as key). Each appointment is the resource ``<UID>.ics`` in that calendar, with the
same UID, SEQUENCE and contents as in the calendar file. ``agenda_event`` remembers what was
last published of each event: publishing puts only the events that changed since, removes
the cancelled and deleted ones, and publishing again changes nothing. The server is talked
to outside any database transaction.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from ledger.agenda.calendar import (
    PAST_DAYS,
    StoredEvent,
    calendar_bytes,
    sync_events,
    uid_for,
    vevent,
)
from ledger.agenda.settings import settings_in
from ledger.base.errors import SolebookError
from ledger.base.secrets import is_loopback, keyring_password
from ledger.billing.sessions import pick_therapist
from ledger.books import Books
from ledger.store.models import TreatmentSession
from ledger.store.models.agenda import AgendaEvent

PASSWORD_ENV = "SOLEBOOK_CALDAV_PASSWORD"
KEYRING_SERVICE = "solebook-caldav"
REMOVED = "removed"  # published_etag of an event taken off the calendar


class PublishError(SolebookError):
    """Publishing stopped; ``message`` says why in one line. What was published before the
    problem is remembered."""


@dataclass
class Published:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    unchanged: int = 0


def caldav_password(user: str) -> str | None:
    """``$SOLEBOOK_CALDAV_PASSWORD``, else the system keyring, else None."""
    return os.environ.get(PASSWORD_ENV) or keyring_password(KEYRING_SERVICE, user)


@dataclass(frozen=True)
class _Work:
    put: list[StoredEvent]
    remove: list[int]  # session ids whose events go
    unchanged: int


def _plan(books: Books) -> tuple[_Work, str, str, str]:
    since = books.clock.today() - timedelta(days=PAST_DAYS)
    with books.db.write() as session:
        settings = settings_in(session, books.db.data_dir)
        therapist = pick_therapist(session, None)  # the practice's calendar is the first's
        events = sync_events(session, books, since, therapist_id=therapist.id)
        put, remove, unchanged = [], [], 0
        for event in events:
            fingerprint = event.data.fingerprint()
            if event.data.cancelled:
                if event.published_fingerprint and event.published_etag != REMOVED:
                    remove.append(event.data.session_id)
                else:
                    unchanged += 1
            elif event.published_fingerprint == fingerprint and event.published_etag != REMOVED:
                unchanged += 1
            else:
                put.append(event)
        # sessions deleted since they were published
        existing = select(TreatmentSession.id)
        for session_id, etag in session.execute(
                select(AgendaEvent.session_id, AgendaEvent.published_etag).where(
                    AgendaEvent.session_id.not_in(existing))):
            if etag and etag != REMOVED:
                remove.append(session_id)
            else:
                session.delete(session.get(AgendaEvent, session_id))
    return _Work(put, remove, unchanged), settings.caldav_url, settings.caldav_user, (
        caldav_password(settings.caldav_user) or "" if settings.caldav_user else "")


def _calendar(url: str, user: str, password: str) -> Any:
    from caldav.collection import Calendar
    from caldav.davclient import DAVClient

    client = DAVClient(url=url, username=user or None, password=password or None,
                              auth_type="basic" if user else None, timeout=20,
                              require_tls=False)
    return client, Calendar(client=client, url=url)


def _resource_url(calendar: Any, session_id: int) -> Any:
    return calendar.url.join(f"{uid_for(session_id)}.ics")


def _record(books: Books, session_id: int, fingerprint: str, etag: str) -> None:
    with books.db.write() as session:
        state = session.get(AgendaEvent, session_id)
        if state is None:
            return
        if etag == REMOVED and session.get(TreatmentSession, session_id) is None:
            session.delete(state)
            return
        state.published_fingerprint, state.published_etag = fingerprint, etag


def publish(books: Books) -> Published:
    """Bring the CalDAV calendar in step with the agenda (see the module's text)."""
    work, url, user, password = _plan(books)
    if not url:
        raise PublishError("caldav: no calendar set; use `solebook agenda settings "
                           "--caldav-url URL --caldav-user USER`")
    address = urlsplit(url)
    if user and address.scheme != "https" and not is_loopback(address.hostname or ""):
        raise PublishError("caldav: refusing to send the password unencrypted to {host}; "
                           "use the calendar's https:// address", host=address.hostname or url)
    if user and not password:
        raise PublishError("caldav: no password for {user}: set {variable} or store it in "
                           "the system keyring (`keyring set {service} {user}`)",
                           user=user, variable=PASSWORD_ENV, service=KEYRING_SERVICE)
    from caldav.calendarobjectresource import Event
    from caldav.lib import error as dav_error

    result = Published(unchanged=work.unchanged)
    client, calendar = _calendar(url, user, password)
    try:
        for event in work.put:
            data = calendar_bytes([vevent(event)]).decode()
            resource = Event(client=client, data=data, parent=calendar,
                                    url=_resource_url(calendar, event.data.session_id))
            resource.save(increase_seqno=False)
            etag = str(resource.props.get("{DAV:}getetag", "") or "put")
            (result.updated if event.published_fingerprint else result.created).append(
                event.data.session_id)
            _record(books, event.data.session_id, event.data.fingerprint(), etag)
        for session_id in work.remove:
            resource = Event(client=client, url=_resource_url(calendar, session_id),
                                    parent=calendar)
            with contextlib.suppress(dav_error.NotFoundError):  # gone already
                resource.delete()
            result.removed.append(session_id)
            with books.db.read() as session:
                state = session.get(AgendaEvent, session_id)
                fingerprint = state.fingerprint if state else ""
            _record(books, session_id, fingerprint, REMOVED)
    except dav_error.AuthorizationError:
        raise PublishError("caldav: {url} refused the login of {user} (wrong user name or "
                           "password)", url=url, user=user) from None
    except dav_error.DAVError as exc:
        raise PublishError("caldav: {url} could not be used: {reason}", url=url,
                           reason=" ".join(str(exc).split())[:200]) from None
    except OSError as exc:
        raise PublishError("caldav: cannot reach {url}: {reason}", url=url,
                           reason=" ".join(str(exc).split())[:200]) from None
    return result
