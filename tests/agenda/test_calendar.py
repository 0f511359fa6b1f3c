"""The agenda's iCalendar file, read back with the icalendar package: a stable UID per
session, SEQUENCE raised on a change only, TZID Europe/Amsterdam right on both sides of the
summer-time changes, cancelled ones marked, and no notes or prices (issue 16)."""

from __future__ import annotations

import stat
from datetime import UTC, date, datetime, time

import icalendar

from ledger.agenda.calendar import calendar_path, write_calendar
from ledger.agenda.planning import cancel_session, move_session, plan_session
from ledger.agenda.settings import update_agenda_settings
from tests.factories import make_client


def _events(path):  # type: ignore[no-untyped-def]
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}, cal


def test_the_file_follows_the_agenda(runner_practice):
    books, treatment = runner_practice["books"], runner_practice["treatment"]
    books.clock.set(datetime(2027, 3, 1, 9, 0))
    client = make_client(books, "Anna Maria de Vries")
    # the last Sunday of March and of October 2027: 28 March and 31 October
    before = plan_session(books, client.id, treatment.id, date(2027, 3, 27), time(10, 0),
                          package="none")
    after = plan_session(books, client.id, treatment.id, date(2027, 3, 29), time(10, 0),
                         package="none")
    autumn = plan_session(books, client.id, treatment.id, date(2027, 11, 1), time(10, 0),
                          package="none", price=7000)
    path = calendar_path(books)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    events, cal = _events(path)
    [zone] = cal.walk("VTIMEZONE")
    assert zone["tzid"] == "Europe/Amsterdam"
    uid = f"session-{before.session.id}@solebook"
    assert set(events) == {uid, f"session-{after.session.id}@solebook",
                           f"session-{autumn.session.id}@solebook"}
    utc = {u: e.decoded("dtstart").astimezone(UTC) for u, e in events.items()}
    assert utc[uid] == datetime(2027, 3, 27, 9, 0, tzinfo=UTC)  # winter time
    assert utc[f"session-{after.session.id}@solebook"] == datetime(
        2027, 3, 29, 8, 0, tzinfo=UTC)  # summer time
    assert utc[f"session-{autumn.session.id}@solebook"] == datetime(
        2027, 11, 1, 9, 0, tzinfo=UTC)  # winter again
    assert all(e["dtstart"].params["TZID"] == "Europe/Amsterdam" for e in events.values())
    assert str(events[uid]["summary"]) == "Voetreflexmassage – A.M.V."
    text = path.read_text()
    assert "Anna" not in text and "70" not in text.replace("2027", "")  # no name, no price
    assert events[uid]["sequence"] == 0
    # writing again without a change gives the same bytes
    first = path.read_bytes()
    write_calendar(books)
    assert path.read_bytes() == first
    # moving raises SEQUENCE of that event only; cancelling marks it cancelled
    books.clock.set(datetime(2027, 3, 2, 9, 0))
    move_session(books, before.session.id, date(2027, 3, 26), time(11, 0))
    cancel_session(books, after.session.id)
    events, _ = _events(path)
    assert events[uid]["sequence"] == 1
    assert events[uid].decoded("dtstart") == datetime(2027, 3, 26, 11, 0).replace(
        tzinfo=events[uid].decoded("dtstart").tzinfo)
    assert str(events[f"session-{after.session.id}@solebook"]["status"]) == "CANCELLED"
    assert events[f"session-{autumn.session.id}@solebook"]["sequence"] == 0
    # the setting chooses what the event calls the client
    update_agenda_settings(books, {"agenda_show": "first_name"})
    write_calendar(books)
    events, _ = _events(path)
    assert str(events[uid]["summary"]) == "Voetreflexmassage – Anna"


def test_no_note_price_or_address_in_the_calendar(runner_practice):
    from ledger.billing.sessions import add_session, edit_session

    books, client, treatment = (runner_practice[k] for k in ("books", "client", "treatment"))
    untimed = add_session(books, client.id, treatment.id, notes="knie pijnlijk")
    timed = add_session(books, client.id, treatment.id, start_time=time(9, 0),
                        notes="zwanger, 12 weken")
    planned = plan_session(books, client.id, treatment.id, date(2026, 12, 1), time(10, 0))
    edit_session(books, planned.session.id, notes="hielspoor links", price=7300)
    path = write_calendar(books)
    events, _ = _events(path)
    assert set(events) == {f"session-{timed.session.id}@solebook",
                           f"session-{planned.session.id}@solebook"}  # not the untimed one
    assert f"session-{untimed.session.id}@" not in path.read_text()
    text = path.read_text()
    for private in ("knie", "zwanger", "hielspoor", "73", "65", "Lindenlaan", "3514",
                    "Anna", "Vries"):
        assert private not in text, private


