"""Appointment mails: a confirmation when booked or moved, a reminder some hours before.

Both carry the appointment as an .ics attachment (the same UID and SEQUENCE as the
calendar file, so the client's calendar updates the one event) and the cancellation
policy. :func:`send_reminders` sends each due reminder once: the start it was sent for is
claimed in ``agenda_event.reminded_start`` before sending (so two runs at once cannot both
send it) and released again when sending fails (the next run tries again). Every attempt
is in the mail log, with the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ledger.agenda.calendar import calendar_bytes, sync_events, vevent
from ledger.agenda.settings import AgendaSettings, settings_in
from ledger.agenda.times import aware_now, starts_at
from ledger.base.codes import MailKind, SessionStatus
from ledger.base.errors import RuleViolation
from ledger.base.money import format_money
from ledger.base.views import PracticeInfo, SessionInfo
from ledger.billing.sessions import session_info, sessions_where
from ledger.books import Books
from ledger.mail.smtp import Attachment, MailRecord, send
from ledger.mail.templates import appointment_values, cancellation_policy, fill
from ledger.practice.profile import practice_info
from ledger.store.models import Client, TreatmentSession
from ledger.store.models.agenda import AgendaEvent


@dataclass(frozen=True)
class AppointmentMail:
    session_id: int
    to: str
    subject: str
    body: str
    attachment: Attachment
    language: str


@dataclass(frozen=True)
class _Parts:
    """What an appointment mail is made of, read in one transaction."""

    info: SessionInfo
    client: Client
    settings: AgendaSettings
    practice: PracticeInfo

    @property
    def language(self) -> str:
        return self.client.language or "nl"


def _parts(session: Session, books: Books, session_id: int) -> _Parts:
    info = session_info(session, session_id)
    if info.status != SessionStatus.PLANNED or info.start_time is None:
        raise RuleViolation("session: {id} is not planned (it is {status})",
                            id=session_id, status=info.status)
    client = session.get(Client, info.client_id)
    assert client is not None
    if not client.email:
        raise RuleViolation("e-mail: {name} has no e-mail address", name=client.name)
    return _Parts(info, client, settings_in(session, books.db.data_dir), practice_info(session))


def _text(books: Books, parts: _Parts, kind: str) -> tuple[str, str]:
    """The subject and body, from the practice's template in the client's language."""
    info, client, language = parts.info, parts.client, parts.language
    assert info.start_time is not None  # planned (_parts)
    fee = format_money(parts.settings.late_fee.fee_for(info.price), language)
    policy = cancellation_policy(parts.settings.late_hours, fee, language)
    values = appointment_values(
        {"name": client.name, "salutation": client.salutation,
         "formal_name": client.formal_name},
        {"name": parts.practice.name, "email": parts.practice.email,
         "phone": parts.practice.phone},
        treatment=info.treatment_name, on=info.date, at=info.start_time,
        duration=info.duration_min, policy=policy, language=language)
    template = ("appointment_confirmation" if kind == MailKind.CONFIRMATION
                else "appointment_reminder")
    return fill(books, template, language, values)


def appointment_mail(books: Books, session_id: int, kind: str) -> AppointmentMail:
    """The confirmation (``confirmation``) or reminder (``appointment_reminder``) of a
    planned session, composed but not sent (its calendar event brought up to date)."""
    with books.db.write() as session:
        parts = _parts(session, books, session_id)
        [event] = sync_events(session, books, session_ids=[session_id])
    subject, body = _text(books, parts, kind)
    practice, language = parts.practice, parts.language
    location = ", ".join(p for p in (practice.address, practice.city) if p)
    ics = calendar_bytes([vevent(event, summary=f"{parts.info.treatment_name} – "
                                                f"{practice.name}",
                                 location=location)], method="PUBLISH")
    return AppointmentMail(session_id, parts.client.email, subject, body,
                           Attachment("afspraak.ics" if language == "nl" else "appointment.ics",
                                      ics, subtype="calendar", maintype="text"), language)


def appointment_text(books: Books, session_id: int, kind: str) -> tuple[str, str, str]:
    """To whom, with what subject and body the mail would go, changing nothing (what
    ``agenda remind --dry-run`` shows): a template that cannot be filled is refused as
    when the mail is sent."""
    with books.db.read() as session:
        parts = _parts(session, books, session_id)
    return (parts.client.email, *_text(books, parts, kind))


def _send(books: Books, mail: AppointmentMail, kind: str, client_id: int) -> MailRecord:
    with books.db.read() as session:
        practice = practice_info(session)
    return send(books, kind=kind, to=mail.to, subject=mail.subject, body=mail.body,
                attachment=mail.attachment, client_id=client_id, session_id=mail.session_id,
                sender_name=practice.name, reply_to=practice.email)


def send_confirmation(books: Books, session_id: int) -> MailRecord:
    """E-mail the client the appointment as it is now (booked or moved)."""
    mail = appointment_mail(books, session_id, MailKind.CONFIRMATION)
    return _send(books, mail, MailKind.CONFIRMATION, get_client_id(books, session_id))


def confirm_if_wanted(books: Books, session_id: int) -> MailRecord | None:
    """After booking or moving: the confirmation when the practice sends them and the
    client has an e-mail address; None when not."""
    with books.db.read() as session:
        settings = settings_in(session, books.db.data_dir)
        info = session_info(session, session_id)
        client = session.get(Client, info.client_id)
    if not settings.confirm or client is None or not client.email:
        return None
    return send_confirmation(books, session_id)


def get_client_id(books: Books, session_id: int) -> int:
    with books.db.read() as session:
        return session_info(session, session_id).client_id


def due_reminders(books: Books) -> list[SessionInfo]:
    """Planned appointments starting within ``agenda_remind_hours`` from now whose client
    has an e-mail address and has not been reminded of this start yet."""
    now = aware_now(books.clock)
    with books.db.read() as session:
        settings = settings_in(session, books.db.data_dir)
        if settings.remind_hours == 0:
            return []
        until = now + timedelta(hours=settings.remind_hours)
        candidates = sessions_where(
            session, TreatmentSession.status == SessionStatus.PLANNED,
            TreatmentSession.start_time.is_not(None),
            TreatmentSession.date >= now.date(), TreatmentSession.date <= until.date())
        ids = [s.id for s in candidates]
        reminded = dict(session.execute(select(AgendaEvent.session_id, AgendaEvent.reminded_start)
                                        .where(AgendaEvent.session_id.in_(ids))).all())
        emails = dict(session.execute(select(Client.id, Client.email).where(
            Client.id.in_({s.client_id for s in candidates}))).all())
    due = []
    for s in candidates:
        start = starts_at(s.date, s.start_time or time(0))
        if now < start <= until and emails.get(s.client_id) and (
                reminded.get(s.id) != start.replace(tzinfo=None)):
            due.append(s)
    return due


@dataclass(frozen=True)
class ReminderResult:
    session: SessionInfo
    to: str
    sent: bool
    error: str = ""


def _claim(books: Books, s: SessionInfo, start: object, previous: object | None) -> bool:
    with books.db.write() as session:
        sync_events(session, books, session_ids=[s.id])  # makes sure the row exists
        claimed = session.execute(
            update(AgendaEvent).where(AgendaEvent.session_id == s.id,
                                      (AgendaEvent.reminded_start.is_(None)
                                       | (AgendaEvent.reminded_start != start)))
            .values(reminded_start=start))
        return bool(claimed.rowcount)  # type: ignore[attr-defined]


def _release(books: Books, session_id: int) -> None:
    with books.db.write() as session:
        session.execute(update(AgendaEvent).where(AgendaEvent.session_id == session_id)
                        .values(reminded_start=None))


def send_reminders(books: Books, *, dry_run: bool = False) -> list[ReminderResult]:
    """Send every due reminder once (``dry_run``: only say which would go, changing
    nothing: no calendar event is made or counted up for a mail that is not sent; a
    template that cannot be filled is refused as when sending)."""
    from ledger.mail.smtp import MailError

    due = due_reminders(books)
    if dry_run:
        return [ReminderResult(s, appointment_text(books, s.id,
                                                   MailKind.APPOINTMENT_REMINDER)[0],
                               sent=False) for s in due]
    results = []
    for s in due:
        mail = appointment_mail(books, s.id, MailKind.APPOINTMENT_REMINDER)
        start = starts_at(s.date, s.start_time or time(0)).replace(tzinfo=None)
        if not _claim(books, s, start, None):
            continue  # another run sent it just now
        try:
            _send(books, mail, MailKind.APPOINTMENT_REMINDER, s.client_id)
        except MailError as exc:
            _release(books, s.id)
            results.append(ReminderResult(s, mail.to, sent=False, error=exc.message))
            continue
        results.append(ReminderResult(s, mail.to, sent=True))
    return results
