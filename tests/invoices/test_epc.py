"""The EPC069-12 ("GiroCode") payload, field by field."""

from __future__ import annotations

import pytest

from invoices.epc import MAX_AMOUNT, epc_payload, qr_modules

EXAMPLE = dict(name="M. de Zool", iban="NL91ABNA0417164300", amount=30000, text="2026-0001")


def test_payload_fields_in_order() -> None:
    fields = epc_payload(**EXAMPLE).split("\n")
    assert fields == [
        "BCD",  # service tag
        "002",  # version
        "1",  # character set: UTF-8
        "SCT",  # SEPA credit transfer
        "",  # BIC: optional in version 002
        "M. de Zool",  # beneficiary
        "NL91ABNA0417164300",  # IBAN without spaces
        "EUR300.00",  # amount: EUR, a dot, two decimals, no thousands separator
        "",  # purpose
        "",  # structured reference (unused: the invoice number is free text)
        "2026-0001",  # remittance information
    ]


@pytest.mark.parametrize(("cents", "field"), [
    (1, "EUR0.01"), (6500, "EUR65.00"), (123456, "EUR1234.56"), (MAX_AMOUNT, "EUR999999999.99"),
])
def test_amount_format(cents: int, field: str) -> None:
    assert epc_payload(**{**EXAMPLE, "amount": cents}).split("\n")[7] == field


def test_iban_with_spaces_and_bic_and_names_are_normalised() -> None:
    fields = epc_payload(name="  Praktijk   Zool ", iban="nl91 abna 0417 1643 00",
                         amount=100, text=" 2026-0001 ", bic="abnanl2a").split("\n")
    assert fields[4:7] == ["ABNANL2A", "Praktijk Zool", "NL91ABNA0417164300"]
    assert fields[10] == "2026-0001"


def test_trailing_empty_fields_are_left_out() -> None:
    payload = epc_payload(**{**EXAMPLE, "text": ""})
    assert payload.split("\n") == ["BCD", "002", "1", "SCT", "", "M. de Zool",
                                   "NL91ABNA0417164300", "EUR300.00"]


def test_utf8_names_fit_the_byte_limit() -> None:
    payload = epc_payload(**{**EXAMPLE, "name": "Łukasz Wiśniewski"})
    assert "Łukasz Wiśniewski" in payload
    assert len(payload.encode("utf-8")) <= 331


@pytest.mark.parametrize("change", [
    {"amount": 0}, {"amount": -100}, {"amount": MAX_AMOUNT + 1}, {"name": ""},
    {"name": "x" * 71}, {"iban": "NL91"}, {"text": "x" * 141}, {"bic": "ABC"},
])
def test_values_the_standard_does_not_allow(change: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="EPC QR"):
        epc_payload(**{**EXAMPLE, **change})  # type: ignore[arg-type]


def test_float_amount_is_refused() -> None:
    with pytest.raises(ValueError):
        epc_payload(**{**EXAMPLE, "amount": 300.0})  # type: ignore[arg-type]


def test_qr_modules_have_a_quiet_zone_and_finder_patterns() -> None:
    code = qr_modules(epc_payload(**EXAMPLE))
    assert (code.size - 8 - 17) % 4 == 0  # a QR version's side (17 + 4v) plus the quiet zone
    rows = {row for row, _, _ in code.runs}
    assert min(rows) == 4 and max(rows) == code.size - 5  # nothing in the 4-module quiet zone
    assert min(start for _, start, _ in code.runs) == 4
    assert max(start + length for _, start, length in code.runs) == code.size - 4
    # the top-left finder pattern: a 7-module dark bar, then the ring with a dark centre
    assert (4, 4, 7) in code.runs
    assert code.dark(6, 4) and not code.dark(6, 5) and code.dark(6, 6) and code.dark(6, 8)
