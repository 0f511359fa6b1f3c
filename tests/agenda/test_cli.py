"""The agenda on the command line as issue 16 writes it (in-process, system clock): plan,
move, the week as JSON, a series plan previewed and saved, cancel late with the fee, mark
given, the calendar file, refusals as one line."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from ledger.books import Books
from ledger.practice.profile import update_practice
from tests.factories import ENGLISH, PRACTICE, make_client, make_plan, make_treatment


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> Any:
    from tui.cli.main import main

    db = tmp_path / "books.sqlite3"
    books = Books.open(str(db), interface="test")
    update_practice(books, dict(PRACTICE))
    make_client(books, "Anna de Vries")
    treatment = make_treatment(books)
    make_plan(books, treatment.id)
    books.close()
    monkeypatch.setenv("SOLEBOOK_DB", str(db))

    def run(*args: str, expect: int = 0) -> tuple[str, str]:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exited:
            main([*ENGLISH, *args])
        out, err = capsys.readouterr()
        assert exited.value.code == expect, (args, out, err)
        return out, err

    run.db = db  # type: ignore[attr-defined]
    return run


def _json(cli: Any, *args: str) -> Any:
    return json.loads(cli(*args, "--json")[0])


@pytest.mark.slow  # a dozen commands: about 3-4 s
def test_the_agenda_from_the_command_line(cli):
    # next week's Tuesday, so that the whole plan is ahead whatever today is
    tuesday = date.today() + timedelta(days=7 - date.today().weekday() + 1)
    sold = _json(cli, "package", "sell", "--client", "1", "--plan", "1")
    planned = _json(cli, "session", "plan", "--client", "1", "--treatment", "1", "--date",
                    tuesday.isoformat(), "--time", "10:00")
    assert planned["status"] == "planned" and planned["reserved_package_id"] == sold["id"]
    assert planned["billable"] == "0.00" and planned["time"] == "10:00"
    _out, err = cli("session", "plan", "--client", "1", "--treatment", "1", "--date",
                    tuesday.isoformat(), "--time", "10:30", "--package", "none", expect=1)
    assert err.startswith("solebook: time: ") and err.count("\n") == 1
    assert err.strip().endswith(
        f"10:30 overlaps session {planned['id']} (Anna de Vries, 10:00-11:00)")
    moved = _json(cli, "session", "move", str(planned["id"]), "--date", tuesday.isoformat(),
                  "--time", "11:00")
    assert moved["time"] == "11:00"
    week = _json(cli, "agenda", "--week", tuesday.isoformat())
    assert [(s["id"], s["time"], s["status"]) for s in week] == [(planned["id"], "11:00",
                                                                  "planned")]
    preview = _json(cli, "package", "plan", str(sold["id"]), "--every", "7", "--from",
                    (tuesday + timedelta(days=7)).isoformat(), "--time", "10:00", "--preview")
    assert not preview["saved"] and len(preview["sessions"]) == 4
    assert preview["package"]["sessions_free"] == 4
    saved = _json(cli, "package", "plan", str(sold["id"]), "--every", "7", "--from",
                  (tuesday + timedelta(days=7)).isoformat(), "--time", "10:00")
    assert saved["saved"] and all(s["session_id"] for s in saved["sessions"])
    shown = _json(cli, "package", "show", str(sold["id"]))
    assert (shown["sessions_used"], shown["sessions_planned"], shown["sessions_free"]) == (
        0, 5, 0)
    late = _json(cli, "session", "cancel", str(saved["sessions"][0]["session_id"]), "--late")
    assert late["status"] == "late_cancel" and late["fee"] == "32.50"
    _out, err = cli("session", "given", str(planned["id"]), expect=1)
    assert "cannot be given yet" in err
    calendar = cli.db.parent / "agenda" / "solebook.ics"  # type: ignore[attr-defined]
    assert calendar.read_text().count("BEGIN:VEVENT") == 5
    cli("agenda", "ics", "-o", str(cli.db.parent / "copy.ics"))
    assert (cli.db.parent / "copy.ics").read_bytes() == calendar.read_bytes()
    _out, err = cli("agenda", "publish", expect=1)
    assert "caldav: no calendar set" in err
    assert _json(cli, "agenda", "remind", "--dry-run") == []  # Anna has no e-mail address
    assert _json(cli, "agenda", "to-mark") == []  # nothing planned has come yet


def test_agenda_ics_writes_the_agenda_that_agenda_lists(cli):
    """`agenda ics` writes the agenda of the one working, as `agenda` lists it (a second
    therapist's own appointment is in her file, not the first therapist's)."""
    from ledger.practice.therapists import add_therapist, use_therapist

    books = Books.open(str(cli.db), interface="test")
    second = add_therapist(books, {"name": "Bram de Wit"})
    use_therapist(books, second.id)
    books.close()
    tuesday = date.today() + timedelta(days=7 - date.today().weekday() + 1)
    planned = _json(cli, "session", "plan", "--client", "1", "--treatment", "1", "--date",
                    tuesday.isoformat(), "--time", "10:00", "--package", "none")
    assert [s["id"] for s in _json(cli, "agenda", "--week", tuesday.isoformat())] == [
        planned["id"]]
    copy = cli.db.parent / "copy.ics"
    cli("agenda", "ics", "-o", str(copy))
    assert f"UID:session-{planned['id']}@solebook" in copy.read_text()


def test_the_late_fee_is_shown_as_the_reader_writes_numbers(cli):
    """``agenda settings`` in Dutch: "12,5%" and "€ 25,00"; --json keeps "12.5%"."""
    assert _json(cli, "agenda", "settings", "--late-fee", "12,5%")["late_fee"] == "12.5%"
    out = cli("agenda", "settings", "--lang", "nl")[0]
    assert "12,5%" in out and "12.5" not in out
    cli("agenda", "settings", "--late-fee", "25")
    assert "€ 25,00" in cli("agenda", "settings", "--lang", "nl")[0]
