"""The practice's own bank accounts: which statement lines are the practice's money.

The accounts are the practice's IBAN (the one on its invoices) and the IBANs in the
setting ``bank_accounts`` (a second account, a savings account). A statement line of any
other account (a CAMT file that also holds a private account, a partner's statement) is
stored with status ``other``: shown apart, never matched or booked. Adding that account
later turns its lines into lines to review. When no account is known at all (no IBAN in
the profile, none added) every line counts as the practice's.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.bank.formats import account_number
from ledger.base.codes import BankLineStatus
from ledger.base.errors import N_
from ledger.base.forms import Field
from ledger.base.identifiers import parse_iban
from ledger.books import Books
from ledger.practice.profile import get_setting, practice_info
from ledger.store.models import Setting
from ledger.store.models.paid import BankLine

SETTING = "bank_accounts"
FIELD = N_("bank accounts")


def parse_accounts(text: str, field: str = FIELD) -> list[str]:
    """``NL91 ABNA 0417 1643 00, NL20INGB0001234567`` -> checked compact IBANs (no
    repeats); an empty text is no extra accounts."""
    found: list[str] = []
    for part in re.split(r"[,;\n]+", text or ""):
        if part.strip():
            iban = parse_iban(part, field)
            if iban not in found:
                found.append(iban)
    return found


#: The added accounts as a form field (the settings screen): checked, one text.
ACCOUNTS_FIELD = Field(FIELD, lambda raw, label: ", ".join(parse_accounts(raw, label)))


def extra_accounts(session: Session) -> list[str]:
    return [a for a in get_setting(session, SETTING).split(",") if a]


def own_accounts(session: Session) -> list[str]:
    """The practice's IBAN first, then the added accounts."""
    iban = practice_info(session).iban
    accounts = [iban] if iban else []
    return accounts + [a for a in extra_accounts(session) if a not in accounts]


def own_numbers(session: Session) -> frozenset[str]:
    return frozenset(account_number(a) for a in own_accounts(session))


def is_own(account: str, numbers: frozenset[str]) -> bool:
    """A line is the practice's when its account is one of them (or none is known)."""
    return not numbers or not account or account_number(account) in numbers


def get_own_accounts(books: Books) -> list[str]:
    with books.db.read() as session:
        return own_accounts(session)


def set_extra_accounts(books: Books, text: str) -> list[str]:
    """Store the added accounts (replacing the list); lines of an account that is now the
    practice's become lines to review. One transaction. Returns all own accounts."""
    accounts = parse_accounts(text)
    with books.db.write() as session:
        row = session.get(Setting, SETTING)
        if row is None:
            session.add(Setting(key=SETTING, value=",".join(accounts)))
        else:
            row.value = ",".join(accounts)
        session.flush()
        numbers = own_numbers(session)
        others = select(BankLine).where(BankLine.status == BankLineStatus.OTHER)
        for line in session.scalars(others):
            if is_own(line.account, numbers):
                line.status = (BankLineStatus.DEBIT if line.amount_cents <= 0
                               else BankLineStatus.UNMATCHED)
                line.note, line.note_phrase = "", None
        return own_accounts(session)
