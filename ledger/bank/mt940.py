"""SWIFT MT940 statements (and "MT940 structured") of the Dutch banks, read with the
``mt-940`` library (PyPI ``mt-940``, module ``mt940``): ABN AMRO, Rabobank, ING, Triodos,
SNS/RegioBank, ASN and Knab.

The library reads the tags (``:25:`` account, ``:61:`` statement line with its ``C``/``D``/
``RC``/``RD`` mark, ``:86:`` details); a file may hold several statements (each from
``:20:``). What each transaction says (the banks' ``:86:`` variants: payer,
counter-account, reference, text) is :mod:`ledger.bank.mt940_lines`.

A large statement is read in pieces of about :data:`CHUNK` characters, so that what its
reading holds does not grow with it (:func:`iter_mt940`): the run of regular
``:61:``/``:86:`` pairs that is nearly all of it pair by pair with the library's own
``:61:`` tag and processors, the rest by the library's loop over the tags with the
statement's header in front. Every file is read as the library reading each statement
whole reads it: the same lines, import keys and refusals.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from itertools import chain
from typing import TYPE_CHECKING, Any

from ledger.bank.lines import FIELD, StatementLine
from ledger.bank.mt940_lines import DAYS_KEPT, statement_account, transaction_line
from ledger.base.errors import InputError, Phrase

if TYPE_CHECKING:
    import mt940

# The library logs every tag it cannot read (with the value) at ERROR; the one line of
# the refusal says it instead, so nothing else reaches the terminal.
_log = logging.getLogger("mt940")
_log.addHandler(logging.NullHandler())
_log.propagate = False

#: ASN's account (its :61: lines carry the counter-IBAN): ``(?m)^`` + this.
_ASN = re.compile(r":25:\s*NL\d\dASNB")
#: A ``-`` after the debit mark of a :61: (Knab); dropped where the line starts with the
#: :61: (without ``(?m)^``, which would make the search try every position of the text).
_DEBIT_MARK = re.compile(r":61:\d{6}(?:\d{4})?R?[CD][A-Z]?-")


def looks_like_mt940(text: str) -> bool:
    return bool(re.search(r"(?m)^:20:", text) and re.search(r"(?m)^:(25|61):", text))


def _line_of(text: str, value: str) -> int:
    at = text.find(value[:40]) if value else -1
    return text.count("\n", 0, at) + 1 if at >= 0 else 0


def _refusal(text: str, exc: Exception) -> InputError:
    value = str(exc.args[2]) if len(exc.args) > 2 else ""
    tag = str(getattr(exc.args[1], "id", "")) if len(exc.args) > 1 else ""
    number = _line_of(text, value)
    where = Phrase("line {number}", number=number) if number else Phrase("a statement")
    if tag:
        return InputError(FIELD, "MT940: {where}: the :{tag}: field cannot be read (damaged "
                                 "or cut off)", where=where, tag=tag)
    return InputError(FIELD, "MT940: {where}: a field cannot be read (damaged or cut off)",
                      where=where)


def read_mt940(text: str) -> list[StatementLine]:
    return list(iter_mt940(text))


class _Text:
    """A statement file's text as its structure is found in it (``raw``) and as it is
    read (:meth:`real`). ``raw`` is the text itself, or, given its ``encoding``, the
    file's bytes as one character each (Latin-1): half the memory of a text that holds
    one character beyond Latin-1 (a Polish or Vietnamese name makes Python keep every
    character of a text in two bytes). The tags, line ends and the places the reader
    cuts at are ASCII, which no byte of a longer UTF-8 or cp1252 character is, so they
    are found at the same places; what is read is decoded a piece at a time."""

    __slots__ = ("encoding", "raw")

    def __init__(self, raw: str, encoding: str | None = None) -> None:
        self.raw, self.encoding = raw, encoding

    def real(self, start: int = 0, end: int | None = None) -> str:
        """The text of ``raw[start:end]`` (cut where an ASCII character starts)."""
        part = self.raw[start:end]
        if self.encoding is None:
            return part
        return part.encode("latin-1").decode(self.encoding, "replace")


#: A ``:61:`` with its ``:86:`` as the library sees them (its lines stripped), followed by
#: the next ``:61:``: every other line of the two starts with something else than ``:``, so
#: no other tag hides in them, and the ``:86:`` is not the German ``123?20`` structure that
#: the library's post-processor takes apart. Only these pairs are read without the
#: library's own loop over the tags (see :func:`_pairs`).
_PAIR = re.compile(r":61:([^\n]*(?:\n[^:\n][^\n]*)*)\n:86:(?![\d\s]*\?)"
                   r"([^\n]*(?:\n[^:\n][^\n]*)*)\n(?=:61:)")
#: Where the library's stripping of the lines (``\r`` out, trailing white space, blank
#: lines and ``-`` lines dropped) could make a line start with its account tag (``:25:``,
#: also as ``:`` on a line of its own): more than that, never less (also in a file's
#: bytes as Latin-1, where white space beyond ASCII is some of \x80-\xff).
_LATE_ACCOUNT = re.compile(r"\n\r*:[\s\-\x80-\xff]*2\r*5")


def _options() -> mt940.Options:
    import mt940

    return mt940.Options(reversal_sign=True, case_insensitive_marks=True,
                         unbounded_details=True, strip_bom=True, merge_keeps_values=True)


_NONE = object()


class _DayKept:
    """The library's ``:61:`` tag (plain or ASN's) that reads each day once: its dates are
    what the library made of the same value, entry and year digits the first time in the
    file (the February fix-up of its pre-processor included; at most :data:`DAYS_KEPT`
    days); the amount, the currency and the groups are the library's for every line.
    Given to the library through its ``tags`` argument (the way it takes the tags of other
    banks), so that its own loop uses it as well."""

    _days: dict[tuple[object, ...], tuple[object, object]]
    _amount: type[mt940.models.Amount]  # the library's

    def parse(self, transactions: mt940.models.Transactions, value: str) -> dict[str, Any]:
        """The library's match, without its debug log of every value; a value that does
        not match goes to the library's own ``parse`` (its log and its error)."""
        found = self.re.match(value)  # type: ignore[attr-defined]
        if found is None:
            return super().parse(transactions, value)  # type: ignore[misc]
        return found.groupdict()

    def __call__(self, transactions: mt940.models.Transactions,
                 value: dict[str, Any]) -> dict[str, Any]:
        key = (value.get("year"), value.get("month"), value.get("day"),
               value.get("entry_month"), value.get("entry_day"))
        known = self._days.get(key)
        if known is None:
            data: dict[str, Any] = super().__call__(transactions, value)  # type: ignore[misc]
            if len(self._days) < DAYS_KEPT:
                self._days[key] = (data["date"], data.get("entry_date", _NONE))
            return data
        # What mt940.tags.Statement.__call__ does, the two dates taken from the first time.
        if "currency" not in value:
            value["currency"] = transactions.currency
        value["amount"] = self._amount(**value, options=transactions.options)
        value["date"], entry = known
        if entry is not _NONE:
            value["entry_date"] = value["guessed_entry_date"] = entry
        return value


