"""Installed the ordinary way, the program is whole: the wheel holds every catalogue, font,
stylesheet and migration, and a Dutch invoice printed by the installed program is Dutch.

The wheel is built from a copy of the source (``pip wheel --no-deps``, the build system
of ``pyproject.toml``) and installed into a new virtual environment that sees the test
environment's dependencies (a ``.pth`` line) but not the source checkout: the commands run
in an empty folder, and the test checks where ``ledger`` was imported from.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ledger", "invoices", "tui")
# Files in the packages that the program never reads at run time.
NOT_INSTALLED = {"tui/babel.cfg", "tui/cli/babel.cfg"}

pytestmark = pytest.mark.slow


def _run(argv: list[str], cwd: Path, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                            check=False, timeout=600)
    assert result.returncode == 0, f"{argv}:\n{result.stdout}\n{result.stderr}"
    return result


def data_files() -> set[str]:
    """Every file in the packages that is not Python source (as the source tree has it)."""
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if path.is_file() and path.suffix not in (".py", ".pyc") \
                    and "__pycache__" not in path.parts:
                found.add(path.relative_to(ROOT).as_posix())
    return found - NOT_INSTALLED


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the source (the checkout gets no build folders)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out),
          str(source)], cwd=out)
    (built,) = out.glob("solebook-*.whl")
    return built


def test_the_wheel_holds_every_catalogue_font_stylesheet_and_migration(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = data_files()
    assert {"ledger/locale/nl/LC_MESSAGES/solebook.mo",
            "tui/locale/nl/LC_MESSAGES/solebook_tui.mo", "invoices/fonts/DejaVuSans.ttf",
            "ledger/store/migrations/script.py.mako", "tui/app.tcss"} <= wanted
    assert sorted(wanted - names) == []
    migrations = {p.relative_to(ROOT).as_posix()
                  for p in (ROOT / "ledger/store/migrations").rglob("*.py")}
    assert sorted(migrations - names) == []


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the wheel installed; the test environment's
    site-packages are visible for the dependencies (its editable install of solebook is
    not: ``.pth`` files are only run in site directories, and a path added by a ``.pth``
    line is none)."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", "--without-pip", "--clear", str(venv)], cwd=venv)
    python = venv / "bin" / "python"
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                    "['purelib'])"], cwd=venv).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "zz_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
          "--no-deps", "--no-index", str(wheel)], cwd=venv)
    return venv


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "SOLEBOOK_DB", "SOLEBOOK_DEBUG", "PYTHONHOME")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), PYTHONDONTWRITEBYTECODE="1")
    return env


def test_the_installed_program_prints_a_dutch_invoice(installed: Path, tmp_path: Path
                                                      ) -> None:
    from pypdf import PdfReader

    env = _env(tmp_path)
    solebook = str(installed / "bin" / "solebook")
    where = _run([str(installed / "bin" / "python"), "-c",
                  "import ledger, invoices, tui; print(ledger.__file__, invoices.__file__, "
                  "tui.__file__)"], cwd=tmp_path, env=env).stdout.split()
    assert all(Path(path).is_relative_to(installed) for path in where), where

    db = str(tmp_path / "books.sqlite3")
    _run([solebook, "--db", db, "demo", "--clients", "4"], cwd=tmp_path, env=env)
    listed = json.loads(_run([solebook, "--db", db, "invoice", "list", "--json"],
                             cwd=tmp_path, env=env).stdout)
    number = next(i["number"] for i in listed if i["language"] == "nl"
                  and i["kind"] == "invoice" and i["number"])
    pdf = tmp_path / "factuur.pdf"
    _run([solebook, "--db", db, "invoice", "pdf", number, "-o", str(pdf)], cwd=tmp_path,
         env=env)
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert f"Factuur {number}" in text
    assert "Geboortedatum" in text and "pagina 1 van 1" in text
    assert "Invoice" not in text and "Date of birth" not in text and "page 1" not in text


def test_the_installed_interface_finds_its_texts_and_stylesheets(installed: Path,
                                                                 tmp_path: Path) -> None:
    script = (
        "import pathlib, tui\n"
        "from tui import i18n\n"
        "i18n.set_language('nl')\n"
        "print(i18n._('Clients'))\n"
        "print(*sorted(p.name for p in pathlib.Path(tui.__file__).parent.rglob('*.tcss')))\n"
    )
    lines = _run([str(installed / "bin" / "python"), "-c", script], cwd=tmp_path,
                 env=_env(tmp_path)).stdout.splitlines()
    assert lines[0] == "Cliënten"
    assert lines[1].split() == sorted(p.name for p in (ROOT / "tui").rglob("*.tcss"))
