"""`solebook therapist ...`, `--therapist ID` and `report year --therapist ID`, in this
process on a fresh practice; and a password in `--db` is refused before anything opens.

The practice's own therapist is 1; Anna Jansen (AGB 90111111) joins as 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_language import Cli
from tests.factories import TODAY


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Cli:
    run = Cli(tmp_path / "books.sqlite3", monkeypatch, capsys)
    run("init", "--lang", "en")
    run("client", "add", "--name", "Anna de Vries", "--json")
    run("treatment", "add", "--name", "Voetreflexmassage", "--price", "65,00", "--vat", "0",
        "--json")
    return run


def _json(cli: Cli, *args: str) -> Any:
    return json.loads(cli(*args, "--json")[0])


def test_therapists_at_the_command_line(cli: Cli) -> None:
    added = _json(cli, "therapist", "add", "--name", "Anna Jansen", "--agb", "9011 1111",
                  "--association", "NBVR", "--membership", "NBVR-77", "--email", "anna@zool.nl")
    assert added == {"id": 2, "name": "Anna Jansen", "agb_code": "90111111",
                     "association": "NBVR", "membership_number": "NBVR-77",
                     "register_number": "", "email": "anna@zool.nl", "login": None,
                     "active": True}
    _out, err = cli("therapist", "add", "--name", "Bram", "--agb", "12", "--lang", "en",
                    expect=1)
    assert err.startswith("solebook: therapist AGB code: ") and err.count("\n") == 1
    assert [t["id"] for t in _json(cli, "therapist", "list")] == [1, 2]
    shown, _err = cli("therapist", "show", "2", "--lang", "en")
    assert "AGB code" in shown and "90111111" in shown
    cli("--therapist", "2", "session", "add", "--client", "1", "--treatment", "1",
        "--date", TODAY.isoformat())
    cli("session", "add", "--client", "1", "--treatment", "1", "--date", TODAY.isoformat())
    assert [s["therapist_id"] for s in _json(cli, "session", "list")] == [2, 1]
    anna = _json(cli, "report", "year", "2026", "--therapist", "2")
    assert (anna["therapist"], anna["sessions_given"], anna["treatment_hours"]) == (
        {"id": 2, "name": "Anna Jansen"}, 1, "1.00")
    _out, err = cli("invoice", "create", "--client", "1", "--sessions", "1,2", "--lang", "en",
                    expect=1)
    assert "an invoice is for one therapist's treatments" in err
    hers = _json(cli, "--therapist", "2", "invoice", "create", "--client", "1")
    assert [line["session_id"] for line in hers["lines"]] == [1]  # the working one's only
    archived = _json(cli, "therapist", "archive", "2")
    assert archived["active"] is False
    _out, err = cli("--therapist", "2", "session", "list", "--lang", "en", expect=1)
    assert err == "solebook: therapist: Anna Jansen is archived\n"
    assert [t["id"] for t in _json(cli, "therapist", "list")] == [1]
    assert _json(cli, "report", "year", "2026", "--therapist", "2")["sessions_given"] == 1
    assert {e["db_role"] for e in _json(cli, "audit", "list")} == {""}  # SQLite: no database roles


def test_a_password_on_the_command_line_is_refused(cli: Cli) -> None:
    _out, err = cli("--db", "postgresql+psycopg://anna:geheim@db.praktijk.nl/zool",
                    "therapist", "list", expect=2)
    assert "do not put the password in the URL" in err and "geheim" not in err.split(":")[-1]


def test_the_password_comes_from_the_keyring_when_libpq_has_none(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sys
    import types

    from sqlalchemy.engine import make_url

    from ledger.store.db import server_connect_args

    asked = []
    fake = types.ModuleType("keyring")
    fake.get_password = lambda service, user: asked.append((service, user)) or "s3cret"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", fake)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    url = make_url("postgresql+psycopg://anna@db.praktijk.nl/zool?sslmode=verify-full")
    assert server_connect_args(url) == {"password": "s3cret"}
    assert asked == [("solebook-db", "anna")]
    monkeypatch.setenv("PGPASSWORD", "x")  # libpq's own sources come first
    assert server_connect_args(url) == {}
    monkeypatch.delenv("PGPASSWORD")
    (tmp_path / "none").write_text("*:*:*:anna:y\n")
    assert server_connect_args(url) == {}
    assert server_connect_args(make_url("sqlite:///x.sqlite3")) == {}


def test_a_session_is_given_to_another_therapist_until_it_is_invoiced(cli: Cli) -> None:
    cli("therapist", "add", "--name", "Anna Jansen", "--agb", "90111111")
    for _ in range(2):
        cli("session", "add", "--client", "1", "--treatment", "1", "--date", TODAY.isoformat())
    moved = _json(cli, "session", "edit", "2", "--therapist", "2")
    assert moved["therapist_id"] == 2
    assert [s["therapist_id"] for s in _json(cli, "session", "list")] == [1, 2]
    _out, err = cli("session", "edit", "1", "--therapist", "7", "--lang", "en", expect=1)
    assert err == "solebook: therapist: there is no therapist with id 7\n"
    _json(cli, "invoice", "create", "--client", "1", "--sessions", "1")
    _out, err = cli("session", "edit", "1", "--therapist", "2", "--lang", "en", expect=1)
    assert err.startswith("solebook: session: it is billed on invoice ")
    assert [s["therapist_id"] for s in _json(cli, "session", "list")] == [1, 2]


def test_who_works_before_the_command_is_not_whom_session_edit_gives_it_to(cli: Cli) -> None:
    """``--therapist`` before the command is who works; after ``session edit ID`` it is
    whose session it is (and who works is then the practice's choice)."""
    cli("therapist", "add", "--name", "Anna Jansen", "--agb", "90111111")
    cli("session", "add", "--client", "1", "--treatment", "1", "--date", TODAY.isoformat())
    changed = _json(cli, "--therapist", "2", "session", "edit", "1", "--price", "70,00")
    assert (changed["therapist_id"], changed["price"]) == (1, "70.00")
    moved = _json(cli, "--therapist", "1", "session", "edit", "1", "--therapist", "2")
    assert moved["therapist_id"] == 2
    added = _json(cli, "session", "add", "--client", "1", "--treatment", "1", "--date",
                  TODAY.isoformat(), "--therapist", "2")  # after other commands: who works
    assert added["therapist_id"] == 2
    assert [s["therapist_id"] for s in _json(cli, "session", "list")] == [2, 2]


def test_the_interface_opens_with_the_therapist_chosen(
        cli: Cli, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """``solebook --therapist ID`` without a command: the interface opens on books with that
    therapist working; an unknown or archived one is one line, and no interface opens."""
    import tui.app
    import tui.early
    import tui.entry
    from ledger.books import Books
    from ledger.practice.therapists import working_therapist_info

    cli("therapist", "add", "--name", "Anna Jansen", "--agb", "90111111")
    working: list[int] = []

    def run_app(books: Books | None = None, **_given: Any) -> int:
        assert books is not None
        working.append(working_therapist_info(books).id)
        books.close()
        return 0

    monkeypatch.setattr(tui.app, "run_app", run_app)
    monkeypatch.setattr(tui.early, "EarlyFigures", lambda *_a, **_k: None)
    capsys.readouterr()
    for argv, code in ((["--therapist", "2"], 0), (["--therapist", "7", "--lang", "en"], 1)):
        with pytest.raises(SystemExit) as done:
            tui.entry.main(argv)
        assert done.value.code == code
    assert working == [2]
    assert capsys.readouterr().err == "solebook: therapist: there is no therapist with id 7\n"
    cli("therapist", "archive", "2")
    with pytest.raises(SystemExit) as done:
        tui.entry.main(["--therapist", "2", "--lang", "en"])
    assert done.value.code == 1 and working == [2]
    assert capsys.readouterr().err == "solebook: therapist: Anna Jansen is archived\n"
