"""Which open invoice(s) a payment received is for: pure rules, no database.

1. **Invoice numbers in the description** (in the practice's number pattern, e.g.
   ``2026-0001``; also typed as ``2026 0001`` or ``20260001``). When the amount equals what
   is open on the named invoice, or on all named invoices together, the match is
   *certain* (rule ``number``; ``bank import --yes`` books it). A smaller amount is a
   partial payment, a larger one leaves a remainder: both are proposed for review (rule
   ``number_part``).
2. **Amount and name**: an open invoice with exactly that amount open, whose client's
   name the payer's name resembles (accents, case, initials and particles forgiven).
3. **Amount only**, when exactly one open invoice has that amount open: proposed, with a
   note to check the payer.

Anything else is unmatched. An invoice dated after the line is never proposed
(:func:`ledger.billing.payments.may_pay_on`). What earlier lines (in this file or still
awaiting review) already propose for an invoice is subtracted from what is available on it.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache

from ledger.bank.notes import Joined
from ledger.base.errors import Phrase
from ledger.base.money import Amount
from ledger.base.text import search_key
from ledger.billing.payments import may_pay_on

PARTICLES = frozenset({
    "de", "der", "den", "van", "vd", "v", "het", "ter", "ten", "te", "in", "t", "op", "la",
    "le", "du", "da", "di", "von", "zu", "en", "eo", "e", "o", "hr", "dhr", "mw", "mevr",
    "mr", "mrs", "ms", "fam", "cj", "ch", "bv", "vof",
})


@dataclass(frozen=True)
class OpenInvoice:
    id: int
    number: str
    date: date
    client_name: str
    open: int  # cents still open, less what other lines already propose


@dataclass(frozen=True)
class Allocation:
    invoice_id: int
    number: str
    amount: int


@dataclass(frozen=True)
class Proposal:
    status: str  # proposed, unmatched
    rule: str  # number (certain), number_part, amount_name, amount, "" (unmatched)
    allocations: tuple[Allocation, ...] = ()
    certain: bool = False
    why: Phrase | None = None  # what is left for review (ledger.bank.notes)
    numbers: tuple[str, ...] = field(default=())  # invoice numbers named in the text

    @property
    def note(self) -> str:
        """The note in English."""
        return str(self.why) if self.why is not None else ""


_NOT_RECEIVED = Phrase("not money received")
_NO_MATCH = Phrase("no open invoice matches")


@lru_cache(maxsize=16)
def number_regex(pattern: str) -> re.Pattern[str]:
    """A regex that finds numbers of ``pattern`` (``{year}-{seq:04d}``) in free text.

    Separators in the pattern may be typed as a space, dot, slash or left out; letters
    match in any case. Groups ``year`` and ``seq`` give the parts back."""
    parts: list[str] = []
    for literal, name, spec, _conversion in string.Formatter().parse(pattern):
        for ch in literal:
            parts.append(re.escape(ch) if ch.isalnum() else r"[-\s./_]?")
        if name == "year":
            parts.append(r"(?P<year>(?:19|20)[0-9]{2})")
        elif name == "seq":
            width = re.search(r"(\d+)", spec or "")
            digits = max(int(width.group(1)) if width else 1, 1)
            parts.append(rf"(?P<seq>[0-9]{{{digits},}})")
    return re.compile(r"(?<![A-Za-z0-9])" + "".join(parts) + r"(?![0-9])", re.IGNORECASE)


def numbers_in(text: str, pattern: str) -> list[str]:
    """Invoice numbers (canonical form) mentioned in ``text``, in order, without repeats."""
    found: list[str] = []
    for m in number_regex(pattern).finditer(text):
        groups = m.groupdict()
        try:
            number = pattern.format(year=int(groups.get("year") or 0),
                                    seq=int(groups.get("seq") or 0))
        except (ValueError, KeyError):
            continue
        if number not in found:
            found.append(number)
    return found


@lru_cache(maxsize=4096)
def _tokens(name: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", search_key(name)))


@lru_cache(maxsize=8192)
def _letters(word: str) -> Counter[str]:
    return Counter(word)


def _like(a: str, b: str) -> bool:
    """Equal, or (both at least 4 letters) at most a small typo apart."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 2:
        return False  # the usual answer, cheaper than a cache (which would fill with it)
    return _close(a, b)


@lru_cache(maxsize=8192)
def _close(a: str, b: str) -> bool:
    """Words of about the same length: 85 % alike? (A payer's words meet the same
    surnames line after line: the answer is remembered.)"""
    if set(a).isdisjoint(b):
        return False
    # SequenceMatcher's quick_ratio (letters in common, in any order), without building
    # the matcher: most pairs stop here.
    if 2 * sum((_letters(a) & _letters(b)).values()) < 0.85 * (len(a) + len(b)):
        return False
    return SequenceMatcher(None, a, b).ratio() >= 0.85


@lru_cache(maxsize=4096)
def _client_parts(client: str) -> tuple[str, tuple[str, ...]] | None:
    """The client's surname (the last word that is not a particle) and the words before."""
    significant = [t for t in _tokens(client) if t not in PARTICLES]
    return (significant[-1], tuple(significant[:-1])) if significant else None


