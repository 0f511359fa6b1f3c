"""Every parser, given arbitrary, hostile or huge text, refuses with one short printable
line (an InputError) and never anything else."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.base import identifiers, parse
from ledger.base.errors import InputError
from ledger.base.identifiers import (
    parse_agb,
    parse_email,
    parse_iban,
    parse_kvk,
    parse_performance_code,
    parse_phone,
    parse_postcode,
    parse_vat_id,
)
from ledger.base.parse import (
    parse_amount,
    parse_choice,
    parse_date,
    parse_int,
    parse_language,
    parse_name,
    parse_text,
    parse_time,
    parse_vat_rate,
)
from tests.ledger.test_parse import TODAY

# ---------------------------------------------------------------- arbitrary input

PARSERS: list[Callable[[str], object]] = [
    parse_amount,
    lambda t: parse_amount(t, allow_negative=True, allow_zero=False),
    lambda t: parse_date(t, today=TODAY),
    parse_time,
    lambda t: parse_int(t, "n", minimum=0, maximum=10),
    parse_vat_rate,
    parse_iban,
    parse_kvk,
    parse_vat_id,
    parse_postcode,
    lambda t: parse_postcode(t, country="BE"),
    parse_email,
    parse_phone,
    parse_agb,
    parse_performance_code,
    parse_language,
    parse_name,
    lambda t: parse_text(t, "notes"),
    lambda t: parse_text(t, "city", allow_newlines=False, required=True),
    lambda t: parse_choice(t, "regime", {"kor": "kor"}),
]


def _only_input_errors(text: str) -> None:
    for parser in PARSERS:
        try:
            parser(text)
        except InputError as error:
            message = str(error)
            assert message.isprintable(), message
            assert len(message) < 200, message


@pytest.mark.parametrize(
    "text",
    [
        "\ud800",  # a lone surrogate, as a broken paste can produce
        "\u202e65,00",  # right-to-left override
        "\u0665\u0666",  # Arabic-Indic digits
        "<img src='http://example.org/x.png'/>",
        "\x1b[2J\x1b[H",  # terminal escape sequence
        "1\n2",
        "\x00",
        "\ufeff",
    ],
)
def test_parsers_raise_only_input_errors_on_nasty_text(text: str) -> None:
    _only_input_errors(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parsers_raise_only_input_errors(text: str) -> None:
    _only_input_errors(text)


TRICKY = st.sampled_from(
    ["1", "9", ",", ".", "-", "€", " ", "\n", "\x00", "\u202e", "ا", "<", "@", "nov", "%", "e"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(TRICKY, max_size=20).map("".join))
def test_parsers_raise_only_input_errors_on_near_misses(text: str) -> None:
    _only_input_errors(text)


@settings(max_examples=20, deadline=None)
@given(st.text(min_size=1, max_size=5))
def test_parsers_survive_ten_thousand_characters(piece: str) -> None:
    text = (piece * 10_000)[:10_000]
    _only_input_errors(text)
    _only_input_errors("1" * 10_000)


def test_every_public_parser_is_exercised() -> None:
    names = {n for n in (*parse.__all__, *identifiers.__all__) if n.startswith("parse_")}
    covered = {p.__name__ for p in PARSERS if p.__name__.startswith("parse_")}
    covered |= {"parse_date", "parse_int", "parse_text", "parse_choice"}  # called through lambdas
    assert names == covered