def _statement_tag(asn: bool) -> mt940.tags.Statement:
    import mt940

    base = mt940.tags.StatementASNB if asn else mt940.tags.Statement
    # The library finds a tag's processors by its class name ("Statement..." -> statement).
    tag_class = type(base.__name__, (_DayKept, base), {})
    tag: mt940.tags.Statement = tag_class()
    tag._days = {}  # type: ignore[attr-defined]
    tag._amount = mt940.models.Amount  # type: ignore[attr-defined]
    return tag


def iter_mt940(text: str, encoding: str | None = None) -> Iterator[StatementLine]:
    """The lines of an MT940 file, one statement (``:20:``) after the other, yielded as
    they are read: neither the file's transactions nor one statement's are ever in memory
    side by side, and each line is let go by the reader once it is yielded. ``text``:
    the file's text; or, given the ``encoding`` it is written in, its bytes decoded as
    Latin-1 (one character per byte, see :class:`_Text`).

    Each statement is read as ``mt940.parse_statements`` reads it (its split at ``:20:``,
    its line stripping, its tags), in pieces (:func:`_statement`). The run of regular
    ``:61:``/``:86:`` pairs in the middle, which is nearly all of a large statement, is
    read pair by pair with the library's own ``:61:`` tag and processors (:func:`_pairs`);
    what follows the run (the last pair, the closing balances, anything irregular) by the
    library's loop over the tags, a piece at a time with the header in front."""
    source = _Text(text.removeprefix("\ufeff" if encoding is None else "\xef\xbb\xbf"),
                   encoding)
    del text
    tags: dict[int | str, mt940.tags.Tag] = {61: _statement_tag(asn=_is_asn(source))}
    starts = _line_starts(source.raw, ":20:")
    if not starts:
        raise InputError(FIELD, "MT940: no statement (:20:) in the file")
    for number, start in enumerate(starts, start=1):
        end = starts[number] if number < len(starts) else len(source.raw)
        yield from _statement(source, start, end, number, tags)


