"""Storage: what the calendar outside knows of each appointment.

One row per session that has been in the calendar: the SEQUENCE its event carries (raised
whenever what the event shows changes), what was last published to the CalDAV calendar,
and for which start a reminder was sent. ``session_id`` is deliberately no foreign key: a
deleted session's row stays until the next publish has removed its event.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ledger.store.models.base import Base


class AgendaEvent(Base):
    __tablename__ = "agenda_event"

    session_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # DTSTAMP, UTC
    published_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    published_etag: Mapped[str] = mapped_column(String(200), default="")
    reminded_start: Mapped[dt.datetime | None] = mapped_column(DateTime)
