"""The practice's therapists, and which one is working.

A solo practice has one therapist (the first migration makes it; its details are edited
with the practice's profile). A group practice adds more: each with an AGB code, a
professional association and membership number, a register number and an e-mail address,
and on PostgreSQL the database role (``login``) the therapist connects as. The practice's
own AGB code stays the practice's (``practice.agb_practice``).

Who is working decides whose sessions are recorded and whose notes are written, in this
order: the therapist chosen for this run (``--therapist ID``), on PostgreSQL the therapist
whose ``login`` is the connected role (``current_user``), the setting "who is working"
(``therapist use ID``, or the interface's therapists list), and else the first active
therapist. A therapist is archived, never deleted: sessions and invoices keep naming them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, aliased

from ledger.base import identifiers, parse
from ledger.base.errors import N_, InputError, NotFound, RuleViolation
from ledger.base.forms import Field, parse_form
from ledger.base.views import PracticeInfo
from ledger.books import Books
from ledger.practice.profile import put_settings
from ledger.store.models import InvoiceLine, Setting, Therapist, TreatmentSession

WORKING_SETTING = "working_therapist"
CONTEXT_KEY = "therapist_id"  # in the database's context: chosen for this run
THERAPIST_GROUP = "solebook_therapist"  # the PostgreSQL group role (migration 0012)
R = TypeVar("R", bound=Any)
_LOGIN = re.compile(r"[a-z_][a-z0-9_]{0,62}", re.ASCII)


def parse_login(raw: str, label: str) -> str:
    """A PostgreSQL role name as solebook makes them: lower-case letters, digits and _."""
    value = raw.strip()
    if not _LOGIN.fullmatch(value) or value.startswith("pg_"):
        raise InputError(label, "{text} is not a database login (lower-case letters, digits "
                                "and _, starting with a letter)", text=parse.shown(raw))
    return value


def _text(max_length: int) -> Any:
    return lambda raw, label: parse.parse_name(raw, label, max_length=max_length)


THERAPIST_FIELDS: dict[str, Field] = {
    "name": Field(N_("name"), _text(200), blank=None),
    "agb_code": Field(N_("therapist AGB code"), identifiers.parse_agb),
    "association": Field(N_("association"), _text(100)),
    "membership_number": Field(N_("membership number"), _text(40)),
    "register_number": Field(N_("register number"), _text(60)),
    "email": Field(N_("e-mail"), identifiers.parse_email),
    "login": Field(N_("database login"), parse_login),  # "" = none
}


@dataclass(frozen=True)
class TherapistInfo:
    id: int
    name: str
    agb_code: str
    association: str
    membership_number: str
    register_number: str
    email: str
    login: str | None
    active: bool


def therapist_info(t: Therapist) -> TherapistInfo:
    return TherapistInfo(t.id, t.name, t.agb_code, t.association, t.membership_number,
                         t.register_number, t.email, t.login, t.active)


def load_therapist(session: Session, therapist_id: int) -> Therapist:
    therapist = session.get(Therapist, therapist_id)
    if therapist is None:
        raise NotFound("therapist: there is no therapist with id {therapist_id}",
                       therapist_id=therapist_id)
    return therapist


def _check_login_free(session: Session, login: str, therapist_id: int | None) -> None:
    other = session.scalars(select(Therapist).where(Therapist.login == login)).first()
    if other is not None and other.id != therapist_id:
        raise RuleViolation("login: {login} is already the login of {name}",
                            login=login, name=other.name)


def create_login_role(session: Session, login: str) -> None:
    """On PostgreSQL: make the login role (when missing) a member of the therapists' group
    role. Its password is set by the administrator (``\\password`` in psql), never here."""
    if session.get_bind().dialect.name != "postgresql":
        raise RuleViolation("login: database logins exist only on PostgreSQL")
    from sqlalchemy.exc import DBAPIError

    quote = session.get_bind().dialect.identifier_preparer.quote_identifier
    exists = session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :name"),
                            {"name": login})
    try:
        with session.begin_nested():
            if not exists:
                session.execute(text(f"CREATE ROLE {quote(login)} LOGIN"))
            session.execute(text(f"GRANT {THERAPIST_GROUP} TO {quote(login)}"))
    except DBAPIError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        raise RuleViolation("login: cannot create the database role {login}: {reason}",
                            login=login, reason=reason) from exc


def add_therapist(books: Books, raw: dict[str, str | None], *,
                  create_login: bool = False) -> TherapistInfo:
    """A new therapist; with ``create_login`` (PostgreSQL, run by an administrator) the
    database role named by ``login`` is made as well, in the same transaction."""
    values = parse_form(THERAPIST_FIELDS, raw)
    if "name" not in values:
        raise InputError(THERAPIST_FIELDS["name"].label, "is required")
    with books.db.write() as session:
        if values.get("login"):
            _check_login_free(session, values["login"], None)
            if create_login:
                create_login_role(session, values["login"])
        therapist = Therapist(active=True, **{k: values.get(k, "") for k in (
            "name", "agb_code", "association", "membership_number", "register_number",
            "email")}, login=values.get("login") or None)
        session.add(therapist)
        session.flush()
        return therapist_info(therapist)


def update_therapist(books: Books, therapist_id: int, raw: dict[str, str | None], *,
                     create_login: bool = False) -> TherapistInfo:
    """Change any subset of a therapist's details; "" as login removes it."""
    values = parse_form(THERAPIST_FIELDS, raw)
    with books.db.write() as session:
        therapist = load_therapist(session, therapist_id)
        if values.get("login"):
            _check_login_free(session, values["login"], therapist.id)
            if create_login:
                create_login_role(session, values["login"])
        for key, value in values.items():
            setattr(therapist, key, (value or None) if key == "login" else value)
        return therapist_info(therapist)