def _line_starts(text: str, tag: str) -> list[int]:
    """Where a line starts with ``tag`` (``(?m)^:20:``: where ``mt940.parse_statements``
    splits the statements, after it drops a byte-order mark), found without a regular
    expression that would try every position of a large file."""
    found = [0] if text.startswith(tag) else []
    at = text.find("\n" + tag)
    while at >= 0:
        found.append(at + 1)
        at = text.find("\n" + tag, at + 1)
    return found


def _is_asn(source: _Text) -> bool:
    """Is it ASN's MT940 (``(?m)^:25:\\s*NL\\d\\dASNB``)?"""
    return any(_ASN.match(source.real(at, at + 1024))
               for at in _line_starts(source.raw, ":25:"))


def _normal(text: str) -> str:
    """The text as the old reader handed it to the library: CRLF as LF, a ``-`` written
    after the debit mark dropped (Knab)."""
    return _DEBIT_MARK.sub(_without_mark, text.replace("\r\n", "\n"))


def _without_mark(found: re.Match[str]) -> str:
    at = found.start()
    return found.group()[:-1] if at == 0 or found.string[at - 1] == "\n" else found.group()


def _stripped(text: str) -> str:
    """``text`` (whole lines) as the library reads it: its own stripping of the lines."""
    import mt940

    return "\n".join(mt940.models.Transactions.strip(_normal(text).split("\n")))


#: How much of a statement is stripped and read at a time (whole pairs, about 400 of the
#: ABN AMRO kind): what a statement's reading holds does not grow with the statement.
CHUNK = 1 << 16


def _statement(source: _Text, start: int, end: int, number: int,
               tags: dict[int | str, mt940.tags.Tag]) -> Iterator[StatementLine]:
    """The lines of the statement ``source.raw[start:end]``, read in pieces (:func:`_pieces`):
    the regular pairs with the library's :61: tag (:func:`_pairs`), from the first other
    one on by the library, a piece at a time with the header in front
    (:func:`_library_pieces`)."""
    import mt940

    where = Phrase("statement {number}", number=number)
    text = source.raw
    cut = text.find("\n:61:", start, end) + 1
    # The statement's data (account, currency, reference) is its header's as long as
    # only pairs follow: they hold no other tag. A :25: after the header (or what
    # stripping could make one) would change the account of every line: read by the
    # library as a whole then.
    if cut and not _LATE_ACCOUNT.search(text, cut, end):
        header = mt940.models.Transactions(tags=tags, options=_options())
        head = _stripped(source.real(start, cut))
        _parse(source, header, head)
        if not header.transactions:
            account = statement_account(str(header.data.get("account_identification") or ""))
            pieces = _pieces(source, cut, end)
            for piece, last in pieces:
                # The next piece starts with a :61:, so a pair may end here: say so.
                scanned = piece if last else piece + "\n:61:"
                at = 0
                for data, reached in _pairs(source, header, scanned, 0):
                    at = reached
                    yield transaction_line(data, account, where)
                if last or at < len(piece) + 1:
                    yield from _library_pieces(source, head, header.data,
                                               chain([(piece[at:], last)], pieces), tags,
                                               where)
                    return
    yield from _library(source, _stripped(source.real(start, end)), tags, where)


