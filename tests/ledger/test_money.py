"""Money: cents, the one rounding rule, VAT from gross prices, and the one formatter."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.base.money import (
    ROUNDING,
    allocate,
    cents,
    format_amount,
    format_money,
    format_rate,
    json_amount,
    round_cents,
    split_gross,
    to_decimal,
    vat_from_gross,
)

D = Decimal
RATES = [D("0"), D("9"), D("21"), D("5.5"), D("12.75"), D("100")]
GROSS = st.integers(min_value=-(10**9), max_value=10**9 - 1)


# ------------------------------------------------------------------------- rounding


def test_rounding_is_half_up() -> None:
    assert str(ROUNDING) == "ROUND_HALF_UP"


@pytest.mark.parametrize(
    ("euros", "expected"),
    [
        ("0.005", 1),
        ("-0.005", -1),
        ("0.0049999", 0),
        ("-0.0049999", 0),
        ("0.015", 2),  # half-up, not banker's rounding (which gives 2 here too) ...
        ("0.025", 3),  # ... but banker's would give 2 here
        ("65", 6500),
        ("52.0661157", 5207),
        ("1E+3", 100000),
        ("123456789012345678901234567890.125", 12345678901234567890123456789013),
    ],
)
def test_round_cents(euros: str, expected: int) -> None:
    assert round_cents(D(euros)) == expected


@pytest.mark.parametrize("bad", [0.5, 1, True, "0.5"])
def test_round_cents_wants_a_decimal(bad: object) -> None:
    with pytest.raises(TypeError):
        round_cents(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity"])
def test_round_cents_refuses_non_finite(bad: str) -> None:
    with pytest.raises(ValueError):
        round_cents(D(bad))


# ---------------------------------------------------------------------- conversions


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("65.00"), 6500),
        (D("65"), 6500),
        (D("0.99"), 99),
        (D("-12.5"), -1250),
        (D("65.000"), 6500),
        ("65.00", 6500),
        ("-12.50", -1250),
        ("0", 0),
        (65, 6500),
        (-3, -300),
    ],
)
def test_cents(value: int | Decimal | str, expected: int) -> None:
    assert cents(value) == expected


@pytest.mark.parametrize("bad", [65.0, 0.1, True, False])
def test_cents_refuses_float_and_bool(bad: object) -> None:
    with pytest.raises(TypeError):
        cents(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["65,00", "1e3", "NaN", "", " 65", "65.001", "€65", "١٢"])
def test_cents_refuses_anything_but_plain_euro_strings(bad: str) -> None:
    with pytest.raises(ValueError):
        cents(bad)


def test_cents_refuses_fractions_of_a_cent() -> None:
    with pytest.raises(ValueError, match="more than two decimals"):
        cents(D("0.005"))


@pytest.mark.parametrize(
    ("c", "decimal", "json"),
    [
        (30000, "300.00", "300.00"),
        (-1250, "-12.50", "-12.50"),
        (0, "0.00", "0.00"),
        (1, "0.01", "0.01"),
        (-1, "-0.01", "-0.01"),
        (123456789, "1234567.89", "1234567.89"),
    ],
)
def test_to_decimal_and_json_amount(c: int, decimal: str, json: str) -> None:
    assert to_decimal(c) == D(decimal)
    assert str(to_decimal(c)) == decimal
    assert json_amount(c) == json


@pytest.mark.parametrize("bad", [1.0, True, D("1"), "1"])
def test_to_decimal_wants_int_cents(bad: object) -> None:
    with pytest.raises(TypeError):
        to_decimal(bad)  # type: ignore[arg-type]


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_cents_and_to_decimal_round_trip(c: int) -> None:
    assert cents(to_decimal(c)) == c
    assert cents(json_amount(c)) == c


# ------------------------------------------------------------------------------ VAT


@pytest.mark.parametrize(
    ("gross", "rate", "vat"),
    [
        (30000, D("21"), 5207),
        (6500, D("21"), 1128),
        (6500, D("9"), 537),
        (6500, D("0"), 0),
        (-6500, D("21"), -1128),
        (121, D("21"), 21),
        (1, D("21"), 0),
        (3, D("21"), 1),  # 0.5207 cent rounds up
        (-3, D("21"), -1),
        (0, D("21"), 0),
        (10550, D("5.5"), 550),
        (100, D("100"), 50),
        (1, D("100"), 1),  # exactly half a cent: half-up
        (-1, D("100"), -1),
    ],
)
def test_vat_from_gross(gross: int, rate: Decimal, vat: int) -> None:
    assert vat_from_gross(gross, rate) == vat
    assert split_gross(gross, rate) == (gross - vat, vat)


def test_split_gross_example() -> None:
    assert split_gross(30000, D("21")) == (24793, 5207)


@pytest.mark.parametrize(
    ("gross", "rate", "error"),
    [
        (65.0, D("21"), TypeError),
        (True, D("21"), TypeError),
        (6500, 21.0, TypeError),
        (6500, "21", TypeError),
        (6500, D("-1"), ValueError),
        (6500, D("101"), ValueError),
        (6500, D("NaN"), ValueError),
    ],
)
def test_vat_refuses_bad_arguments(gross: object, rate: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        vat_from_gross(gross, rate)  # type: ignore[arg-type]


def _exact_vat(gross: int, rate: Decimal) -> int:
    """Independent reference: exact rational arithmetic, half away from zero."""
    exact = Fraction(gross) * Fraction(rate) / (100 + Fraction(rate))
    magnitude = int(abs(exact) + Fraction(1, 2))  # floor, as the value is non-negative
    return magnitude if exact >= 0 else -magnitude


@settings(max_examples=400, deadline=None)
@given(GROSS, st.sampled_from(RATES))
def test_vat_properties(gross: int, rate: Decimal) -> None:
    net, vat = split_gross(gross, rate)
    assert net + vat == gross
    assert vat == _exact_vat(gross, rate)
    assert abs(vat) <= abs(gross)
    assert vat == 0 or (vat > 0) == (gross > 0)
    assert vat_from_gross(-gross, rate) == -vat  # half away from zero is symmetric


@settings(max_examples=200, deadline=None)
@given(
    GROSS,
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
)
def test_vat_matches_exact_computation_for_any_rate(gross: int, rate: Decimal) -> None:
    assert vat_from_gross(gross, rate) == _exact_vat(gross, rate)


# ------------------------------------------------------------------------- allocate


@pytest.mark.parametrize(
    ("total", "parts", "shares"),
    [
        (10000, 3, [3334, 3333, 3333]),
        (-10000, 3, [-3334, -3333, -3333]),
        (32500, 5, [6500] * 5),
        (2, 3, [1, 1, 0]),
        (0, 2, [0, 0]),
        (7, 1, [7]),
    ],
)
def test_allocate(total: int, parts: int, shares: list[int]) -> None:
    assert allocate(total, parts) == shares


@pytest.mark.parametrize("parts", [0, -1])
def test_allocate_needs_at_least_one_part(parts: int) -> None:
    with pytest.raises(ValueError):
        allocate(100, parts)


def test_allocate_refuses_float() -> None:
    with pytest.raises(TypeError):
        allocate(100.0, 3)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(min_value=1, max_value=500))
def test_allocate_properties(total: int, parts: int) -> None:
    shares = allocate(total, parts)
    assert len(shares) == parts
    assert sum(shares) == total
    assert max(shares) - min(shares) <= 1
    assert [abs(s) for s in shares] == sorted((abs(s) for s in shares), reverse=True)


# --------------------------------------------------------------------------- format


@pytest.mark.parametrize(
    ("c", "nl", "en"),
    [
        (6500, "€ 65,00", "€65.00"),
        (123456, "€ 1.234,56", "€1,234.56"),
        (-1200, "€ -12,00", "-€12.00"),
        (0, "€ 0,00", "€0.00"),
        (1, "€ 0,01", "€0.01"),
        (100000000, "€ 1.000.000,00", "€1,000,000.00"),
    ],
)
def test_format_money(c: int, nl: str, en: str) -> None:
    assert format_money(c) == nl
    assert format_money(c, "nl") == nl
    assert format_money(c, "en") == en
    assert "\u00a0" not in format_money(c)


@pytest.mark.parametrize(
    ("c", "nl", "en"),
    [
        (123456, "1.234,56", "1,234.56"),
        (-1200, "-12,00", "-12.00"),
        (0, "0,00", "0.00"),
        (100000000, "1.000.000,00", "1,000,000.00"),
    ],
)
def test_format_amount(c: int, nl: str, en: str) -> None:
    assert format_amount(c) == nl
    assert format_amount(c, "en") == en


@pytest.mark.parametrize("bad", [65.0, True, D("65")])
def test_formatters_refuse_anything_but_cents(bad: object) -> None:
    with pytest.raises(TypeError):
        format_money(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_amount(bad)  # type: ignore[arg-type]


def test_format_money_refuses_unknown_locale() -> None:
    with pytest.raises(ValueError):
        format_money(100, "de")


@pytest.mark.parametrize(
    ("rate", "nl", "en"),
    [
        (D("21"), "21%", "21%"),
        (D("9"), "9%", "9%"),
        (D("0"), "0%", "0%"),
        (D("5.5"), "5,5%", "5.5%"),
        (D("5.50"), "5,5%", "5.5%"),
        (D("21.00"), "21%", "21%"),
    ],
)
def test_format_rate(rate: Decimal, nl: str, en: str) -> None:
    assert format_rate(rate) == nl
    assert format_rate(rate, "en") == en


def test_format_rate_refuses_float() -> None:
    with pytest.raises(TypeError):
        format_rate(21.0)  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "locale", "grouping", "expected"), [
    (Decimal("12.5"), "nl", True, "12,5"), (Decimal("12.5"), "en", True, "12.5"),
    (Decimal("1212.5"), "nl", True, "1.212,5"), (Decimal("1212.5"), "nl", False, "1212,5"),
    (40, "nl", True, "40"), (Decimal("0.10"), "en", True, "0.1"),
])
def test_format_number_as_typed(value: Decimal | int, locale: str, grouping: bool,
                                expected: str) -> None:
    from ledger.base.money import format_number

    assert format_number(value, locale, grouping=grouping) == expected


def test_format_number_refuses_a_float() -> None:
    from ledger.base.money import format_number

    with pytest.raises(TypeError):
        format_number(12.5, "nl")  # type: ignore[arg-type]
