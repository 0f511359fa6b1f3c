"""Dates for people and files, and the injectable clock.

Dates shown to a person go through :func:`format_date` (Babel, CLDR month names):
``24 november 2026`` on documents, ``24-11-2026`` in tables. Files use :func:`iso`.
Code that needs "now" takes a :class:`Clock`, so tests can fix the time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol

from babel.dates import format_date as _babel_format_date

from ledger.base.money import babel_locale

__all__ = ["Clock", "FixedClock", "SystemClock", "format_date", "iso"]

# Explicit patterns rather than CLDR's "long"/"short", so output cannot drift with a
# Babel upgrade: the short forms are what Dutch and Irish/British readers expect.
_PATTERNS: dict[str, dict[str, str]] = {
    "long": {"nl": "d MMMM y", "en": "d MMMM y"},
    "short": {"nl": "dd-MM-y", "en": "dd/MM/y"},
}


def format_date(d: date, locale: str = "nl", style: str = "long") -> str:
    """A date for people: ``24 november 2026`` (long) or ``24-11-2026`` (short, nl).

    In English: ``24 November 2026`` and ``24/11/2026``.
    """
    if not isinstance(d, date):
        raise TypeError(f"format_date() needs a date, not {type(d).__name__}")
    try:
        pattern = _PATTERNS[style][locale]
    except KeyError:
        raise ValueError(f"unsupported date style {style!r} or locale {locale!r}") from None
    return _format(d, pattern, locale)


@lru_cache(maxsize=4096)
def _format(d: date, pattern: str, locale: str) -> str:
    # Babel takes ~40 µs a date; a document or a list shows the same few dates many times.
    return _babel_format_date(d, format=pattern, locale=babel_locale(locale))


def minute_of_day(at: time) -> int:
    """570 for 09:30: minutes after midnight."""
    return at.hour * 60 + at.minute


def clock_text(minutes: int) -> str:
    """``09:30`` for 570 minutes after midnight (a day on: the next day's clock)."""
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def iso(d: date) -> str:
    """ISO 8601 text for files and JSON: ``2026-11-24``."""
    return d.isoformat()


class Clock(Protocol):
    """Where the current time comes from."""

    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    """The computer's clock, in local time (naive ``datetime``)."""

    def now(self) -> datetime:
        return datetime.now()

    def today(self) -> date:
        return self.now().date()


class FixedClock:
    """A clock that stands still (until moved), for tests."""

    def __init__(self, at: datetime) -> None:
        if not isinstance(at, datetime):
            raise TypeError(f"FixedClock needs a datetime, not {type(at).__name__}")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return self._at.date()

    def set(self, at: datetime) -> None:
        """Move the clock to ``at``."""
        self._at = at

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self._at += delta

    def __repr__(self) -> str:
        return f"FixedClock({self._at!r})"