def test_texts_are_escaped_and_long_lines_folded(runner_practice):
    from ledger.practice.catalogue import add_treatment

    books = runner_practice["books"]
    update_agenda_settings(books, {"agenda_show": "full_name"})
    client = make_client(books, "Jansen-Öztürk, Bérénice; \\ Zoë")
    long = add_treatment(books, {"name": "Voetreflextherapie bij zwangerschap, uitgebreid "
                                         "consult én nazorg", "price": "85", "vat_rate": "21"})
    planned = plan_session(books, client.id, long.id, date(2026, 12, 1), time(10, 0),
                           package="none")
    raw = calendar_path(books).read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    events, _ = _events(calendar_path(books))
    assert str(events[f"session-{planned.session.id}@solebook"]["summary"]) == (
        "Voetreflextherapie bij zwangerschap, uitgebreid consult én nazorg – "
        "Jansen-Öztürk, Bérénice; \\ Zoë")


def test_each_therapist_has_her_own_file(runner_practice):
    from ledger.agenda.planning import agenda
    from ledger.store.models import Therapist

    books, client, treatment = (runner_practice[k] for k in ("books", "client", "treatment"))
    with books.db.write() as session:
        session.add(Therapist(name="Sanne Bos"))
    mine = plan_session(books, client.id, treatment.id, date(2026, 12, 1), time(10, 0),
                        package="none")
    # the same hour is free for a colleague
    hers = plan_session(books, client.id, treatment.id, date(2026, 12, 1), time(10, 0),
                        package="none", therapist_id=2)
    first, _ = _events(calendar_path(books))
    second, _ = _events(calendar_path(books, 2))
    assert calendar_path(books, 2).name == "solebook-2.ics"
    assert set(first) == {f"session-{mine.session.id}@solebook"}
    assert set(second) == {f"session-{hers.session.id}@solebook"}
    assert [s.id for s in agenda(books, date(2026, 12, 1), date(2026, 12, 1),
                                 therapist_id=2)] == [hers.session.id]


def test_a_calendar_file_that_cannot_be_written_leaves_the_booking_saved(runner_practice,
                                                                          tmp_path):
    from ledger.agenda.planning import agenda

    books, client, treatment = (runner_practice[k] for k in ("books", "client", "treatment"))
    (tmp_path / "a-file").write_text("")
    update_agenda_settings(books, {"agenda_folder": str(tmp_path / "a-file" / "agenda")})
    planned = plan_session(books, client.id, treatment.id, date(2026, 12, 1), time(10, 0))
    assert planned.calendar_error is not None
    assert planned.calendar_error.message.startswith("agenda folder: cannot make ")
    assert [s.id for s in agenda(books, date(2026, 12, 1), date(2026, 12, 1))] == [
        planned.session.id]
    update_agenda_settings(books, {"agenda_folder": str(tmp_path / "agenda")})
    moved = move_session(books, planned.session.id, date(2026, 12, 2), time(10, 0))
    assert moved.calendar_error is None and (tmp_path / "agenda" / "solebook.ics").exists()


def test_the_file_follows_a_session_changed_or_deleted(runner_practice):
    """Changing or deleting a session (the session form, ``session edit``/``delete``)
    goes through ledger.agenda.calendar, so the file follows there too."""
    from ledger.agenda.calendar import change_session, record_session, remove_session

    books, treatment = runner_practice["books"], runner_practice["treatment"]
    books.clock.set(datetime(2027, 3, 1, 9, 0))
    client = make_client(books, "Anna de Vries")
    planned = plan_session(books, client.id, treatment.id, date(2027, 3, 3), time(10, 0),
                           package="none")
    uid = f"session-{planned.session.id}@solebook"
    changed = change_session(books, planned.session.id, start_time=time(14, 0))
    assert changed.calendar_error is None
    events, _ = _events(calendar_path(books))
    assert events[uid].decoded("dtstart").time() == time(14, 0)
    given = record_session(books, client.id, treatment.id, date(2027, 3, 1), package="none",
                           start_time=time(8, 0))
    assert f"session-{given.session.id}@solebook" in _events(calendar_path(books))[0]
    assert remove_session(books, planned.session.id) is None
    assert uid not in _events(calendar_path(books))[0]
