"""A fault nobody foresaw, in a worker or in a handler, becomes a notification and a line
in the log file; the program keeps running and never shows a traceback."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from ledger.books import Books
from ledger.practice.clients import list_clients
from tests.tui.pilot import drive, notifications, settle
from tui.failures import LOG_NAME


def _read_log(app: Any) -> tuple[Path, str]:
    path = app.log_dir / LOG_NAME
    return path, path.read_text(encoding="utf-8")


def _check_log(app: Any, books: Books, *expected: str) -> None:
    path, text = _read_log(app)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert "Traceback (most recent call last)" in text
    for part in expected:
        assert part in text
    for client in list_clients(books, "", limit=50):  # code and messages, no one's data
        assert client.name not in text


def test_a_failing_worker_is_a_notification_and_a_log_line(
        demo_books: Books, make_tui: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.screens.home as home

    def broken(books: Books) -> Any:
        raise RuntimeError("the overview could not be read")

    monkeypatch.setattr(home, "read_overview", broken)
    app = make_tui(demo_books)

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str]:
        shown = notifications(pilot)
        await pilot.press("2")  # the program still answers
        await settle(pilot)
        return shown, type(pilot.app.screen).__name__

    shown, screen = drive(app, scenario)
    log_path = app.log_dir / LOG_NAME
    assert ("Onverwachte fout: Er ging iets mis: RuntimeError: the overview could not be "
            f"read. Details staan in {log_path}.") in shown
    assert screen == "ClientsScreen"
    _check_log(app, demo_books, "RuntimeError: the overview could not be read", "broken")
    assert [type(e) for e in app.unexpected_errors] == [RuntimeError]


def test_a_failing_handler_is_a_notification_and_the_screen_goes_on(
        demo_books: Books, make_tui: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fault in a screen's handler (here: showing the overview, on the screen's own
    message queue) and in a key's action (on the app's): both reported, both survived."""
    from tui.screens.clients import ClientsScreen
    from tui.screens.home import HomeScreen

    calls = {"show": 0}
    real_show = HomeScreen.show

    def show_once_broken(self: HomeScreen, data: Any) -> None:
        calls["show"] += 1
        if calls["show"] == 1:
            raise RuntimeError("cannot show the overview")
        real_show(self, data)

    def broken_add(self: ClientsScreen) -> None:
        raise KeyError("no form")

    monkeypatch.setattr(HomeScreen, "show", show_once_broken)
    monkeypatch.setattr(ClientsScreen, "action_add", broken_add)
    app = make_tui(demo_books)
    app.fail_loudly = False  # the program's own behaviour, as the person sees it

    async def scenario(pilot: Pilot[Any]) -> tuple[str, list[str], str]:
        await pilot.press("r")  # the overview's own queue still runs: it reloads
        await settle(pilot)
        today = str(pilot.app.screen.query_one("#home-today").render())
        await pilot.press("2", "a")
        await settle(pilot)
        screens = [type(pilot.app.screen).__name__]
        await pilot.press("1")
        await settle(pilot)
        screens.append(type(pilot.app.screen).__name__)
        return notifications(pilot), screens, today

    shown, screens, today = drive(app, scenario)
    assert "Er ging iets mis: RuntimeError: cannot show the overview. Details staan in" in shown
    assert "Er ging iets mis: KeyError: 'no form'. Details staan in" in shown
    assert screens == ["ClientsScreen", "HomeScreen"]
    assert "Vandaag is het" in today
    assert app.return_code in (0, None)
    _check_log(app, demo_books, "cannot show the overview", "KeyError: 'no form'")


def test_a_worker_that_would_close_the_app_does_not(demo_books: Books, make_tui: Any) -> None:
    """A worker started without ``exit_on_error=False`` reaches Textual's last resort,
    which would close the program with a traceback; the app reports it instead."""
    app = make_tui(demo_books)
    app.fail_loudly = False

    async def failing() -> None:
        raise ValueError("bad value in a worker")

    async def scenario(pilot: Pilot[Any]) -> tuple[str, bool]:
        pilot.app.run_worker(failing(), group="test")
        await pilot.pause(0.1)
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        return notifications(pilot), pilot.app.is_running

    shown, running = drive(app, scenario)
    assert "Er ging iets mis: ValueError: bad value in a worker. Details staan in" in shown
    assert running
    _check_log(app, demo_books, "ValueError: bad value in a worker")


def test_a_full_disk_does_not_turn_one_fault_into_two(demo_books: Books, make_tui: Any,
                                                      tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    app = make_tui(demo_books)
    app.log_dir = blocker / "log"  # cannot be made: a file is in the way

    async def scenario(pilot: Pilot[Any]) -> str:
        pilot.app.report_unexpected(RuntimeError("first fault"))
        await settle(pilot)
        return notifications(pilot)

    shown = drive(app, scenario)
    assert "Er ging iets mis: RuntimeError: first fault." in shown
    assert "Details" not in shown