def archive_therapist(books: Books, therapist_id: int, *, archived: bool = True
                      ) -> TherapistInfo:
    """Archive (or restore) a therapist; the practice keeps at least one active."""
    with books.db.write() as session:
        therapist = load_therapist(session, therapist_id)
        if archived and therapist.active:
            others = session.scalar(select(func.count()).select_from(Therapist).where(
                Therapist.active.is_(True), Therapist.id != therapist.id)) or 0
            if not others:
                raise RuleViolation("therapist: {name} is the practice's only active "
                                    "therapist", name=therapist.name)
        therapist.active = not archived
        return therapist_info(therapist)


def list_therapists(books: Books, *, include_archived: bool = False) -> list[TherapistInfo]:
    query = select(Therapist).order_by(Therapist.id)
    if not include_archived:
        query = query.where(Therapist.active.is_(True))
    with books.db.read() as session:
        return [therapist_info(t) for t in session.scalars(query)]


def get_therapist(books: Books, therapist_id: int) -> TherapistInfo:
    with books.db.read() as session:
        return therapist_info(load_therapist(session, therapist_id))


def _active(session: Session, therapist_id: int) -> Therapist:
    therapist = load_therapist(session, therapist_id)
    if not therapist.active:
        raise RuleViolation("therapist: {name} is archived", name=therapist.name)
    return therapist


def choose_working(books: Books, therapist_id: int) -> TherapistInfo:
    """Work as this therapist for this run (``--therapist ID``)."""
    with books.db.read() as session:
        therapist = therapist_info(_active(session, therapist_id))
    books.db.context[CONTEXT_KEY] = therapist.id
    return therapist


def use_therapist(books: Books, therapist_id: int) -> TherapistInfo:
    """Store who is working from now on (the setting; SQLite's answer to a login); in a run
    started with ``--therapist`` the new choice holds for the rest of the run as well."""
    with books.db.write() as session:
        therapist = therapist_info(_active(session, therapist_id))
        put_settings(session, {WORKING_SETTING: str(therapist.id)})
    if CONTEXT_KEY in books.db.context:
        books.db.context[CONTEXT_KEY] = therapist.id
    return therapist


