"""A monkey at the keyboard: thousands of random keys from what a person really presses
(letters, digits, Enter, Escape, Tab, arrows, the app's keys and ctrl-keys) over every
part of the program on a copy of the demo books, with now and then a resize. Nothing may
fail, and the database is sound afterwards.

The seed is printed (1 by default, the second monkey 2); rerun a failing one with
``SOLEBOOK_MONKEY_SEED=<seed>``, or explore new ones with ``SOLEBOOK_MONKEY_SEED=random``.
"""

from __future__ import annotations

import os
import random
import time
from typing import Any

import pytest
from textual.pilot import Pilot

from ledger.books import Books
from tests.tui.pilot import drive, settle

KEYS = 2500
SIZES = ((60, 20), (80, 24), (120, 35), (200, 60))
QUIT_KEYS = {"ctrl+q", "ctrl+c"}  # never pressed: they end the program, not a fault

ALPHABET: tuple[str, ...] = (
    *"abcdefghijklmnopqrstuvwxyz",
    *"0123456789",
    "enter", "enter", "escape", "escape", "tab", "shift+tab", "space", "backspace",
    "up", "down", "down", "left", "right", "home", "end", "pagedown", "pageup",
    "minus", "plus", "comma", "full_stop", "slash",
    "ctrl+s", "ctrl+d", "ctrl+l", "ctrl+t", "ctrl+p",
)


def seed() -> int:
    """Seed 1 by default, so a run's time and keys are the same every time (CI); any number
    in ``SOLEBOOK_MONKEY_SEED`` reruns that one, ``random`` explores a new one."""
    chosen = os.environ.get("SOLEBOOK_MONKEY_SEED") or "1"
    if chosen == "random":
        return random.SystemRandom().randrange(10**6)
    return int(chosen)


@pytest.mark.slow
@pytest.mark.parametrize("troop", [0, 1])
def test_a_monkey_cannot_break_the_program(demo_books: Books, make_tui: Any,
                                           report: Any, troop: int) -> None:
    """Two monkeys of KEYS / 2 keys each, on books of their own, so the test runner's
    workers share them; the second's seed is the first's plus one."""
    chosen = seed() + troop
    print(f"monkey seed: {chosen} (rerun: SOLEBOOK_MONKEY_SEED={chosen})")
    rng = random.Random(chosen)
    app = make_tui(demo_books)
    assert not QUIT_KEYS & set(ALPHABET)

    async def scenario(pilot: Pilot[Any]) -> list[str]:
        screens: set[str] = set()
        for number in range(KEYS // 2):
            if rng.random() < 0.01:
                await pilot.resize_terminal(*rng.choice(SIZES))
            key = rng.choice(ALPHABET)
            await pilot.press(key)
            if number % 25 == 0:
                await settle(pilot)
            screens.add(type(pilot.app.screen).__name__)
            if pilot.app.unexpected_errors or not pilot.app.is_running:
                break
        await settle(pilot)
        return sorted(screens)

    started = time.perf_counter()
    screens = drive(app, scenario)
    seconds = time.perf_counter() - started
    failures = [f"{type(e).__name__}: {e}" for e in app.unexpected_errors]
    assert failures == [], f"seed {chosen}"
    with demo_books.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    report(f"monkey {troop + 1} of 2: {KEYS // 2} keys, seed {chosen}, {seconds:.0f} s, "
           f"{len(screens)} screens: {', '.join(screens)}")
