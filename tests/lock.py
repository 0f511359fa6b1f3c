"""Refresh ``constraints.txt``, the exact versions the tests run with: ``python -m tests.lock``.

The README's commands install with ``-c constraints.txt``, so a clean clone gets the
versions the suite last passed with, whatever was released since. Upgrading is a
deliberate step: this script makes a new virtual environment, installs ``.[test]`` in it
without the lock (the newest versions the bounds in ``pyproject.toml`` allow), and writes
what was installed as the new lock. Then reinstall with the new lock, run the whole suite
(``invoice verify`` included: see the README on ReportLab) and commit the file with the
change that needed it.

The lock is made on Python 3.11 on Linux (CI's); ``--python`` names another interpreter.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "constraints.txt"
HEADER = """\
# The exact versions the test suite passed with (Python {python}, {system}): everything
# `pip install -e '.[test]'` installs, psycopg included. Used as `pip install -c
# constraints.txt ...` by the README's commands and .ci/run. Do not edit by hand:
# refresh with `python -m tests.lock` (see the README, "Upgrading dependencies").
"""


def frozen(python: str) -> list[str]:
    """``pip freeze`` of a new environment with ``.[test]`` installed unconstrained."""
    with tempfile.TemporaryDirectory(prefix="solebook-lock-") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        pip = str(venv / "bin" / "pip")
        subprocess.run([pip, "install", "--quiet", "-e", f"{ROOT}[test]"], check=True)
        out = subprocess.run([pip, "freeze", "--exclude-editable"], check=True,
                             capture_output=True, text=True).stdout
        version = subprocess.run([str(venv / "bin" / "python"), "-c",
                                  "import platform; print(platform.python_version())"],
                                 check=True, capture_output=True, text=True).stdout.strip()
    pins = [line for line in out.splitlines() if line and not line.startswith("#")]
    return [f"# python {version}", *sorted(pins, key=str.lower)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.lock", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", default="python3",
                        help="the interpreter to make the environment with (python3)")
    args = parser.parse_args(argv)
    pins = frozen(args.python)
    version = pins[0].removeprefix("# python ")
    text = HEADER.format(python=version, system=f"{platform.system()} {platform.machine()}")
    LOCK.write_text(text + "\n".join(pins[1:]) + "\n")
    old = set(subprocess.run(["git", "-C", str(ROOT), "show", "HEAD:constraints.txt"],
                             capture_output=True, text=True).stdout.splitlines())
    changed = [pin for pin in pins[1:] if pin not in old]
    print(f"{LOCK.name}: {len(pins) - 1} packages, {len(changed)} changed"
          + "".join(f"\n  {pin}" for pin in changed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
