"""Publishing to a real CalDAV server: Radicale, started by the test on a free loopback
port with its own storage folder and a password file. Create, move, cancel, delete;
publishing again changes nothing; one change touches one event (issue 16)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time as clock
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path
from typing import Any

import icalendar
import pytest

from ledger.agenda.planning import cancel_session, move_session, plan_session
from ledger.agenda.publish import PASSWORD_ENV, PublishError, publish
from ledger.agenda.settings import update_agenda_settings
from ledger.billing.sessions import delete_session
from tests.smtp_server import free_port

USER, PASSWORD = "zool", "geheim"


pytestmark = pytest.mark.slow  # Radicale takes some seconds to start


@pytest.fixture(scope="module")
def radicale_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp_path = tmp_path_factory.mktemp("radicale")
    users = tmp_path / "users"
    users.write_text(f"{USER}:{PASSWORD}\n")
    port = free_port()
    log = (tmp_path / "radicale.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}",
         "--storage-filesystem-folder", str(tmp_path / "collections"),
         "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(users),
         "--auth-htpasswd-encryption", "plain", "--logging-level", "info"],
        stdout=log, stderr=log)
    try:
        deadline = clock.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if clock.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("radicale did not start") from None
                clock.sleep(0.05)
        yield {"url": f"http://127.0.0.1:{port}/", "log": tmp_path / "radicale.log"}
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture
def radicale(radicale_server: dict[str, Any], request: pytest.FixtureRequest) -> dict[str, Any]:
    """A new, empty calendar on the server for each test."""
    import caldav

    client = caldav.DAVClient(url=radicale_server["url"], username=USER, password=PASSWORD,
                              auth_type="basic", require_tls=False)
    calendar = client.principal().make_calendar(name="Praktijk", cal_id=request.node.name)
    return {"url": str(calendar.url), "calendar": calendar, "log": radicale_server["log"]}


def _on_server(calendar: Any) -> dict[str, icalendar.Event]:
    out = {}
    for resource in calendar.events():
        [event] = icalendar.Calendar.from_ical(resource.data).walk("VEVENT")
        out[str(event["uid"])] = event
    return out


def _writes(log: Path) -> int:
    """The events the server changed (a PUT or DELETE that succeeded)."""
    return len(re.findall(r"(PUT|DELETE) response status for .*: 20[0-9]", log.read_text()))


def test_publishing_follows_the_agenda(runner_practice, radicale, monkeypatch):
    books, client, treatment = (runner_practice[k] for k in ("books", "client", "treatment"))
    update_agenda_settings(books, {"caldav_url": radicale["url"], "caldav_user": USER})
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with pytest.raises(PublishError, match="no password for zool"):
        publish(books)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    first = plan_session(books, client.id, treatment.id, date(2026, 12, 1), time(10, 0))
    second = plan_session(books, client.id, treatment.id, date(2026, 12, 8), time(10, 0))
    third = plan_session(books, client.id, treatment.id, date(2026, 12, 15), time(10, 0))
    done = publish(books)
    assert sorted(done.created) == sorted([first.session.id, second.session.id, third.session.id])
    events = _on_server(radicale["calendar"])
    uid = f"session-{first.session.id}@solebook"
    assert set(events) == {f"session-{s.session.id}@solebook" for s in (first, second, third)}
    assert str(events[uid]["summary"]) == "Voetreflexmassage – A.V."  # Anna de Vries
    assert events[uid]["dtstart"].params["TZID"] == "Europe/Amsterdam"
    # publishing again changes nothing on the server
    writes = _writes(radicale["log"])
    again = publish(books)
    assert (again.created, again.updated, again.removed, again.unchanged) == ([], [], [], 3)
    assert _writes(radicale["log"]) == writes
    # one move touches one event, with a higher SEQUENCE
    move_session(books, first.session.id, date(2026, 12, 2), time(11, 0))
    moved = publish(books)
    assert moved.updated == [first.session.id] and moved.created == []
    assert _writes(radicale["log"]) == writes + 1
    events = _on_server(radicale["calendar"])
    assert events[uid]["sequence"] == 1
    assert events[uid].decoded("dtstart").replace(tzinfo=None).isoformat() == "2026-12-02T11:00:00"
    # a cancelled appointment and a deleted one are removed
    cancel_session(books, second.session.id)
    delete_session(books, third.session.id)
    gone = publish(books)
    assert sorted(gone.removed) == sorted([second.session.id, third.session.id])
    assert set(_on_server(radicale["calendar"])) == {uid}
    assert publish(books).removed == []


def test_a_wrong_password_is_one_line(runner_practice, radicale, monkeypatch):
    books, client, treatment = (runner_practice[k] for k in ("books", "client", "treatment"))
    update_agenda_settings(books, {"caldav_url": radicale["url"], "caldav_user": USER})
    monkeypatch.setenv(PASSWORD_ENV, "verkeerd")
    plan_session(books, client.id, treatment.id, date(2026, 12, 1), time(10, 0))
    with pytest.raises(PublishError, match="refused the login of zool"):
        publish(books)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    assert len(publish(books).created) == 1  # nothing was remembered as published


def test_a_password_goes_unencrypted_only_to_this_computer(runner_practice, monkeypatch):
    """An http:// calendar elsewhere with a login is refused before anything is sent (no
    server needed: nothing is tried); http:// on this computer (the tests' Radicale) and
    https:// elsewhere are not."""
    from ledger.base.secrets import is_loopback

    books = runner_practice["books"]
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    update_agenda_settings(books, {"caldav_url": "http://agenda.example.nl/cal/",
                                   "caldav_user": USER})
    with pytest.raises(PublishError, match=re.escape(
            "refusing to send the password unencrypted to agenda.example.nl; use the "
            "calendar's https://")):
        publish(books)
    assert is_loopback("localhost") and is_loopback("127.0.0.1") and is_loopback("[::1]")
    assert not is_loopback("agenda.example.nl") and not is_loopback("10.0.0.1")
