"""How an MT940 is read (ledger.bank.mt940): in pieces, the regular :61:/:86: pairs with the
library's own :61: tag, the rest by the library's loop after the statement's header. It
reads every file as the library reading each statement whole does (lines, keys,
identities, refusals), the same keys as the reader before it (so a file imported before is
recognised whole), and what it holds does not grow with the statement."""

from __future__ import annotations

import hashlib
import random
import re
import tracemalloc
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest

from ledger.bank import mt940 as reader
from ledger.bank.formats import Statement, keyed, read_statement
from ledger.bank.lines import StatementLine
from ledger.bank.mt940_lines import statement_account, transaction_line
from ledger.base.errors import InputError, Phrase
from tests.bank_samples import Tx
from tests.bank_samples_more import MORE, mt940_abnamro, mt940_ing

BANKS = sorted(name for name in MORE if name.startswith("mt940"))


def entries(count: int) -> tuple[Tx, ...]:
    """Entries of the kind tests/perf/bench_bank.py writes: one in ten pays an invoice,
    one in ten pays by amount, the rest other credits and debits over 320 days."""
    txs = []
    for n in range(count):
        day = date(2026, 1, 1) + timedelta(days=n % 320)
        iban = f"NL{n % 90 + 10:02d}INGB{n:010d}"
        if n % 10 == 0:
            txs.append(Tx(day, Decimal(6500 + n % 7) / 100, f"Client {n % 36}", iban,
                          f"factuur 2026-{n % 900:04d}", f"E{n}"))
        elif n % 10 == 1:
            txs.append(Tx(day, Decimal(6500) / 100, f"CLIENT {n % 36}", iban, "behandeling",
                          f"E{n}"))
        else:
            amount = Decimal((n * 37) % 20000 + 100) / 100
            txs.append(Tx(day, -amount if n % 3 else amount, f"Partij {n}", iban,
                          f"omschrijving {n}", f"E{n}"))
    return tuple(sorted(txs, key=lambda tx: tx.day))


def outcome(data: bytes) -> str:
    """The lines (count and a hash of every field, keys and identities included) or the
    refusal."""
    try:
        statement = read_statement(data)
    except InputError as exc:
        return "refused: " + exc.message
    return _digest(statement)


def _digest(statement: Statement) -> str:
    digest = hashlib.sha256()
    for x in statement.lines:
        digest.update(repr((x.import_key, x.identity, x.bank, x.account, x.booking_date,
                            x.value_date, x.amount, x.currency, x.counterparty_name,
                            x.counterparty_iban, x.description, x.bank_ref)).encode())
    return f"{len(statement.lines)} {digest.hexdigest()[:16]}"


#: What the reader before this one (mt940.parse_statements over each whole statement, at
#: commit 9f79d21) made of these files: a file it imported is recognised line by line.
BEFORE = {
    "mt940-abnamro": "5 df4a4965c5eee82d",
    "mt940-asn": "5 d35525bf73d4c768",
    "mt940-ing": "5 b2be7d5a36920e68",
    "mt940-knab": "5 f33e16351eb8d874",
    "mt940-rabobank": "5 5b042c5fb45cac98",
    "mt940-sns": "5 a3c4e5e8bb2e2fe9",
    "mt940-triodos": "5 74ce51024cb9310a",
    "ing-marks": "5 5c6d6555d2d869e5",
    "ing-bom-crlf": "5 b2be7d5a36920e68",
    "mt940-abnamro-2000": "2000 5fbd70149a0e9a67",
    "mt940-knab-2000": "2000 12e200d5037f9feb",
    "mt940-rabobank-300": "300 ee6a7041b997d1fd",
    "mt940-ing-300": "300 d3715d0543a3b0ad",
    "mt940-asn-300": "300 04d6ad3ad073457b",
}


def samples() -> Iterator[tuple[str, bytes]]:
    for name in BANKS:
        yield name, MORE[name]()
    yield "ing-marks", mt940_ing().replace(b"C130,00NTRF", b"RD130,00NTRF").replace(
        b"C100,00NTRF", b"RC100,00NTRF")
    yield "ing-bom-crlf", b"\xef\xbb\xbf" + mt940_ing().replace(b"\n", b"\r\n")
    yield "mt940-abnamro-2000", mt940_abnamro(entries(2000))
    yield "mt940-knab-2000", MORE["mt940-knab"](entries(2000))
    for bank in ("rabobank", "ing", "asn"):
        yield f"mt940-{bank}-300", MORE[f"mt940-{bank}"](entries(300))


