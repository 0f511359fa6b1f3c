"""Identifiers as a Dutch practice types them: IBAN, KvK, btw-id, postcode, e-mail, phone,
AGB and performance codes, languages (``ledger.base.identifiers``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ledger.base.identifiers import (
    format_iban,
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
    parse_language,
)
from tests.ledger.test_parse import rejected

# ---------------------------------------------------------------------- identifiers

ACCEPTED: list[tuple[Callable[..., Any], str, Any]] = [
    (parse_iban, "NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"),
    (parse_iban, "nl91abna0417164300", "NL91ABNA0417164300"),
    (parse_iban, "DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    (parse_kvk, "12345678", "12345678"),
    (parse_kvk, "1234 5678", "12345678"),
    (parse_vat_id, "NL000099998B57", "NL000099998B57"),
    (parse_vat_id, "nl 0000.99998.b57", "NL000099998B57"),
    (parse_vat_id, "000099998B57", "NL000099998B57"),
    (parse_vat_id, "DE136695976", "DE136695976"),
    (parse_vat_id, "BE 0203.201.340", "BE0203201340"),
    (parse_postcode, "1234 AB", "1234 AB"),
    (parse_postcode, "1234ab", "1234 AB"),
    (parse_postcode, " 1234  ab ", "1234 AB"),
    (parse_email, "info@voetreflex.nl", "info@voetreflex.nl"),
    (parse_email, "Jan.Jansen+praktijk@Example.COM", "Jan.Jansen+praktijk@example.com"),
    (parse_email, "anne@müller.de", "anne@müller.de"),
    (parse_phone, "06-12345678", "06-12345678"),
    (parse_phone, "+31 (0)6  1234 5678", "+31 (0)6 1234 5678"),
    (parse_phone, "020 123 4567", "020 123 4567"),
    (parse_agb, "90-123456", "90123456"),
    (parse_agb, "90.12.34.56", "90123456"),
    (parse_performance_code, "24009", "24009"),
    (parse_performance_code, "1234", "1234"),
    (parse_language, "nl", "nl"),
    (parse_language, "NL", "nl"),
    (parse_language, "Nederlands", "nl"),
    (parse_language, "dutch", "nl"),
    (parse_language, "en", "en"),
    (parse_language, "English", "en"),
    (parse_language, "engels", "en"),
]


@pytest.mark.parametrize(("parser", "text", "expected"), ACCEPTED)
def test_identifier_accepted(parser: Callable[..., Any], text: str, expected: Any) -> None:
    assert parser(text) == expected


REJECTED: list[tuple[Callable[..., Any], str, str]] = [
    (parse_iban, "NL91ABNA0417164301",
        "IBAN: NL91ABNA0417164301 is not a valid IBAN (check for a typo)"),
    (parse_iban, "NL91ABNA041716430",
        "IBAN: NL91ABNA041716430 is not a valid IBAN (check for a typo)"),
    (parse_iban, "XX62ABNA0417164300", "IBAN: XX62ABNA0417164300 is not a valid IBAN"),
    (parse_iban, "NL58ABNA041716430", "IBAN: NL58ABNA041716430 is not a valid IBAN"),
    (parse_iban, "12345", "IBAN: 12345 is not an IBAN"),
    (parse_iban, "nl91abna0417164300ﬀ", "IBAN: nl91abna0417164300ﬀ is not an IBAN"),
    (parse_iban, "NL91ÅBNA0417164300", "IBAN: NL91ÅBNA0417164300 is not an IBAN"),
    (parse_kvk, "1234567", "KvK number: 1234567 is not a KvK number (8 digits)"),
    (parse_kvk, "1234567a", "KvK number: 1234567a is not a KvK number (8 digits)"),
    (parse_vat_id, "NL123456789B01",
        "VAT id: NL123456789B01 is not a valid VAT id (check for a typo)"),
    (parse_vat_id, "XX123456", "VAT id: XX123456 is not a valid VAT id"),
    (parse_vat_id, "btw", "VAT id: btw is not a VAT id"),
    (parse_postcode, "1234 SA", "postcode: 1234 SA is not a Dutch postcode (1234 AB)"),
    (parse_postcode, "0123 AB", "postcode: 0123 AB is not a Dutch postcode (1234 AB)"),
    (parse_postcode, "12345", "postcode: 12345 is not a Dutch postcode (1234 AB)"),
    (parse_email, "info@voetreflex", "e-mail: info@voetreflex is not an e-mail address"),
    (parse_email, "info voetreflex.nl", "e-mail: info voetreflex.nl is not an e-mail address"),
    (parse_email, "a@@b.nl", "e-mail: a@@b.nl is not an e-mail address"),
    (parse_email, "a b@c.nl", "e-mail: a b@c.nl is not an e-mail address"),
    (parse_email, "a@b..nl", "e-mail: a@b..nl is not an e-mail address"),
    (parse_email, "<a@b.nl>", "e-mail: <a@b.nl> is not an e-mail address"),
    (parse_phone, "12345", "phone: 12345 is not a phone number (6 to 20 digits)"),
    (parse_phone, "06-CALL-ME", "phone: 06-CALL-ME is not a phone number"),
    (parse_phone, "06+12345678", "phone: 06+12345678 is not a phone number"),
    (parse_agb, "1234567", "AGB code: 1234567 is not an AGB code (8 digits)"),
    (parse_performance_code, "123",
        "performance code: 123 is not a performance code (4 to 6 digits)"),
    (parse_performance_code, "24 009",
        "performance code: 24 009 is not a performance code (4 to 6 digits)"),
    (parse_language, "fr", "language: fr is not one of: nl, en"),
]  # fmt: skip


@pytest.mark.parametrize(("parser", "text", "message"), REJECTED)
def test_identifier_rejected(parser: Callable[..., Any], text: str, message: str) -> None:
    assert rejected(lambda: parser(text)) == message


def test_format_iban() -> None:
    assert format_iban("NL91ABNA0417164300") == "NL91 ABNA 0417 1643 00"
    assert format_iban(parse_iban("nl91 abna 0417 1643 00")) == "NL91 ABNA 0417 1643 00"


def test_foreign_postcode() -> None:
    assert parse_postcode(" SW1A  1AA ", country="GB") == "SW1A 1AA"
    assert parse_postcode("1000-001", country="pt") == "1000-001"
    assert parse_postcode("1234 ab", country="nl") == "1234 AB"
    assert rejected(lambda: parse_postcode("1234567890123", country="DE")) == (
        "postcode: 1234567890123 is not a postcode"
    )
