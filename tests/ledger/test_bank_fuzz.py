"""Hostile and damaged statement files: truncated, shuffled, re-encoded and random
variants of every format (seeded, so a failure can be repeated). Each is read or refused
with one line that names the file's problem, never an internal exception text, and a
refused import stores nothing."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from ledger.bank.formats import read_statement
from ledger.bank.importing import import_statement
from ledger.base.errors import InputError
from ledger.store.models.paid import BankImport, BankLine
from tests.bank_samples import FORMATS
from tests.bank_samples_more import MORE

ALL = {**FORMATS, **MORE}
INTERNAL = ("field larger than field limit", "new-line character", "OverflowError",
            "Traceback", "RuntimeError", "Unable to parse", "object has no attribute",
            "codec can't", "int too large", "Error:", "line contains NUL")


def _variants(data: bytes, rng: random.Random) -> list[bytes]:
    lines = data.splitlines(keepends=True)
    shuffled = lines[:]
    rng.shuffle(shuffled)
    noisy = bytearray(data)
    for _ in range(8):
        noisy[rng.randrange(len(noisy))] = rng.randrange(256)
    return [
        data[: rng.randrange(1, len(data))],  # truncated anywhere
        data[: len(data) // 2],
        b"".join(shuffled),
        bytes(noisy),
        data.decode("latin-1").encode("utf-16"),  # re-encoded
        data.replace(b"\n", b"\r"),
        rng.randbytes(rng.randrange(1, 2000)),
        data[:200] + b'"' + b"x" * 300_000 + b'"\n',  # a 300 KB quoted field
        data.replace(b"130", b"99999999999999999999", 1),
        data.replace(b"130", b"130000000", 1),  # above EUR 10.000.000
    ]


def _check(exc: InputError) -> None:
    assert "\n" not in exc.message, exc.message
    assert exc.message.startswith("file: "), exc.message
    for text in INTERNAL:
        assert text not in exc.message, exc.message


@pytest.mark.parametrize("name", sorted(ALL))
def test_damaged_variants_get_one_clear_line(name: str) -> None:
    rng = random.Random(f"fuzz-{name}")
    for data in _variants(ALL[name](), rng):
        try:
            statement = read_statement(data)
        except InputError as exc:
            _check(exc)
        else:
            for line in statement.lines:
                assert abs(line.amount) <= 1_000_000_000


def test_amount_above_ten_million_is_refused() -> None:
    with pytest.raises(InputError) as refused:
        read_statement(FORMATS["ing-semicolon"]().replace(b'"130,00"', b'"10000000,01"'))
    assert "more than € 10.000.000" in refused.value.message
    assert "line 2" in refused.value.message


def test_broken_mt940_is_refused_naming_mt940() -> None:
    data = MORE["mt940-abnamro"]().replace(b":61:261120", b":61:26x120", 1)
    with pytest.raises(InputError) as refused:
        read_statement(data)
    assert refused.value.message == ("file: MT940: line 8: the :61: field cannot be read "
                                     "(damaged or cut off)")


@pytest.mark.sqlite_only
def test_refused_import_stores_nothing_and_names_the_file(
        runner_practice: dict[str, Any], tmp_path: Path) -> None:
    books = runner_practice["books"]
    rng = random.Random(7)

    def stored() -> tuple[int, int]:
        with books.db.read() as session:
            return (int(session.scalar(select(func.count()).select_from(BankImport)) or 0),
                    int(session.scalar(select(func.count()).select_from(BankLine)) or 0))

    refusals = 0
    for name in ("camt053-08", "mt940-ing", "rabobank", "triodos", "knab"):
        path = tmp_path / f"{name}.dat"
        path.write_bytes(ALL[name]()[:-60] + b'\x00"' + rng.randbytes(40))
        before = stored()
        try:
            import_statement(books, path)
        except InputError as exc:
            refusals += 1
            _check(exc)
            assert path.name in exc.message
            assert stored() == before
    assert refusals >= 3
    with pytest.raises(InputError) as refused:
        import_statement(books, "/dev/zero")
    assert "not a regular file" in refused.value.message
