"""With no clients yet, the session form adds one (ctrl+n) and returns with her chosen."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from ledger.billing.sessions import list_sessions
from ledger.books import Books
from ledger.practice.clients import list_clients
from tests.factories import TODAY, make_treatment
from tests.tui.pilot import drive, notifications, screen_text, settle, type_text


def test_a_new_client_from_the_session_form(practice: Books, make_tui: Any) -> None:
    make_treatment(practice)

    async def scenario(pilot: Pilot[Any]) -> tuple[str, str, str]:
        await pilot.press("escape")  # the welcome: set up later
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        refused = screen_text(pilot)
        await type_text(pilot, "Bea Smit")
        hint = screen_text(pilot) + "\n".join(
            str(o.prompt) for o in pilot.app.screen.query_one("#client-matches").options)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+s")  # the name came along: save the client
        await settle(pilot)
        await pilot.press("ctrl+s")  # and the session
        await settle(pilot)
        return refused, hint, notifications(pilot)

    refused, hint, shown = drive(make_tui(practice), scenario)
    assert "Kies eerst een cliënt, of voeg met ctrl+n een nieuwe toe." in refused
    assert "ctrl+n: nieuwe cliënt toevoegen" in hint
    [client] = list_clients(practice)
    assert client.name == "Bea Smit"
    [session] = list_sessions(practice, client.id)
    assert (session.date, session.treatment_name) == (TODAY, "Voetreflexmassage")
    assert "Sessie bewaard" in shown