def test_keys_and_identities_are_those_of_the_reader_before() -> None:
    got = dict((name, outcome(data)) for name, data in samples())
    assert got == BEFORE


# ------------------------------------------------------------------ the library alone
def _library_alone(text: str) -> Iterator[StatementLine]:
    """The oracle: each statement read whole by mt940.parse_statements, as the reader
    before this one did."""
    import mt940

    text = re.sub(r"(?m)^(:61:\d{6}(?:\d{4})?R?[CD][A-Z]?)-", r"\1", text.replace("\r\n", "\n"))
    options = mt940.Options(reversal_sign=True, case_insensitive_marks=True,
                            unbounded_details=True, strip_bom=True, merge_keeps_values=True)
    asn: mt940.tags.Tag = mt940.tags.StatementASNB()
    tags = {asn.id: asn} if re.search(r"(?m)^:25:\s*NL\d\dASNB", text) else None
    blocks = [b for b in re.split(r"(?m)^(?=:20:)", text.removeprefix("\ufeff"))
              if b.strip().startswith(":20:")]
    if not blocks:
        raise InputError("file", "MT940: no statement (:20:) in the file")
    for number, block in enumerate(blocks, start=1):
        try:
            statement, = mt940.parse_statements(block, options=options, tags=tags)
        except (RuntimeError, ValueError, ArithmeticError, KeyError, IndexError, TypeError,
                AttributeError) as exc:
            raise reader._refusal(text, exc) from None
        account = statement_account(str(statement.data.get("account_identification") or ""))
        for transaction in statement.transactions:
            yield transaction_line(transaction.data, account,
                               Phrase("statement {number}", number=number))


def _oracle(data: bytes) -> str:
    text = data.decode("utf-8-sig", errors="replace").lstrip("\ufeff \t\r\n")
    try:
        return _digest(Statement("mt940", tuple(keyed(_library_alone(text)))))
    except InputError as exc:
        return "refused: " + exc.message


def _damaged(rng: random.Random, data: bytes) -> bytes:
    """``data`` with one to three small changes of the kind that moves the reader off its
    regular pairs: a tag, a line break, a debit mark, German ``?`` details, a stray
    colon, a :25: or a balance in the middle, a line cut."""
    pieces = [b":", b"\n", b"\r\n", b"-", b"?", b"1", b"C", b"D", b"RC", b" ", b":61:",
              b":86:", b":25:", b":62M:", b":60M:C260101EUR5,00", b"\n:61:2601010101C1,00",
              b"\n:86:", b"\n-\n", b"\n:NS:22x", b"123?20", b"\n:\n61:", b"\n:25:NL91X"]
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(out))
        what = rng.random()
        if what < 0.4:
            out[at:at] = rng.choice(pieces)
        elif what < 0.7:
            del out[at:at + rng.randint(1, 6)]
        else:
            out[at:at + 1] = rng.choice(pieces)
    return bytes(out)


def irregular(data: bytes, every: int = 1, tags: bytes = b":NS:22extra") -> bytes:
    """``data`` with ``tags`` after every ``every``-th :86: (by default a :NS: line, which
    the library reads into the transaction): the pairs are no longer regular, so the
    library reads the rest."""
    parts = data.split(b"\r\n:61:")
    return b"\r\n:61:".join(part + (b"\r\n" + tags if n % every == 0 and n else b"")
                              for n, part in enumerate(parts))


