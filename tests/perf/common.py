"""What the benchmarks share: result rows, timing, the large databases, a pseudo-terminal.

Every figure is a :class:`Row` with its target and whether it was met; ratios are taken
between figures measured in the same run (the machine may be busy with other work, so an
absolute time says less than a ratio). Not collected by pytest (tests/perf is excluded).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import shutil
import statistics
import struct
import sys
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
DB_DIR = RESULTS / "db"
SOLEBOOK = Path(sys.executable).with_name("solebook")


@dataclass
class Row:
    section: str
    figure: str
    value: float | None  # None: not measured (see note)
    unit: str
    target: str = ""
    met: bool | None = None  # None: no target, or not measured
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def median_time(function: Callable[[], Any], runs: int = 5, warm: int = 1) -> float:
    """Median wall time of ``function`` in seconds, after ``warm`` unmeasured calls."""
    for _ in range(warm):
        function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def large_db(sessions: int, *, years: int = 10, clients: int | None = None,
             log: Callable[[str], None] = print) -> Path:
    """A generated group-practice database (made once, kept in tests/perf/results/db)."""
    from tests.perf.largedb import generate

    DB_DIR.mkdir(parents=True, exist_ok=True)
    who = f"-{clients}c" if clients else ""
    path = DB_DIR / f"practice-{sessions}-{years}y{who}.sqlite3"
    if not path.exists():
        log(f"  generating {path.name} ...")
        partial = path.with_suffix(".partial")
        for leftover in DB_DIR.glob(partial.name + "*"):
            leftover.unlink()
        figures = generate(partial, sessions, years=years, clients=clients)
        partial.rename(path)
        log(f"  {figures}")
    return path


def copy_db(source: Path, folder: Path) -> Path:
    """A copy of a database file in ``folder`` (its documents and backups start empty)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    shutil.copyfile(source, target)
    return target


def peak_rss_mb(pid: int) -> float | None:
    """The peak resident memory of a running process (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_on_pty(argv: Sequence[str], marks: dict[str, bytes], env: dict[str, str], *,
               timeout: float = 30.0, quit_keys: bytes = b"\x11",
               size: tuple[int, int] = (35, 120)) -> dict[str, float]:
    """Start ``argv`` on a pseudo-terminal of ``size`` (rows, columns) and time, from just
    before the fork, until each mark appears in what it draws (ms). Also reports the
    process's peak memory when the last mark appeared (``peak_rss_mb``). Quits with
    ``quit_keys`` (ctrl+q)."""
    rows, columns = size
    env = {**env, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
    env.pop("TEXTUAL", None)
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the program, on the pseudo-terminal
        os.execve(argv[0], list(argv), env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    seen: dict[str, float] = {}
    screen = b""
    try:
        while len(seen) < len(marks) and time.perf_counter() - started < timeout:
            ready, _, _ = select.select([fd], [], [], 0.02)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            screen += chunk
            now = time.perf_counter()
            for name, mark in marks.items():
                if name not in seen and mark in screen:
                    seen[name] = (now - started) * 1000
        rss = peak_rss_mb(pid)
        if rss is not None:
            seen["peak_rss_mb"] = rss
    finally:
        _stop(pid, fd, quit_keys)
    missing = set(marks) - set(seen)
    if missing:
        raise RuntimeError(f"{argv[-1]}: not seen within {timeout} s: "
                           f"{', '.join(sorted(missing))}")
    return seen


def _stop(pid: int, fd: int, quit_keys: bytes) -> None:
    with contextlib.suppress(OSError):
        os.write(fd, quit_keys)
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        try:
            select.select([fd], [], [], 0.05)
            os.read(fd, 65536)
        except OSError:
            pass
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    os.close(fd)


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.1f}/{five:.1f} (1/5 min) on {os.cpu_count()} CPUs"
