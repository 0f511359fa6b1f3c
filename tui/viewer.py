"""Opening a document in the system's viewer: the one part of documents that is about the
terminal the program runs in (making them is :mod:`invoices.steps`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def viewer_command() -> list[str] | None:
    """The system's "open this file" command, when there is one."""
    if sys.platform == "darwin":
        return ["open"]
    if os.name == "nt":  # pragma: no cover - not a supported platform, but harmless
        return None
    tool = shutil.which("xdg-open")
    return [tool] if tool else None


def open_in_viewer(path: Path) -> bool:
    """Open ``path`` in the system viewer, detached; False when there is no viewer."""
    command = viewer_command()
    if command is None:
        return False
    subprocess.Popen(
        [*command, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )
    return True
