"""What the session form starts with and what it says when saved (read here, so that the
form itself is its fields and keys)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ledger.base.views import ClientInfo, PackageInfo, SessionInfo, TreatmentInfo
from ledger.billing.sessions import Recorded
from ledger.books import Books
from ledger.practice.therapists import TherapistInfo
from tui.i18n import _, money


@dataclass(frozen=True)
class Start:
    treatments: list[TreatmentInfo]
    client: ClientInfo | None
    last_treatment: int | None
    session: SessionInfo | None = None  # the session being corrected
    note: str = ""
    therapists: tuple[TherapistInfo, ...] = ()  # to choose from (a group practice only)
    working: int | None = None  # who records a new session


def read_start(books: Books, client_id: int | None, session_id: int | None = None) -> Start:
    """What the form starts with; the therapists to choose from only in a practice of more
    than one active therapist."""
    from dataclasses import replace

    from ledger.practice.therapists import therapist_choices, working_therapist_info

    start = _read_start(books, client_id, session_id)
    choices = therapist_choices(books, start.session.therapist_id if start.session else None)
    return replace(start, therapists=tuple(choices),
                   working=working_therapist_info(books).id) if choices else start


def _read_start(books: Books, client_id: int | None, session_id: int | None) -> Start:
    from ledger.billing.sessions import get_session, session_note
    from ledger.practice.catalogue import list_treatments
    from ledger.practice.clients import get_client

    if session_id is not None:
        editing = get_session(books, session_id)
        return Start(list_treatments(books), get_client(books, editing.client_id),
                     editing.treatment_id, editing, session_note(books, session_id))
    client = get_client(books, client_id) if client_id is not None else None
    return Start(list_treatments(books), client, last_treatment(books, client_id))


def last_treatment(books: Books, client_id: int | None) -> int | None:
    """The client's last treatment (or the practice's, before a client is chosen)."""
    from ledger.billing.sessions import list_sessions

    last = list_sessions(books, client_id, limit=1, newest_first=True)
    return last[0].treatment_id if last else None


def fitting_packages(books: Books, client_id: int, treatment_id: int, on: date
                     ) -> list[PackageInfo]:
    """The client's packages that can pay for this treatment on this day."""
    from ledger.billing.packages import packages_for_session

    return packages_for_session(books, client_id, treatment_id, on)


def saved_message(recorded: Recorded) -> str:
    session, package = recorded.session, recorded.package
    if package is not None:
        return _("{client}: {package} now {used} of {total} used, {left} left.").format(
            client=session.client_name, package=package.name, used=package.sessions_used,
            total=package.sessions_total, left=package.sessions_left)
    if session.billable_amount:
        return _("{client}: {amount} to invoice.").format(
            client=session.client_name, amount=money(session.billable_amount))
    return _("{client}: nothing to invoice.").format(client=session.client_name)
