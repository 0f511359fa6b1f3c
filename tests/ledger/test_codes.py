"""Codes are compared as ``StrEnum`` members, and they are the strings they always were."""

from __future__ import annotations

import ast
import json
from enum import StrEnum
from pathlib import Path

import pytest

from ledger.base import codes
from ledger.base.codes import (
    OPEN_STATUSES,
    InvoiceStatus,
    PaymentMethod,
    ReminderKind,
    SessionStatus,
    VatRegime,
    is_open,
)

ROOT = Path(__file__).resolve().parents[2]
ENUMS = [v for v in vars(codes).values()
         if isinstance(v, type) and issubclass(v, StrEnum) and v is not StrEnum]
#: Codes that are also ordinary words in other places (a form field called "email", a
#: choice "none"): a comparison with one of these is not necessarily a code.
AMBIGUOUS = {"email", "none", "other", "first", "letter", "invoice", "open", "active"}
CODE_STRINGS = {m.value for e in ENUMS for m in e}
#: Names under which the books keep codes: a comparison of one of these with any code
#: string, ambiguous or not, is a spelled-out code.
CODE_FIELDS = {"status", "kind", "method", "vat_regime", "regime", "channel", "next_step",
               "cancel_policy", "policy"}
#: Words of foreign formats that happen to equal a code.
FOREIGN = {("ledger/bank/csv_banks.py", "credit"),  # a bank file's Af/Bij column
           ("ledger/bank/csv_banks.py", "debit"),
           ("ledger/bank/csv_more.py", "credit")}  # Triodos' Debet/Credit column
SCANNED = [p for top in ("ledger", "invoices", "tui") for p in sorted((ROOT / top).rglob("*.py"))
           if "migrations" not in p.parts and p.parts[-3:-1] != ("tui", "cli")
           and p != ROOT / "ledger" / "base" / "codes.py"]


def test_members_are_their_strings() -> None:
    assert SessionStatus.NO_SHOW == "no_show" and str(SessionStatus.NO_SHOW) == "no_show"
    assert f"{ReminderKind.FOURTEEN_DAY}" == "fourteen_day"
    assert json.dumps({"method": PaymentMethod.PIN}) == '{"method": "pin"}'
    assert json.dumps([VatRegime.KOR]) == '["kor"]'


@pytest.mark.parametrize(("status", "open_"), [
    ("draft", False), ("open", True), ("partly_paid", True), ("overdue", True),
    ("paid", False), ("credited", False), ("settled", False),
])
def test_which_statuses_are_open(status: str, open_: bool) -> None:
    assert is_open(status) is open_
    assert (InvoiceStatus(status) in OPEN_STATUSES) is open_


def _literals(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [s for e in node.elts for s in _literals(e)]
    return []


def _spelled_codes(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    name = path.relative_to(root).as_posix()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            sides = (node.left, *node.comparators)
            on_field = any(_field(side) in CODE_FIELDS for side in sides)
            found += [f"{name}:{node.lineno}: {s!r}" for side in sides for s in _literals(side)
                      if s in CODE_STRINGS and (on_field or s not in AMBIGUOUS)
                      and (name, s) not in FOREIGN]
    return found


def _field(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def test_the_scan_finds_a_spelled_code(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('def f(s, e):\n    return s.status in ("given", "x") or s == "kor"'
                      ' or s.kind == "invoice" or e == "email"\n')
    assert [hit.split(": ")[1] for hit in _spelled_codes(sample, tmp_path)] == [
        "'given'", "'kor'", "'invoice'"]


def test_no_code_is_spelled_out_in_a_comparison() -> None:
    assert SCANNED
    found = [hit for path in SCANNED for hit in _spelled_codes(path)]
    assert found == []
