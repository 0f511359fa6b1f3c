"""The Dutch words for stored codes, for the year's Dutch documents, CSV files and sheet.

A bookkeeper reads "btw-plichtig", not ``standard``: every code the books store (VAT
regime, payment method, kind of line) is shown through these tables, in one place.
"""

from __future__ import annotations

REGIMES = {"standard": "btw-plichtig (standaardregeling)",
           "exempt": "vrijgesteld van btw (art. 11 lid 1 sub g Wet OB)",
           "kor": "kleineondernemersregeling (KOR)"}
METHODS = {"bank": "bank", "pin": "pin", "cash": "contant", "card": "creditcard",
           "other": "overig"}
KINDS = {"treatment": "behandeling", "fee": "gemiste afspraak", "package_plan": "reeks",
         "other": "overig"}


def regime_name(code: str) -> str:
    return REGIMES.get(code, code)


def method_name(code: str) -> str:
    return METHODS.get(code, code)


def kind_name(code: str) -> str:
    return KINDS.get(code, code)
