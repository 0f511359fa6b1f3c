"""The books are headless: importing ``ledger`` pulls in neither textual nor reportlab, and
imports flow one way, tui -> invoices -> ledger (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import invoices
import ledger

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import importlib, json, sys
forbidden = set(sys.argv[1].split(","))
for name in sys.argv[2:]:
    importlib.import_module(name)
    loaded = forbidden & {m.split(".")[0] for m in sys.modules}
    if loaded:
        print(json.dumps([name, sorted(loaded)]))
        break
else:
    print(json.dumps(None))
"""


def _modules(package: object) -> list[str]:
    prefix = package.__name__ + "."  # type: ignore[attr-defined]
    names = [package.__name__]  # type: ignore[attr-defined]
    for info in pkgutil.walk_packages(package.__path__, prefix):  # type: ignore[attr-defined]
        if ".migrations" not in info.name:
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [(ledger, "textual,reportlab,tui,invoices"), (invoices, "textual,tui")],
)
def test_lower_layers_do_not_import_higher_ones(package: object, forbidden: str) -> None:
    modules = _modules(package)
    out = subprocess.run([sys.executable, "-c", PROBE, forbidden, *modules],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(out.stdout) is None, f"(module, what it pulled in): {out.stdout}"
    assert len(modules) > 3


def test_import_linter_contracts_hold() -> None:
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    kept = re.search(r"Contracts: (\d+) kept, 0 broken", result.stdout)
    assert kept and int(kept.group(1)) >= 4, result.stdout
    for contract in ("the command line does not import the Textual app",
                     "the Textual app does not import the command line"):
        assert f"{contract} KEPT" in result.stdout