def role_therapist(session: Session) -> Therapist | None:
    """On PostgreSQL the therapist whose login is the connected role (None elsewhere)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return session.scalars(select(Therapist).where(
        Therapist.login == func.current_user())).first()


def working_therapist(session: Session) -> Therapist:
    """Who is working now (see the module's text for the order)."""
    chosen = session.info.get(CONTEXT_KEY)
    if chosen:
        return load_therapist(session, int(chosen))
    by_role = role_therapist(session)
    if by_role is not None:
        return by_role
    setting = session.get(Setting, WORKING_SETTING)
    if setting is not None and setting.value.isdigit():
        stored = session.get(Therapist, int(setting.value))
        if stored is not None and stored.active:
            return stored
    first = session.scalars(select(Therapist).order_by(
        Therapist.active.desc(), Therapist.id).limit(1)).first()
    if first is None:
        raise NotFound("therapist: the practice has no therapist")
    return first


def note_author(session: Session) -> Therapist:
    """Who writes a private note now: on PostgreSQL always the therapist of the connected
    role (the row-level policy lets nobody write a note in another's name), else the one
    working."""
    return role_therapist(session) or working_therapist(session)


def working_therapist_info(books: Books) -> TherapistInfo:
    with books.db.read() as session:
        return therapist_info(working_therapist(session))


def working_in_group(books: Books) -> TherapistInfo | None:
    """Who is working, when the practice has more than one active therapist (the interface
    names them then); None in a practice of one."""
    with books.db.read() as session:
        active = session.scalar(select(func.count()).select_from(Therapist).where(
            Therapist.active.is_(True))) or 0
        return therapist_info(working_therapist(session)) if active > 1 else None


def therapist_choices(books: Books, own: int | None = None) -> list[TherapistInfo]:
    """Whom a session can be given to, when the practice has more than one active therapist
    (else none: nothing to choose): the active therapists, and ``own`` (the session's own
    therapist) even when archived."""
    with books.db.read() as session:
        active = list(session.scalars(select(Therapist).where(
            Therapist.active.is_(True)).order_by(Therapist.id)))
        if len(active) < 2:
            return []
        if own is not None and all(t.id != own for t in active):
            active.append(load_therapist(session, own))
        return [therapist_info(t) for t in active]


def session_therapist(session: Session, therapist_id: int | None) -> Therapist:
    """The therapist a session is recorded for: the one named, else the one working."""
    if therapist_id:
        return _active(session, therapist_id)
    return working_therapist(session)


def insurer_details(books: Books, therapist_id: int | None) -> dict[str, str]:
    """The fields of a document's insurer block that are the therapist's (name, AGB code,
    association, membership and register number), under the practice snapshot's keys;
    None: the first therapist's, as a solo practice's documents always had."""
    from ledger.practice.profile import practice_info

    with books.db.read() as session:
        info = practice_info(session, therapist_id)
    return {key: getattr(info, key) for key in INSURER_KEYS}


INSURER_KEYS = ("therapist_name", "agb_therapist", "association", "membership_number",
                "register_number")


def invoice_practice(books: Books, invoice_id: int) -> PracticeInfo:
    """The practice's details as an invoice (a draft too) shows them: with the details of
    the therapist whose treatments it is for."""
    from ledger.practice.profile import practice_info

    with books.db.read() as session:
        return practice_info(session, invoice_therapist_id(session, invoice_id))


def line_therapist() -> Any:
    """The therapist of an invoice line: of its session, or for a credit line of the
    session of the line it credits (a column expression; None for other lines)."""
    credited = aliased(InvoiceLine)
    return (
        select(TreatmentSession.therapist_id)
        .outerjoin(credited, credited.id == InvoiceLine.credited_line_id)
        .where(TreatmentSession.id == func.coalesce(InvoiceLine.session_id,
                                                    credited.session_id))
        .correlate(InvoiceLine)
        .scalar_subquery()
    )


def invoice_therapist_id(session: Session, invoice_id: int) -> int | None:
    """The therapist whose treatments an invoice (or credit note) is for; None for one
    without treatments (a series sold by the practice, a line typed by hand)."""
    return session.scalar(
        select(func.min(line_therapist())).where(InvoiceLine.invoice_id == invoice_id))


def one_therapists(session: Session, rows: Sequence[R], *, chosen: bool) -> Sequence[R]:
    """The sessions (rows of a session first) one invoice bills: sessions chosen by hand
    must be one therapist's; of all the client's unbilled sessions, when several therapists
    gave them, those of the therapist working now (refused when there are none of theirs)."""
    ids = {row[0].therapist_id for row in rows}
    if len(ids) > 1 and not chosen:
        mine = working_therapist(session).id
        if mine in ids:
            return [row for row in rows if row[0].therapist_id == mine]
    check_one_therapist(session, ids)
    return rows


def check_one_therapist(session: Session, therapist_ids: set[int]) -> None:
    """An invoice is for one therapist's treatments: refuse sessions of two or more."""
    if len(therapist_ids) < 2:
        return
    names = [t.name for t in session.scalars(select(Therapist).where(
        Therapist.id.in_(therapist_ids)).order_by(Therapist.id))]
    raise RuleViolation(
        "invoice: the sessions were given by {first} and {second}; an invoice is for one "
        "therapist's treatments, so bill them on separate invoices",
        first=names[0], second=" and ".join(names[1:]))
