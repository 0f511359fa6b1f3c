"""Helpers for Pilot tests: wait until the app is quiet, read what the screen shows."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static


async def settle(pilot: Pilot[Any], rounds: int = 50) -> None:
    """Wait until no worker runs and every message is handled (the data is on screen)."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers) and app.books is not None:
            return
    raise AssertionError("the app did not settle")


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type text as a person would (each character a key press)."""
    for ch in text:
        await pilot.press(ch if ch != " " else "space")
    await settle(pilot)


async def paste_text(pilot: Pilot[Any], text: str) -> None:
    """Paste text into the focused field, as the terminal hands over a paste (one event
    for the whole text): for a long value (a file path, an address) where the test is
    not about typing it; a key press per character costs a layout and a repaint each."""
    from textual import events

    pilot.app.post_message(events.Paste(text))
    await settle(pilot)


def screen_text(pilot: Pilot[Any]) -> str:
    """The text of every Static, Label, button and table cell on the current screen."""
    from textual.widgets import Button, DataTable

    screen = pilot.app.screen
    parts = [str(w.render()) for w in screen.query(Static)]
    parts += [str(b.label) for b in screen.query(Button)]
    for table in screen.query(DataTable):
        for row in range(table.row_count):
            parts.append(" | ".join(str(c) for c in table.get_row_at(row)))
    return "\n".join(parts)


def notifications(pilot: Pilot[Any]) -> str:
    return "\n".join(f"{n.title}: {n.message}" for n in pilot.app._notifications)


def drive(app: Any, scenario: Callable[[Pilot[Any]], Awaitable[Any]],
          size: tuple[int, int] = (120, 35)) -> Any:
    """Run the app headless at a fixed size, settle, play ``scenario``; its result."""

    async def main() -> Any:
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            return await scenario(pilot)

    return asyncio.run(main())
