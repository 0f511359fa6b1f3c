"""Appointment times: kept as the local date and time in Amsterdam, as she types them."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from ledger.base.dates import Clock

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def starts_at(on: date, at: time) -> datetime:
    """The moment an appointment starts, in Amsterdam time (aware)."""
    return datetime.combine(on, at, tzinfo=AMSTERDAM)


def aware_now(clock: Clock) -> datetime:
    """The clock's time, read as Amsterdam time when it carries no zone."""
    now = clock.now()
    return now if now.tzinfo else now.replace(tzinfo=AMSTERDAM)