def name_matches(payer: str, client: str) -> bool:
    """Does the payer's name (as the bank shows it) look like the client's name?

    The client's surname (last word that is not a particle) must appear among the payer's
    words (small typos forgiven); a first name or initial, when the payer's name has one
    that is not a particle, must not contradict the client's."""
    words = _tokens(payer)
    parts = _client_parts(client)
    if not words or parts is None:
        return False
    surname, firsts = parts
    for word in words:  # (a loop: called for every open client on every unmatched line)
        if _like(surname, word):
            break
    else:
        return False
    others = [w for w in words if w not in PARTICLES and not _like(surname, w)]
    if not firsts or not others:
        return True
    return any(o[0] == f[0] for o in others for f in firsts)


def _by_number(line_amount: int, named: list[OpenInvoice], closed: list[str],
               numbers: tuple[str, ...]) -> Proposal:
    payable = [inv for inv in named if inv.open > 0]
    if not payable:
        return Proposal("unmatched", "", why=Phrase("nothing open on {numbers}",
                                                    numbers=", ".join(closed or numbers)),
                        numbers=numbers)
    total = sum(inv.open for inv in payable)
    if line_amount == total:
        return Proposal("proposed", "number", tuple(Allocation(i.id, i.number, i.open)
                                                    for i in payable), certain=True,
                        numbers=numbers)
    exact = [inv for inv in payable if inv.open == line_amount]
    if exact:
        inv = exact[0]
        return Proposal("proposed", "number_part", (Allocation(inv.id, inv.number, line_amount),),
                        why=Phrase("pays {number} only", number=inv.number), numbers=numbers)
    allocations: list[Allocation] = []
    left = line_amount
    for inv in sorted(payable, key=lambda i: (i.date, i.number)):
        part = min(left, inv.open)
        if part > 0:
            allocations.append(Allocation(inv.id, inv.number, part))
            left -= part
    if left > 0:
        why = Phrase("{amount} more than is open on {numbers}", amount=Amount(left),
                     numbers=", ".join(i.number for i in payable))
    else:
        open_on = {i.id: i.open for i in payable}
        parts = [Phrase("{amount} of {open} on {number}", amount=Amount(a.amount),
                        open=Amount(open_on[a.invoice_id]), number=a.number)
                 for a in allocations]
        why = Phrase("partial payment: {parts}", parts=Joined(parts))
    return Proposal("proposed", "number_part", tuple(allocations), why=why, numbers=numbers)


def propose(amount: int, payer: str, text: str, invoices: Iterable[OpenInvoice],
            issued: Iterable[str], pattern: str, paid_on: date | None = None) -> Proposal:
    """What a line of ``amount`` cents from ``payer`` with ``text``, booked on ``paid_on``,
    pays.

    ``invoices``: the open invoices (with what is still available on them); ``issued``:
    every issued invoice number, so that a number that is already paid is recognised."""
    if amount <= 0:
        return Proposal("unmatched", "", why=_NOT_RECEIVED)
    every = list(invoices)
    open_list = [inv for inv in every if paid_on is None or may_pay_on(inv.date, paid_on)]
    issued_set = issued if isinstance(issued, set | frozenset) else set(issued)
    numbers = tuple(n for n in numbers_in(text, pattern) if n in issued_set)
    if numbers:
        later = {inv.number for inv in every} - {inv.number for inv in open_list}
        by_number = {inv.number: inv for inv in open_list}
        named = [by_number[n] for n in numbers if n in by_number]
        if not named and later.intersection(numbers):
            return Proposal("unmatched", "", why=Phrase(
                "dated before the invoice date of {numbers}",
                numbers=", ".join(n for n in numbers if n in later)), numbers=numbers)
        closed = [n for n in numbers if n not in by_number or by_number[n].open <= 0]
        return _by_number(amount, named, closed, numbers)
    same = [inv for inv in open_list if inv.open == amount]
    same.sort(key=lambda i: (i.date, i.number))
    named_same = [inv for inv in same if name_matches(payer, inv.client_name)]
    if named_same:
        inv = named_same[0]
        why = None if len(named_same) == 1 else Phrase(
            "{count} open invoices of this client have this amount; the oldest was chosen",
            count=len(named_same))
        return Proposal("proposed", "amount_name", (Allocation(inv.id, inv.number, amount),),
                        why=why)
    if len(same) == 1:
        inv = same[0]
        return Proposal("proposed", "amount", (Allocation(inv.id, inv.number, amount),),
                        why=Phrase("amount only: check that {payer} pays for {client}",
                                   payer=payer or Phrase("the payer"),
                                   client=inv.client_name))
    clients = sorted(name for name in {inv.client_name for inv in open_list}
                     if name_matches(payer, name))
    if clients:
        return Proposal("unmatched", "", why=Phrase(
            "no open invoice of this amount; the payer looks like {clients}",
            clients=", ".join(clients)))
    if len(same) > 1:
        return Proposal("unmatched", "", why=Phrase("{count} open invoices have this amount",
                                                    count=len(same)))
    return Proposal("unmatched", "", why=_NO_MATCH)
