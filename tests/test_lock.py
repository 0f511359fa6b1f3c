"""The lock (``constraints.txt``) agrees with ``pyproject.toml`` and with what the tests run
on: a bound changed without refreshing the lock, or an environment installed without it,
is found here rather than as a PDF that differs by a byte."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not an exact pin: {line}"
            pins[canonicalize_name(name)] = version.strip()
    return pins


def test_every_dependency_is_locked_within_its_bounds() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(r) for r in
              (*project["dependencies"], *project["optional-dependencies"]["test"])]
    pins = locked()
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in constraints.txt: python -m tests.lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {name}=={pins[name]}, pyproject.toml wants "
            f"{requirement.specifier}: python -m tests.lock")
    assert "psycopg-binary" in pins


def test_the_tests_run_on_the_locked_versions() -> None:
    installed = {canonicalize_name(d.metadata["Name"]): d.version
                 for d in metadata.distributions()}
    differ = {name: (installed[name], version) for name, version in locked().items()
              if name in installed and installed[name] != version}
    assert not differ, (
        f"installed (found, locked): {differ}; install with "
        "pip install -c constraints.txt -e '.[test]'")
