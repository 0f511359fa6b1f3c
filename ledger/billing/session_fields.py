"""What a person types when recording a session, parsed in one place for both front ends.

The command line (``solebook session add``) and the interface's session form read the
same table, so the price, the fee, the time, the duration, the package choice and the
status are parsed by the same functions and refused with the same one-line message. No
SQLAlchemy here: building the command line's parser and painting the form stay light.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from ledger.base.codes import SessionStatus
from ledger.base.errors import N_
from ledger.base.forms import Field, parse_form
from ledger.base.parse import (
    parse_amount,
    parse_choice,
    parse_date,
    parse_int,
    parse_text,
    parse_time,
)

STATUSES: dict[str, str] = {
    "given": SessionStatus.GIVEN, "gegeven": SessionStatus.GIVEN,
    "no_show": SessionStatus.NO_SHOW, "no-show": SessionStatus.NO_SHOW,
    "noshow": SessionStatus.NO_SHOW, "niet verschenen": SessionStatus.NO_SHOW,
    "late_cancel": SessionStatus.LATE_CANCEL, "late-cancel": SessionStatus.LATE_CANCEL,
    "late cancellation": SessionStatus.LATE_CANCEL, "te laat": SessionStatus.LATE_CANCEL,
}
PackageChoice = int | Literal["auto", "none"]


def parse_package_choice(text: str, field: str = N_("package")) -> PackageChoice:
    """``auto`` (the client's one fitting package), ``none`` (invoice it) or a package id."""
    key = text.strip().lower()
    if key in ("auto", "none"):
        return "auto" if key == "auto" else "none"
    return parse_int(key, field, minimum=1)


def session_fields(today: date | None = None) -> dict[str, Field]:
    """The fields of a session as typed; ``today`` anchors "vandaag", "gisteren" and dates
    typed without a year."""
    return {
        "date": Field(N_("date"), lambda raw, label: parse_date(raw, label, today=today),
                      blank=None),
        "time": Field(N_("time"), parse_time, blank=None),
        "price": Field(N_("price"), parse_amount, blank=None),
        "fee": Field(N_("fee"), parse_amount, blank=0),
        "duration": Field(N_("duration"), lambda raw, label: parse_int(
            raw, label, minimum=1, maximum=600), blank=None),
        "status": Field(N_("status"), lambda raw, label: parse_choice(raw, label, STATUSES),
                        blank=None),
        "package": Field(N_("package"), parse_package_choice, blank="auto"),
        "notes": Field(N_("notes"), parse_text),
    }


def read_session(raw: Mapping[str, str | None], today: date | None = None) -> dict[str, Any]:
    """The typed values of the fields given (None or absent: not given), keyed as
    :func:`ledger.billing.sessions.add_session` takes them."""
    values = parse_form(session_fields(today), raw)
    renamed = {"date": "on", "time": "start_time", "duration": "duration_min"}
    return {renamed.get(key, key): value for key, value in values.items()}
