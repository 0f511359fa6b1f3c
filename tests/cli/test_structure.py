"""The command line is its own subpackage: plain imports, one module per command group, no
argparse internals read, no handler wrapped, and nothing of the Textual app imported
(import-linter checks the last too; this checks it in a fresh interpreter)."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import tui.entry
from ledger.base.errors import RuleViolation
from tui.cli.main import Interface

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "tui" / "cli"
PRIVATE = {"_actions", "_choices_actions", "_option_string_actions", "_subparsers",
           "_SubParsersAction", "_registries"}


def _modules() -> list[Path]:
    found = sorted(CLI.glob("*.py"))
    assert len(found) > 15
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.name)
def test_a_command_module_is_plain(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] == "importlib"}
    private = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)} & PRIVATE
    assert not private, f"{path.name} reads argparse internals: {private}"
    lookups = [node for node in ast.walk(tree) if isinstance(node, ast.Subscript)
               and isinstance(node.value, ast.Attribute) and node.value.attr == "choices"]
    assert not lookups, f"{path.name} looks up another module's parser in .choices[...]"
    assert not {"get_default"} & {node.attr for node in ast.walk(tree)
                                  if isinstance(node, ast.Attribute)}, "a wrapped handler"
    assert len(source.splitlines()) < 400


def test_the_command_line_imports_nothing_of_the_interface() -> None:
    code = ("import sys\nfrom tui.cli.main import build_parser, run\nbuild_parser()\n"
            "print(repr(run(['--db', 'books.sqlite3', '--lang', 'en'])))\n"
            "print(' '.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    handed_over, modules = done.stdout.splitlines()
    assert handed_over == "Interface(db='books.sqlite3', lang='en', therapist=None)"
    loaded = set(modules.split())
    interface = {"textual", "tui.app", "tui.screens", "tui.widgets", "tui.labels", "tui.i18n",
                 "tui.viewer", "tui.entry", "sqlalchemy"}
    assert not loaded & interface, loaded & interface


def test_solebook_starts_at_the_entry_above_both_front_ends() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["solebook"] == "tui.entry:main"


def test_without_a_command_the_entry_opens_the_interface(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    asked: list[Interface] = []
    monkeypatch.setattr(tui.entry, "open_interface", lambda request: asked.append(request) or 0)
    with pytest.raises(SystemExit) as done:
        tui.entry.main(["--lang", "en", "--db", "praktijk.sqlite3"])
    assert done.value.code == 0 and asked == [Interface("praktijk.sqlite3", "en")]


@pytest.mark.parametrize(("failure", "code", "said"), [
    (RuleViolation("database: the books are locked"), 1,
     "solebook: database: the books are locked\n"),
    (KeyboardInterrupt(), 130, "solebook: interrupted; nothing half-done was saved\n"),
])
def test_the_interface_failing_is_one_line_and_an_exit_code(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        failure: BaseException, code: int, said: str) -> None:
    def fail(_request: Interface) -> int:
        raise failure

    monkeypatch.setattr(tui.entry, "open_interface", fail)
    with pytest.raises(SystemExit) as done:
        tui.entry.main(["--lang", "en"])  # the language the interface was asked for
    assert done.value.code == code and capsys.readouterr().err == said


def test_the_command_line_alone_asks_for_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli.main import main

    with pytest.raises(SystemExit) as done:
        main(["--lang", "en"])
    assert done.value.code == 2 and "give a COMMAND" in capsys.readouterr().err


def test_the_interface_failing_is_told_in_its_language(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --lang the interface is Dutch, and so is the line about its interruption,
    whatever an earlier run in the same process spoke."""
    from tui.cli import lang

    lang.start("en")

    def fail(_request: Interface) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(tui.entry, "open_interface", fail)
    with pytest.raises(SystemExit) as done:
        tui.entry.main([])
    said = capsys.readouterr().err
    assert done.value.code == 130 and said.startswith("solebook: ") and "interrupted" not in said
