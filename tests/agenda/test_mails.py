"""Appointment mails through a real SMTP server (tests/smtp_server.py): a confirmation when
booked or moved, reminders sent once each, both with an .ics the icalendar package reads,
the cancellation policy in the text, in the client's language, and in the mail log."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import icalendar
import pytest

from ledger.agenda.planning import cancel_session, move_session, plan_session
from ledger.agenda.reminders import confirm_if_wanted, due_reminders, send_reminders
from ledger.agenda.settings import update_agenda_settings
from ledger.mail.smtp import PASSWORD_ENV, mail_log, update_mail_settings
from ledger.practice.profile import update_practice
from ledger.privacy.audit_log import count_entries
from tests.factories import make_client
from tests.smtp_server import PASSWORD, QUIET, USER, Inbox, smtp_server

__all__ = ["smtp_server"]  # fixture
pytestmark = QUIET


@pytest.fixture
def mailing(runner_practice: dict[str, Any], smtp_server: Inbox,
            monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    books = runner_practice["books"]
    update_practice(books, {"email": "praktijk@zool.nl", "phone": "030 123 4567"})
    update_mail_settings(books, {"smtp_host": smtp_server.host,
                                 "smtp_port": str(smtp_server.port), "smtp_security": "none",
                                 "smtp_user": USER, "email_from": "agenda@zool.nl"})
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    anna = make_client(books, "Anna de Vries", email="anna@example.nl")
    john = make_client(books, "John Smith", email="john@example.com", language="en")
    return {**runner_practice, "anna": anna, "john": john, "inbox": smtp_server}


def _ics(message: Any) -> icalendar.Event:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    [event] = cal.walk("VEVENT")
    return event


def test_a_confirmation_when_booked_and_moved(mailing):
    books, inbox, anna = mailing["books"], mailing["inbox"], mailing["anna"]
    planned = plan_session(books, anna.id, mailing["treatment"].id, date(2026, 12, 3),
                           time(14, 0))
    assert confirm_if_wanted(books, planned.session.id) is None  # off by default
    update_agenda_settings(books, {"agenda_confirm": "ja"})
    record = confirm_if_wanted(books, planned.session.id)
    assert record is not None and record.kind == "confirmation"
    [received] = inbox.received
    message = received.message
    assert " ".join(message["Subject"].split()) == (
        "Afspraak 3 december 2026 om 14:00 bij Voetreflex Praktijk Zool")
    body = message.get_body(("plain",)).get_content()
    assert "Voetreflexmassage op 3 december 2026 om 14:00 (60 minuten)" in body
    assert "Afzeggen kan tot 24 uur voor de afspraak" in body and "€ 32,50" in body
    event = _ics(message)
    uid = f"session-{planned.session.id}@solebook"
    assert str(event["uid"]) == uid and event["sequence"] == 0
    assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
    move_session(books, planned.session.id, date(2026, 12, 4), time(9, 0))
    confirm_if_wanted(books, planned.session.id)
    moved = _ics(inbox.received[-1].message)
    assert str(moved["uid"]) == uid and moved["sequence"] == 1
    assert moved.decoded("dtstart").replace(tzinfo=None) == datetime(2026, 12, 4, 9, 0)
    log = mail_log(books, client_id=anna.id)
    assert [r.kind for r in log] == ["confirmation", "confirmation"]


def test_reminders_go_once_each_in_the_clients_language(mailing):
    books, inbox, treatment = mailing["books"], mailing["inbox"], mailing["treatment"].id
    nobody = make_client(books, "Kees Zonder Mail")
    # now: Tuesday 24 November 10:00; reminders 24 hours ahead
    tomorrow = plan_session(books, mailing["john"].id, treatment, date(2026, 11, 25), time(9, 0))
    plan_session(books, nobody.id, treatment, date(2026, 11, 25), time(11, 0))
    later = plan_session(books, mailing["anna"].id, treatment, date(2026, 11, 26), time(9, 0))
    gone = plan_session(books, mailing["anna"].id, treatment, date(2026, 11, 25), time(13, 0))
    cancel_session(books, gone.session.id)
    assert [s.id for s in due_reminders(books)] == [tomorrow.session.id]
    # the calendar shows clients otherwise now: the events differ from what was stored
    update_agenda_settings(books, {"agenda_show": "full_name"})
    audited = count_entries(books)
    dry = send_reminders(books, dry_run=True)
    assert [(r.session.id, r.sent, r.to) for r in dry] == [
        (tomorrow.session.id, False, "john@example.com")]
    assert inbox.received == [] and count_entries(books) == audited  # nothing changed
    [sent] = send_reminders(books)
    assert sent.sent and sent.to == "john@example.com"
    message = inbox.received[0].message
    assert " ".join(message["Subject"].split()) == (
        "Reminder: appointment 25 November 2026 at 09:00 with Voetreflex Praktijk Zool")
    body = message.get_body(("plain",)).get_content()
    assert "Please cancel at least 24 hours before" in body
    assert str(_ics(message)["uid"]) == f"session-{tomorrow.session.id}@solebook"
    assert send_reminders(books) == []  # exactly once
    books.clock.set(datetime(2026, 11, 25, 10, 0))
    assert [r.session.id for r in send_reminders(books)] == [later.session.id]
    # moved to another time: reminded again for the new start
    books.clock.set(datetime(2026, 11, 25, 10, 30))
    move_session(books, later.session.id, date(2026, 11, 26), time(10, 0))
    assert [r.session.id for r in send_reminders(books)] == [later.session.id]
    assert [r.kind for r in mail_log(books)].count("appointment_reminder") == 3


def test_a_failed_reminder_is_tried_again(mailing, monkeypatch):
    books, inbox = mailing["books"], mailing["inbox"]
    planned = plan_session(books, mailing["anna"].id, mailing["treatment"].id,
                           date(2026, 11, 25), time(9, 0))
    monkeypatch.setenv(PASSWORD_ENV, "verkeerd")
    [failed] = send_reminders(books)
    assert not failed.sent and "refused the login" in failed.error
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    [sent] = send_reminders(books)
    assert sent.sent and sent.session.id == planned.session.id
    assert len(inbox.received) == 1
    assert [r.status for r in mail_log(books)] == ["sent", "failed"]


def test_a_session_that_takes_a_deleted_ones_id_is_reminded(mailing):
    """SQLite gives a new session the id of the highest one deleted: it does not inherit
    that appointment's reminder."""
    from ledger.billing.sessions import delete_session

    books, treatment = mailing["books"], mailing["treatment"].id
    first = plan_session(books, mailing["john"].id, treatment, date(2026, 11, 25), time(9, 0))
    [sent] = send_reminders(books)
    assert sent.session.id == first.session.id
    delete_session(books, first.session.id)
    again = plan_session(books, mailing["anna"].id, treatment, date(2026, 11, 25), time(9, 0))
    assert again.session.id == first.session.id  # the id came back
    assert [s.id for s in due_reminders(books)] == [again.session.id]
