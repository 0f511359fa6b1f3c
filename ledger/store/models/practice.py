"""Storage: the practice, its therapists and settings, the clients (with their health notes
in a table of their own) and the catalogue of treatments and package plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ledger.store.models.base import Base, Rate


class Practice(Base):
    """The one practice profile (id 1)."""

    __tablename__ = "practice"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="NL")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    kvk: Mapped[str] = mapped_column(String(20), default="")
    vat_id: Mapped[str] = mapped_column(String(20), default="")
    iban: Mapped[str] = mapped_column(String(40), default="")
    account_holder: Mapped[str] = mapped_column(String(200), default="")
    agb_practice: Mapped[str] = mapped_column(String(8), default="")
    vat_regime: Mapped[str] = mapped_column(String(10), default="standard")
    exempt_text: Mapped[str] = mapped_column(String(300), default="")
    kor_text: Mapped[str] = mapped_column(String(300), default="")
    payment_term_days: Mapped[int] = mapped_column(Integer, default=14)
    number_pattern: Mapped[str] = mapped_column(String(60), default="{year}-{seq:04d}")
    language: Mapped[str] = mapped_column(String(2), default="nl")
    cancel_policy: Mapped[str] = mapped_column(String(20), default="pro_rata")
    voice: Mapped[str] = mapped_column(String(2), default="i", server_default="i")  # ik / wij
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        CheckConstraint("vat_regime IN ('standard', 'exempt', 'kor')", name="vat_regime"),
        CheckConstraint("payment_term_days >= 0", name="payment_term"),
    )


class Therapist(Base):
    """A therapist of the practice; a solo practice has exactly one."""

    __tablename__ = "therapist"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    agb_code: Mapped[str] = mapped_column(String(8), default="")
    association: Mapped[str] = mapped_column(String(100), default="")
    membership_number: Mapped[str] = mapped_column(String(40), default="")
    register_number: Mapped[str] = mapped_column(String(60), default="")
    active: Mapped[bool] = mapped_column(default=True)
    email: Mapped[str] = mapped_column(String(200), default="")
    # the PostgreSQL role this therapist connects as (None on SQLite, or without a login)
    login: Mapped[str | None] = mapped_column(String(63))

    __table_args__ = (Index("ix_therapist_login", "login", unique=True),)


class Setting(Base):
    """Further settings as key/value text (logo path, kilometre rate, mail server...)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Client(Base):
    __tablename__ = "client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    search_name: Mapped[str] = mapped_column(String(200), default="")  # ledger.base.text.search_key
    address: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    country: Mapped[str] = mapped_column(String(2), default="NL")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(2))
    # How letters greet the client: by first name, or "mevrouw/heer" and the formal name
    # (blank: the name without its first word).
    salutation: Mapped[str] = mapped_column(String(12), default="first_name",
                                            server_default="first_name")
    formal_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_client_name", "name"),
                      Index("ix_client_search_name", "search_name"))


class HealthNote(Base):
    """Private (health) notes: kept apart, never on a document or in a tax export."""

    __tablename__ = "health_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("treatment_session.id", ondelete="CASCADE")
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # who wrote it: on PostgreSQL only that therapist's role can read or change it (RLS)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("therapist.id"))

    __table_args__ = (
        Index("ix_health_note_client", "client_id"),
        Index("ix_health_note_session", "session_id"),
    )


class Treatment(Base):
    __tablename__ = "treatment"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    duration_min: Mapped[int] = mapped_column(Integer, default=60)
    price_cents: Mapped[int] = mapped_column(BigInteger)
    vat_rate: Mapped[Decimal] = mapped_column(Rate)
    performance_code: Mapped[str] = mapped_column(String(10), default="")
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price"),
        CheckConstraint("duration_min > 0", name="duration"),
    )


class PackagePlan(Base):
    __tablename__ = "package_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    treatment_id: Mapped[int] = mapped_column(ForeignKey("treatment.id"))
    sessions: Mapped[int] = mapped_column(Integer)
    price_cents: Mapped[int] = mapped_column(BigInteger)
    valid_days: Mapped[int] = mapped_column(Integer, default=365)
    active: Mapped[bool] = mapped_column(default=True)

    treatment: Mapped[Treatment] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint("sessions > 0", name="sessions"),
        CheckConstraint("price_cents >= 0", name="price"),
        CheckConstraint("valid_days > 0", name="valid_days"),
    )
