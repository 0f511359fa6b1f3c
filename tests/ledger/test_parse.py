"""Parsers: what a Dutch person types is accepted; everything else is one clear line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.base.dates import Clock, FixedClock, SystemClock, format_date, iso
from ledger.base.errors import InputError
from ledger.base.money import format_amount, format_money, json_amount
from ledger.base.parse import (
    MAX_AMOUNT,
    parse_amount,
    parse_choice,
    parse_date,
    parse_int,
    parse_name,
    parse_text,
    parse_time,
    parse_vat_rate,
)

TODAY = date(2026, 11, 24)


def rejected(call: Callable[[], object]) -> str:
    """The message of the InputError that ``call`` raises."""
    with pytest.raises(InputError) as info:
        call()
    return str(info.value)


# -------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("65", 6500),
        ("65,00", 6500),
        ("65.00", 6500),
        ("65,5", 6550),
        ("€ 65,-", 6500),
        ("€65", 6500),
        ("EUR 65", 6500),
        ("eur 65", 6500),
        ("65 euro", 6500),
        ("65 €", 6500),
        ("65,-", 6500),
        ("1.234,56", 123456),
        ("1234,56", 123456),
        ("1,234.56", 123456),
        ("1.234", 123400),
        ("1.234,-", 123400),
        ("1.234.567,89", 123456789),
        ("1,234,567", 123456700),
        ("0,99", 99),
        (",50", 50),
        ("  65,00  ", 6500),
        ("€\u00a065,00", 6500),
        ("0", 0),
        ("+5", 500),
        ("10.000.000,00", MAX_AMOUNT),
    ],
)
def test_parse_amount_accepts(text: str, expected: int) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("-12,00", -1200), ("€ -12,00", -1200), ("-€ 12,00", -1200), ("−12", -1200)],
)
def test_parse_amount_negative_when_allowed(text: str, expected: int) -> None:
    assert parse_amount(text, allow_negative=True) == expected
    assert rejected(lambda: parse_amount(text)) == "amount: must not be negative"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "amount: is required"),
        ("   ", "amount: is required"),
        ("65,001", "amount: 65,001 has more than 2 decimals"),
        ("0.500", "amount: 0.500 has more than 2 decimals"),
        ("abc", "amount: abc is not an amount"),
        ("65 abc", "amount: 65 abc is not an amount"),
        ("NaN", "amount: NaN is not an amount"),
        ("Infinity", "amount: Infinity is not an amount"),
        ("1e3", "amount: 1e3 is not an amount"),
        ("65.", "amount: 65. is not an amount"),
        ("65,", "amount: 65, is not an amount"),
        ("12.3.4", "amount: 12.3.4 is not an amount"),
        ("1,23.45", "amount: 1,23.45 is not an amount"),
        ("1.2345,-", "amount: 1.2345,- is not an amount"),
        ("--5", "amount: --5 is not an amount"),
        ("€ 65 €", "amount: € 65 € is not an amount"),
        ("٦٥", "amount: ٦٥ is not an amount"),
        ("10000000,01", "amount: 10000000,01 is too large (at most €10,000,000.00)"),
        ("1" * 30, f"amount: {'1' * 30} is too large (at most €10,000,000.00)"),
    ],
)
def test_parse_amount_rejects(text: str, message: str) -> None:
    assert rejected(lambda: parse_amount(text)) == message


def test_parse_amount_zero_when_not_allowed() -> None:
    assert rejected(lambda: parse_amount("0,00", "prijs", allow_zero=False)) == (
        "prijs: must not be zero"
    )


def test_parse_amount_refuses_float() -> None:
    with pytest.raises(TypeError):
        parse_amount(65.0)  # type: ignore[arg-type]


def test_messages_are_one_safe_line() -> None:
    message = rejected(lambda: parse_amount("\x1b[31m\n<b>" + "9" * 100))
    assert message == r"amount: \x1b[31m\n<b>999999999999999999999999999… is not an amount"
    assert message.isprintable()


AMOUNTS = st.integers(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT)


@settings(max_examples=300, deadline=None)
@given(AMOUNTS, st.sampled_from(["nl", "en"]))
def test_parse_amount_reads_what_we_print(c: int, locale: str) -> None:
    assert parse_amount(format_amount(c, locale), allow_negative=True) == c
    assert parse_amount(format_money(c, locale), allow_negative=True) == c
    assert parse_amount(json_amount(c), allow_negative=True) == c


# ---------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24-11-2026", date(2026, 11, 24)),
        ("24/11/2026", date(2026, 11, 24)),
        ("24.11.2026", date(2026, 11, 24)),
        ("2026-11-24", date(2026, 11, 24)),
        ("24-11-26", date(2026, 11, 24)),
        ("1-2-2027", date(2027, 2, 1)),
        ("24-11", date(2026, 11, 24)),
        ("3-1", date(2026, 1, 3)),
        ("24 november 2026", date(2026, 11, 24)),
        ("24 November 2026", date(2026, 11, 24)),
        ("24 nov 2026", date(2026, 11, 24)),
        ("24 nov. 2026", date(2026, 11, 24)),
        ("5 mei 2026", date(2026, 5, 5)),
        ("5 May 2026", date(2026, 5, 5)),
        ("1 maart 2026", date(2026, 3, 1)),
        ("1 mrt 2026", date(2026, 3, 1)),
        ("1 oktober 2026", date(2026, 10, 1)),
        ("1 Oct 2026", date(2026, 10, 1)),
        ("29 feb 2028", date(2028, 2, 29)),
        ("24 nov", date(2026, 11, 24)),
        ("vandaag", TODAY),
        ("Today", TODAY),
        ("gisteren", date(2026, 11, 23)),
        ("yesterday", date(2026, 11, 23)),
        ("morgen", date(2026, 11, 25)),
        ("TOMORROW", date(2026, 11, 25)),
        ("01-01-1900", date(1900, 1, 1)),
        ("31-12-2100", date(2100, 12, 31)),
    ],
)
def test_parse_date_accepts(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "date: is required"),
        ("31-02-2026", "date: 31-02-2026 is not a valid date"),
        ("29-02-2026", "date: 29-02-2026 is not a valid date"),
        ("0-1-2026", "date: 0-1-2026 is not a valid date"),
        ("24-13-2026", "date: 24-13-2026 is not a valid date"),
        ("24 foo 2026", "date: 24 foo 2026 is not a date (use dd-mm-yyyy)"),
        ("24/11-2026", "date: 24/11-2026 is not a date (use dd-mm-yyyy)"),
        ("2026", "date: 2026 is not a date (use dd-mm-yyyy)"),
        ("24-11-202", "date: 24-11-202 is not a date (use dd-mm-yyyy)"),
        ("31-12-1899", "date: 31-12-1899: the year must be between 1900 and 2100"),
        ("2101-01-01", "date: 2101-01-01: the year must be between 1900 and 2100"),
    ],
)
def test_parse_date_rejects(text: str, message: str) -> None:
    assert rejected(lambda: parse_date(text, today=TODAY)) == message


def test_parse_date_names_the_field() -> None:
    message = rejected(lambda: parse_date("morgenvroeg", "geboortedatum", today=TODAY))
    assert message.startswith("geboortedatum: ")


@pytest.mark.parametrize(
    ("d", "locale", "style", "expected"),
    [
        (date(2026, 11, 24), "nl", "long", "24 november 2026"),
        (date(2026, 11, 24), "en", "long", "24 November 2026"),
        (date(2026, 11, 24), "nl", "short", "24-11-2026"),
        (date(2026, 11, 24), "en", "short", "24/11/2026"),
        (date(2027, 3, 5), "nl", "long", "5 maart 2027"),
        (date(2027, 3, 5), "nl", "short", "05-03-2027"),
    ],
)
def test_format_date(d: date, locale: str, style: str, expected: str) -> None:
    assert format_date(d, locale, style) == expected


def test_format_date_defaults_and_iso() -> None:
    assert format_date(TODAY) == "24 november 2026"
    assert iso(TODAY) == "2026-11-24"
    with pytest.raises(ValueError):
        format_date(TODAY, "nl", "medium")
    with pytest.raises(TypeError):
        format_date("2026-11-24")  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.sampled_from(["nl", "en"]),
    st.sampled_from(["long", "short"]),
)
def test_parse_date_reads_what_we_print(d: date, locale: str, style: str) -> None:
    assert parse_date(format_date(d, locale, style), today=TODAY) == d
    assert parse_date(iso(d), today=TODAY) == d


def test_clocks() -> None:
    clock: Clock = FixedClock(datetime(2026, 11, 24, 9, 30))
    assert clock.now() == datetime(2026, 11, 24, 9, 30)
    assert parse_date("morgen", today=clock.today()) == date(2026, 11, 25)
    assert isinstance(clock, FixedClock)
    clock.advance(timedelta(hours=15))
    assert clock.today() == date(2026, 11, 25)
    system: Clock = SystemClock()
    before, now, today, after = datetime.now(), system.now(), system.today(), datetime.now()
    assert before <= now <= after
    assert today in {before.date(), after.date()}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:30", time(9, 30)),
        ("09:30", time(9, 30)),
        ("9.30", time(9, 30)),
        ("930", time(9, 30)),
        ("0930", time(9, 30)),
        ("1430", time(14, 30)),
        ("14u", time(14)),
        ("14 uur", time(14)),
        ("14", time(14)),
        ("0:00", time(0)),
        ("23:59", time(23, 59)),
    ],
)
def test_parse_time_accepts(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("24:00", "time: 24:00 is not a valid time"),
        ("9:60", "time: 9:60 is not a valid time"),
        ("9:5", "time: 9:5 is not a time (use hh:mm)"),
        ("12345", "time: 12345 is not a time (use hh:mm)"),
        ("half tien", "time: half tien is not a time (use hh:mm)"),
    ],
)
def test_parse_time_rejects(text: str, message: str) -> None:
    assert rejected(lambda: parse_time(text)) == message


# -------------------------------------------------------------------------- numbers


def test_parse_int() -> None:
    assert parse_int(" 42 ", "sessions") == 42
    assert parse_int("-3", "n") == -3
    assert parse_int("5", "n", minimum=5, maximum=5) == 5
    assert rejected(lambda: parse_int("4", "sessions", minimum=5)) == (
        "sessions: must be at least 5"
    )
    assert rejected(lambda: parse_int("11", "n", maximum=10)) == "n: must be at most 10"
    assert rejected(lambda: parse_int("4,5", "n")) == "n: 4,5 is not a whole number"
    assert rejected(lambda: parse_int("9" * 5000, "n")) == f"n: {'9' * 40}… is too large"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21", Decimal("21")),
        ("21%", Decimal("21")),
        ("21 %", Decimal("21")),
        ("21,0", Decimal("21")),
        ("9", Decimal("9")),
        ("0", Decimal("0")),
        ("5,5", Decimal("5.5")),
        ("5.50", Decimal("5.5")),
        ("100", Decimal("100")),
    ],
)
def test_parse_vat_rate_accepts(text: str, expected: Decimal) -> None:
    rate = parse_vat_rate(text)
    assert rate == expected
    assert str(rate) == str(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("101", "VAT rate: must be between 0 and 100"),
        ("-9", "VAT rate: -9 is not a percentage"),
        ("21%%", "VAT rate: 21%% is not a percentage"),
        ("hoog", "VAT rate: hoog is not a percentage"),
    ],
)
def test_parse_vat_rate_rejects(text: str, message: str) -> None:
    assert rejected(lambda: parse_vat_rate(text)) == message


def test_parse_choice_lists_the_options() -> None:
    choices = {"standard": "standard", "vrijgesteld": "exempt", "exempt": "exempt", "kor": "kor"}
    assert parse_choice(" Vrijgesteld ", "VAT regime", choices) == "exempt"
    assert parse_choice("KOR", "VAT regime", choices) == "kor"
    assert rejected(lambda: parse_choice("laag", "VAT regime", choices)) == (
        "VAT regime: laag is not one of: standard, exempt, kor"
    )


# ----------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Jan   Jansen ", "Jan Jansen"),
        ("Jan\u00a0Jansen", "Jan Jansen"),
        ("Jansen & <Zn>", "Jansen & <Zn>"),
        ("محمد علي", "محمد علي"),
        ("Zoë", "Zoë"),
        ("Zoe\u0308", "Zoë"),  # NFC: the same name is stored the same way
    ],
)
def test_parse_name_accepts(text: str, expected: str) -> None:
    assert parse_name(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "name: is required"),
        ("Jan\nJansen", "name: must be a single line"),
        ("Jan\tJansen", r"name: contains a control character (\t)"),
        ("Jan\x00", r"name: contains a control character (\x00)"),
        ("Jan\u202enesnaJ", r"name: contains a control character (\u202e)"),
        ("x" * 201, "name: is too long (at most 200 characters)"),
    ],
)
def test_parse_name_rejects(text: str, message: str) -> None:
    assert rejected(lambda: parse_name(text)) == message


def test_parse_text() -> None:
    assert parse_text("  Dorpsstraat 1\r\n1234 AB  Ergens \n", "address") == (
        "Dorpsstraat 1\n1234 AB  Ergens"
    )
    assert parse_text("   ", "notes") == ""
    assert parse_text("a\u2028b\tc", "notes") == "a\nb c"
    assert rejected(lambda: parse_text("", "notes", required=True)) == "notes: is required"
    assert rejected(lambda: parse_text("a\nb", "city", allow_newlines=False)) == (
        "city: must be a single line"
    )
    assert rejected(lambda: parse_text("a\x07b", "notes")) == (
        r"notes: contains a control character (\x07)"
    )
    assert rejected(lambda: parse_text("x" * 11, "notes", max_length=10)) == (
        "notes: is too long (at most 10 characters)"
    )
