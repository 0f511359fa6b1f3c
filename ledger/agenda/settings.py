"""The agenda's settings, kept in the ``setting`` table under ``agenda_*`` keys.

Typed by a person in the same way everywhere (``solebook agenda settings --late-hours 24``
and the interface's settings), parsed by the fields below:

- ``agenda_late_hours``: a cancellation less than this many hours before the start is late
  (default 24);
- ``agenda_late_fee``: what a late cancellation or a no-show costs: a percentage of the
  session's price (``50%``, the default) or an amount (``25,00``);
- ``agenda_hours``: working hours, ``09:00-17:00``; ``agenda_days``: working days as ISO
  weekday numbers, ``1-5`` (Monday to Friday) or ``1,2,4``;
- ``agenda_folder``: where the iCalendar file ``solebook.ics`` is written (default: the
  folder ``agenda`` next to the database);
- ``agenda_show``: what an event calls the client: ``initials`` (default), ``first_name``
  or ``full_name``;
- ``agenda_confirm``: ``yes`` to e-mail a confirmation when an appointment is booked or
  moved (default ``no``); ``agenda_remind_hours``: the reminder goes this many hours
  before the start (default 24; 0: no reminders);
- ``caldav_url``, ``caldav_user``: the CalDAV calendar to publish to (the password comes
  from ``$SOLEBOOK_CALDAV_PASSWORD`` or the system keyring, never from the database).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from ledger.base import parse
from ledger.base.errors import N_, InputError
from ledger.base.forms import Field, parse_form
from ledger.base.money import json_amount, round_cents
from ledger.books import Books
from ledger.practice.profile import get_setting, put_settings

SHOW = {"initials": "initials", "initialen": "initials", "first_name": "first_name",
        "first-name": "first_name", "voornaam": "first_name", "full_name": "full_name",
        "full-name": "full_name", "naam": "full_name", "volledige naam": "full_name"}
YES_NO = {"yes": "yes", "ja": "yes", "on": "yes", "aan": "yes", "true": "yes",
          "no": "no", "nee": "no", "off": "no", "uit": "no", "false": "no"}
DEFAULTS = {"agenda_late_hours": "24", "agenda_late_fee": "50%", "agenda_hours": "09:00-17:00",
            "agenda_days": "1,2,3,4,5", "agenda_folder": "", "agenda_show": "initials",
            "agenda_confirm": "no", "agenda_remind_hours": "24", "caldav_url": "",
            "caldav_user": ""}


@dataclass(frozen=True)
class LateFee:
    """A percentage of the price, or a fixed amount in cents."""

    percent: Decimal | None = None
    amount: int | None = None

    def fee_for(self, price: int) -> int:
        if self.amount is not None:
            return self.amount
        return round_cents(Decimal(price).scaleb(-2) * (self.percent or Decimal(0)) / 100)

    def text(self) -> str:
        """As stored and typed: ``50%`` or ``25.00``."""
        if self.amount is not None:
            return json_amount(self.amount)
        return f"{(self.percent or Decimal(0)).normalize():f}%"


def parse_late_fee(text: str, field: str = N_("late cancellation fee")) -> str:
    raw = text.strip()
    if raw.endswith("%"):
        return f"{parse.parse_percentage(raw, field):f}%"
    return LateFee(amount=parse.parse_amount(raw, field)).text()


def read_late_fee(text: str) -> LateFee:
    if text.endswith("%"):
        return LateFee(percent=Decimal(text[:-1]))
    return LateFee(amount=parse.parse_amount(text, N_("late cancellation fee")))


def parse_hours(text: str, field: str = N_("working hours")) -> str:
    start, sep, end = text.replace(" ", "").partition("-")
    if not sep:
        raise InputError(field, "must be like 09:00-17:00")
    first, last = parse.parse_time(start, field), parse.parse_time(end, field)
    if last <= first:
        raise InputError(field, "must end after it starts")
    return f"{first:%H:%M}-{last:%H:%M}"


def parse_days(text: str, field: str = N_("working days")) -> str:
    days: set[int] = set()
    for part in text.replace(" ", "").split(","):
        first, sep, last = part.partition("-")
        lo = parse.parse_int(first, field, minimum=1, maximum=7)
        hi = parse.parse_int(last, field, minimum=1, maximum=7) if sep else lo
        if hi < lo:
            raise InputError(field, "must be weekday numbers 1 (Monday) to 7, e.g. 1-5")
        days.update(range(lo, hi + 1))
    return ",".join(str(d) for d in sorted(days))


def parse_folder(text: str, field: str = N_("agenda folder")) -> str:
    return str(Path(parse.parse_name(text, field, max_length=500)).expanduser())


def parse_url(text: str, field: str = N_("CalDAV address")) -> str:
    url = text.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(field, "must be an http(s) address")
    if parts.password is not None:  # it would be stored and shown; the keyring keeps it
        raise InputError(field, "must not hold a password (it would be stored): the password "
                                "comes from the system keyring or SOLEBOOK_CALDAV_PASSWORD")
    return url


AGENDA_FIELDS: dict[str, Field] = {
    "agenda_late_hours": Field(N_("late cancellation hours"), lambda raw, label: str(
        parse.parse_int(raw, label, minimum=0, maximum=24 * 14)), blank="24"),
    "agenda_late_fee": Field(N_("late cancellation fee"), parse_late_fee, blank="50%"),
    "agenda_hours": Field(N_("working hours"), parse_hours, blank="09:00-17:00"),
    "agenda_days": Field(N_("working days"), parse_days, blank="1,2,3,4,5"),
    "agenda_folder": Field(N_("agenda folder"), parse_folder, blank=""),
    "agenda_show": Field(N_("client in the calendar"),
                         lambda raw, label: parse.parse_choice(raw, label, SHOW),
                         blank="initials"),
    "agenda_confirm": Field(N_("confirmations"),
                            lambda raw, label: parse.parse_choice(raw, label, YES_NO),
                            blank="no"),
    "agenda_remind_hours": Field(N_("reminder hours"), lambda raw, label: str(
        parse.parse_int(raw, label, minimum=0, maximum=24 * 14)), blank="24"),
    "caldav_url": Field(N_("CalDAV address"), parse_url, blank=""),
    "caldav_user": Field(N_("CalDAV user"), lambda raw, label: parse.parse_name(
        raw, label, max_length=200), blank=""),
}


@dataclass(frozen=True)
class AgendaSettings:
    late_hours: int
    late_fee: LateFee
    day_start: time
    day_end: time
    working_days: frozenset[int]  # ISO weekday numbers
    folder: Path
    show: str  # initials, first_name, full_name
    confirm: bool
    remind_hours: int
    caldav_url: str
    caldav_user: str

    def public(self) -> dict[str, Any]:
        """As ``agenda settings --json`` prints them (no password)."""
        return {"late_hours": self.late_hours, "late_fee": self.late_fee.text(),
                "hours": f"{self.day_start:%H:%M}-{self.day_end:%H:%M}",
                "days": ",".join(str(d) for d in sorted(self.working_days)),
                "folder": str(self.folder), "show": self.show, "confirm": self.confirm,
                "remind_hours": self.remind_hours, "caldav_url": self.caldav_url,
                "caldav_user": self.caldav_user}


def settings_in(session: Session, data_dir: Path) -> AgendaSettings:
    def value(key: str) -> str:
        return get_setting(session, key, "") or DEFAULTS[key]

    start, _, end = value("agenda_hours").partition("-")
    folder = value("agenda_folder")
    return AgendaSettings(
        late_hours=int(value("agenda_late_hours")),
        late_fee=read_late_fee(value("agenda_late_fee")),
        day_start=time.fromisoformat(start), day_end=time.fromisoformat(end),
        working_days=frozenset(int(d) for d in value("agenda_days").split(",") if d),
        folder=Path(folder) if folder else data_dir / "agenda",
        show=value("agenda_show"), confirm=value("agenda_confirm") == "yes",
        remind_hours=int(value("agenda_remind_hours")), caldav_url=value("caldav_url"),
        caldav_user=value("caldav_user"),
    )


def agenda_settings(books: Books) -> AgendaSettings:
    with books.db.read() as session:
        return settings_in(session, books.db.data_dir)


def update_agenda_settings(books: Books, raw: dict[str, str | None]) -> AgendaSettings:
    """Change any of the agenda settings from typed text; all or nothing."""
    values = parse_form(AGENDA_FIELDS, raw)
    if "agenda_days" in values and values["agenda_days"] == "":
        raise InputError(N_("working days"), "is required")
    with books.db.write() as session:
        put_settings(session, values)
        return settings_in(session, books.db.data_dir)
