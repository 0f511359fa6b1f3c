"""The books are headless: importing ``ledger`` pulls in neither textual nor reportlab, and
imports flow one way, tui -> invoices -> ledger (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import pkgutil
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
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"]
    assert len(contracts) >= 5
    assert f"Contracts: {len(contracts)} kept, 0 broken" in result.stdout
    for contract in contracts:
        assert f"{contract['name']} KEPT" in result.stdout


def _import_circles(graph: object, package: str) -> list[list[str]]:
    """Strongly connected groups (more than one module) of the import graph inside
    ``package``: every one is an import circle."""
    found: list[list[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(module: str) -> None:  # Tarjan's algorithm
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph.find_modules_directly_imported_by(module):  # type: ignore[attr-defined]
            if not other.startswith(package):
                continue
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(m for m in graph.modules if m.startswith(package)):  # type: ignore[attr-defined]
        if module not in index:
            visit(module)
    return found


@pytest.mark.parametrize("package", ["ledger", "invoices"])
def test_no_import_circles(package: str) -> None:
    """Counting the imports made only for type checking and those inside functions: a
    circle means two modules cannot be understood (or tested) one without the other."""
    import grimp

    graph = grimp.build_graph(package, exclude_type_checking_imports=False)
    assert _import_circles(graph, package) == []


def test_the_circle_finder_finds_a_circle() -> None:
    class Graph:
        def __init__(self) -> None:
            self.modules = {"p.a", "p.b", "p.c", "q.x"}
            self.edges = {"p.a": {"p.b"}, "p.b": {"p.a", "q.x"}, "p.c": {"p.a"}, "q.x": set()}

        def find_modules_directly_imported_by(self, module: str) -> set[str]:
            return self.edges[module]

    assert _import_circles(Graph(), "p") == [["p.a", "p.b"]]
