"""An export killed while swapping folders leaves the earlier export recoverable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ledger.yearend.export import _remove_stale

pytestmark = pytest.mark.sqlite_only


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_set_aside_export_goes_back_when_nothing_replaced_it(tmp_path: Path) -> None:
    old = tmp_path / f".solebook-2026.old.{_dead_pid()}.tmp"
    old.mkdir()
    (old / "MANIFEST.sha256").write_text("earlier\n")
    _remove_stale(tmp_path, "solebook-2026")
    assert (tmp_path / "solebook-2026" / "MANIFEST.sha256").read_text() == "earlier\n"
    assert not old.exists()


def test_set_aside_export_goes_when_a_new_one_is_in_place(tmp_path: Path) -> None:
    (tmp_path / "solebook-2026").mkdir()
    (tmp_path / "solebook-2026" / "MANIFEST.sha256").write_text("new\n")
    old = tmp_path / f".solebook-2026.old.{_dead_pid()}.tmp"
    old.mkdir()
    (old / "MANIFEST.sha256").write_text("earlier\n")
    _remove_stale(tmp_path, "solebook-2026")
    assert (tmp_path / "solebook-2026" / "MANIFEST.sha256").read_text() == "new\n"
    assert list(tmp_path.iterdir()) == [tmp_path / "solebook-2026"]


def test_an_export_clears_what_a_killed_write_left_in_its_folder(practice, tmp_path: Path
                                                                  ) -> None:
    """A file write killed halfway (an audit log export into the same folder) leaves its
    hidden temporary file; the next year export into that folder removes it, and leaves
    one of a process that still runs."""
    import os

    from ledger.yearend.export import export_year

    dead = tmp_path / f".audit.csv.{_dead_pid()}.solebook-tmp"
    dead.write_bytes(b"half")
    alive = tmp_path / f".audit.csv.{os.getpid()}.solebook-tmp"
    alive.write_bytes(b"being written")
    export_year(practice, 2026, tmp_path)
    assert not dead.exists() and alive.exists()