def _pieces(source: _Text, cut: int, end: int) -> Iterator[tuple[str, bool]]:
    """``source.raw[cut:end]`` (from a line that starts with :61:) in pieces of about
    :data:`CHUNK` characters, each cut where a line starts with :61: and stripped as the
    library strips (line by line, so the pieces stripped one by one are the whole
    stripped), each with whether it is the last."""
    while cut < end:
        following = source.raw.find("\n:61:", cut + CHUNK, end) + 1 or end
        yield _stripped(source.real(cut, following)), following == end
        cut = following


def _library_pieces(source: _Text, head: str, data: dict[str, Any],
                    pieces: Iterator[tuple[str, bool]], tags: dict[int | str, mt940.tags.Tag],
                    where: Phrase) -> Iterator[StatementLine]:
    """The lines of ``pieces`` (stripped, each from a :61:) as the library reads them
    after the statement's header ``head`` (whose data is ``data``), one piece at a time.
    A piece read on its own is read as in the whole when it leaves the statement's data
    as the header made it (no balance, account or reference in between: the next piece's
    :61: lines are read with them) and its last transaction has its type (the library
    would merge the next :61: into one without); where that is not so, the rest from that
    piece on is read in one go."""
    import mt940

    for piece, last in pieces:
        statement = mt940.models.Transactions(tags=tags, options=_options())
        _parse(source, statement, head + "\n" + piece)
        if not last and not (statement.data == data and statement.transactions
                             and statement.transactions[-1].data.get("id")):
            del statement
            rest = "\n".join([piece, *(following for following, _last in pieces)])
            yield from _library(source, head + "\n" + rest, tags, where)
            return
        yield from _lines_of(statement, where)


def _library(source: _Text, statement_text: str, tags: dict[int | str, mt940.tags.Tag],
             where: Phrase) -> Iterator[StatementLine]:
    """The lines of (part of) a statement as the library's loop over its tags reads them
    in one go."""
    import mt940

    statement = mt940.models.Transactions(tags=tags, options=_options())
    _parse(source, statement, statement_text)
    del statement_text
    yield from _lines_of(statement, where)


def _lines_of(statement: mt940.models.Transactions, where: Phrase) -> Iterator[StatementLine]:
    """The lines of what the library read; each transaction let go as it becomes one."""
    account = statement_account(str(statement.data.get("account_identification") or ""))
    pending = statement.transactions[::-1]
    statement.transactions = []
    while pending:
        yield transaction_line(pending.pop().data, account, where)


def _parse(source: _Text, statement: mt940.models.Transactions, block: str) -> None:
    """The library's own loop over the tags of ``block``, a refusal if one is damaged."""
    try:
        statement.parse(block)
    except _LIBRARY_ERRORS as exc:
        raise _refusal(_normal(source.real()), exc) from None


_LIBRARY_ERRORS = (RuntimeError, ValueError, ArithmeticError, KeyError, IndexError, TypeError,
                   AttributeError)


def _pairs(source: _Text, statement: mt940.models.Transactions, stripped: str,
           at: int) -> Iterator[tuple[dict[str, Any], int]]:
    """The regular ``:61:``/``:86:`` pairs from ``at`` on, each as the library's loop
    would make its transaction (its ``:61:`` tag, pre- and post-processors, the ``:86:``
    as its details), with where the next pair starts. Stops before the first pair that
    is not regular, before a ``:61:`` without the transaction type (the library would
    merge the next ``:61:`` into it) and before the statement's last ``:61:``."""
    tag = statement.tags[61]
    currency = statement.currency  # what the tag would ask for each line: the header's
    before = statement.processors.get("pre_statement", [])
    after = statement.processors.get("post_statement", [])
    while True:
        pair = _PAIR.match(stripped, at)
        if pair is None:
            return
        value, details = pair.group(1, 2)
        try:
            found = tag.parse(statement, value.strip())
            found.setdefault("currency", currency)
            for processor in before:
                found = processor(statement, tag, found)
            data = tag(statement, found)
            for post in after:
                data = post(statement, tag, found, data)
        except _LIBRARY_ERRORS as exc:
            raise _refusal(_normal(source.real()), exc) from None
        if not data.get("id"):
            return
        data["transaction_details"] = details.strip()
        at = pair.end()
        yield data, at