@pytest.mark.parametrize("chunk", [1, 300])
def test_read_in_pieces_as_the_library_reads_each_statement_whole(
        monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    """Pieces of one pair (chunk 1) or a few, on every bank's file, intact, irregular
    (German ``?`` details, :61: lines without details, another tag between the pairs, a
    balance in the middle) and damaged: the same lines, keys and refusals as the library
    reading each statement whole."""
    monkeypatch.setattr(reader, "CHUNK", chunk)
    rng = random.Random(chunk)
    files = [MORE[name](entries(12)) for name in BANKS]
    abn = mt940_abnamro(entries(40))
    odd = [irregular(abn), irregular(abn, 7), abn.replace(b":86:/TRTP", b":86:123?20/TRTP"),
           re.sub(rb":86:[^:]*", b"", abn, count=20),
           irregular(abn, 15, b":62M:C260301EUR1,00\r\n:60M:C260301EUR1,00"),
           irregular(abn, 15, b":62M:C260301USD1,00\r\n:60M:C260301USD1,00")]
    cases = [*files, *odd, *(_damaged(rng, files[i % len(files)]) for i in range(150))]
    refused = 0
    for data in cases:
        expected = _oracle(data)
        assert outcome(data) == expected, data
        refused += expected.startswith("refused")
    assert 10 < refused < len(cases) - 10  # both kinds were tried


# ----------------------------------------------------------------------------- memory
def _peak_of_reading(count: int, regular: bool) -> int:
    """The most memory reading a one-statement file of ``count`` entries takes on top of
    its text, the lines let go as they come."""
    data = mt940_abnamro(entries(count))
    text = (data if regular else irregular(data)).decode()
    tracemalloc.start()
    try:
        lines = 0
        for _line in reader.iter_mt940(text):
            lines += 1
        assert lines == count
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("regular", [True, False])
def test_reading_a_long_statement_holds_what_a_short_one_holds(regular: bool) -> None:
    """A statement four times as long takes about as much memory to read, not four times
    as much (which it took when the library was handed each statement whole and held
    all its transactions: 3.0 and 11.8 MB here), whether its pairs are read with the
    library's :61: tag or, irregular, by the library's loop a piece at a time."""
    short, long = _peak_of_reading(1500, regular), _peak_of_reading(6000, regular)
    assert long < short * 1.5, (short, long)


# ------------------------------------------------------------ read from the file's bytes
def _names_beyond_latin1(count: int) -> tuple[Tx, ...]:
    names = ("Łukasz Wiśniewski", "Nguyễn Thị Hồng", "Zoë Brontë", "Çelik Öztürk")
    return tuple(Tx(tx.day, tx.amount, f"{names[n % 4]} {n}", tx.iban,
                    f"{tx.text} – €", tx.ref) for n, tx in enumerate(entries(count)))


def _by_text(data: bytes, encoding: str) -> str:
    """What reading the decoded text (as the reader did before it read the bytes) gives."""
    text = data.decode(encoding, "replace").lstrip("\ufeff \t\r\n")
    try:
        return _digest(Statement("mt940", tuple(keyed(reader.iter_mt940(text)))))
    except InputError as exc:
        return "refused: " + exc.message


@pytest.mark.parametrize("make", ["abnamro", "ing", "triodos", "rabobank", "knab", "sns"])
def test_a_file_with_characters_beyond_latin1_reads_as_its_text(make: str) -> None:
    """An MT940 is read from its bytes (one character each) and decoded a piece at a time:
    in UTF-8 (with a byte-order mark and blank lines in front, CRLF) and in cp1252, intact
    and damaged, the same lines, keys and refusals (with their line) as its text."""
    utf8 = MORE[f"mt940-{make}"](_names_beyond_latin1(60))
    assert re.search(rb"[\xc4-\xe1][\x80-\xbf]", utf8)  # two- and three-byte characters
    cp1252 = utf8.decode().encode("cp1252", "replace")
    files = [(utf8, "utf-8-sig"), (b"\xef\xbb\xbf\r\n \r\n" + utf8.replace(b"\n", b"\r\n"),
                                    "utf-8-sig"),
             (cp1252, "cp1252"), (b"\r\n" + cp1252, "cp1252")]
    rng = random.Random(make)
    files += [(_damaged(rng, data), encoding) for data, encoding in files for _ in range(6)]
    for data, encoding in files:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:  # a damage that cut a character: read as cp1252
            encoding = "cp1252"
        assert outcome(data) == _by_text(data, encoding), data[:200]
    assert outcome(files[0][0]) == _oracle(files[0][0])


def test_while_it_is_read_an_mt940_holds_its_bytes_not_a_text_twice_their_size() -> None:
    """A name beyond Latin-1 makes Python hold a text in two bytes a character: what an
    MT940 is read from is its bytes (one character each), about the size of the file."""
    from ledger.bank.formats import statement_lines

    data = mt940_abnamro(_names_beyond_latin1(8000))
    assert len(data.decode()) * 2 > len(data) * 1.8  # what its text would take
    tracemalloc.start()
    try:
        _fmt, lines = statement_lines(data)
        next(lines)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held < len(data) * 1.3, (held, len(data))  # the text would take over 1.8
