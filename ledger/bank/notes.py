"""A bank line's note: what the books say about a line (why nothing was matched, what is
left of it, that it was imported before), made from an English template and its values as
a refusal is (:mod:`ledger.base.errors`), so that each front end shows it in its reader's
language: ``Phrase("{amount} not allocated", amount=Amount(1250))`` is "€12.50 not
allocated" and "€ 12,50 niet toegewezen".

A stored line keeps its note twice: ``note``, the English sentence (what ``--json`` and
the audit trail show, as they did), and ``note_phrase``, the template and its values as
JSON (``{"t": template, "p": {name: value}}``; a value is a text, a number, an amount
``{"cents": n}``, a phrase, or a list ``{"list": [...], "sep": ", "}``). A note without
values needs no ``note_phrase``: its English sentence is its template, translated whole
("no open invoice matches"), as is the note of a line stored before notes had a phrase.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ledger.base.errors import N_, Localized, Phrase, SolebookError, phrase_of
from ledger.base.money import Amount

MAX_NOTE = 300  # bank_line.note

#: A stored line's status as the note of a line found again says it ("imported before
#: (booked)"): in English its code, as the note said before it was translated.
STATUS_WORDS = {"proposed": N_("proposed"), "unmatched": N_("unmatched"),
                "booked": N_("booked"), "debit": N_("debit"), "ignored": N_("ignored"),
                "other": N_("other")}


class Joined:
    """Values shown one after the other (``", "`` between), each in the note's language."""

    __slots__ = ("parts", "sep")

    def __init__(self, parts: Sequence[object], sep: str = ", ") -> None:
        self.parts, self.sep = tuple(parts), sep

    def text(self, language: str) -> str:
        return self.sep.join(p.text(language) if isinstance(p, Localized) else str(p)
                             for p in self.parts)

    def __str__(self) -> str:
        return self.text("en")


class Kept:
    """The notes of many lines (an import of tens of thousands): each different note
    written out (English, JSON) once and held once, whichever lines say it."""

    def __init__(self, limit: int = 4096) -> None:
        self._seen: dict[str, tuple[Phrase, str, str | None]] = {}
        self._limit = limit

    def keep(self, why: Phrase | None) -> tuple[Phrase | None, str, str | None]:
        """The note, as ``english`` and ``dump_note`` give it."""
        if why is None:
            return None, "", None
        stored = dump_note(why)
        key = stored if stored is not None else why.template
        kept = self._seen.get(key)
        if kept is None:
            kept = (why, english(why), stored)
            if len(self._seen) < self._limit:
                self._seen[key] = kept
        return kept


def english(phrase: Phrase | None) -> str:
    """The note as the line's ``note`` keeps it."""
    return str(phrase)[:MAX_NOTE] if phrase is not None else ""


def dump_note(phrase: Phrase | None) -> str | None:
    """The note as the line's ``note_phrase`` keeps it: None for a note without values
    (the usual ones, line after line), which its English sentence, the template itself,
    gives back whole (:func:`load_note`)."""
    if phrase is None or not phrase.params:
        return None
    return json.dumps(_encode(phrase), ensure_ascii=False, separators=(",", ":"))


def _encode(value: object) -> Any:
    if isinstance(value, SolebookError):
        value = phrase_of(value)
    if isinstance(value, Phrase):
        if not value.params:
            return {"t": value.template}
        return {"t": value.template, "p": {k: _encode(v) for k, v in value.params.items()}}
    if isinstance(value, Amount):
        return {"cents": value.cents}
    if isinstance(value, Joined):
        return {"list": [_encode(v) for v in value.parts], "sep": value.sep}
    if isinstance(value, str | int) and not isinstance(value, bool):
        return value
    return str(value)  # anything else as the English the message had


def load_note(stored: str | None, english_note: str) -> Phrase | None:
    """The note of a stored line: its phrase; for a line stored before notes had one (or
    a phrase that cannot be read), its English note."""
    if stored:
        try:
            phrase = _decode(json.loads(stored))
        except (ValueError, TypeError, KeyError, AttributeError):
            phrase = None
        if isinstance(phrase, Phrase):
            return phrase
    return Phrase(english_note) if english_note else None


def _decode(value: Any) -> object:
    if isinstance(value, dict):
        if "t" in value:
            return Phrase(str(value["t"]), **{str(k): _decode(v)
                                              for k, v in dict(value.get("p", {})).items()})
        if "cents" in value:
            return Amount(int(value["cents"]))
        if "list" in value:
            return Joined([_decode(v) for v in value["list"]], str(value.get("sep", ", ")))
    return value
