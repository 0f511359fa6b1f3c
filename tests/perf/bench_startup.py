"""Start-up of the terminal interface on the demo practice, measured on a real terminal.

``python -m tests.perf.bench_startup [--db DEMO.sqlite3] [--runs 5]`` starts ``solebook``
on a pseudo-terminal of 120x35, reads what it draws, and times from process start to

- ``first paint``: the first screen, the overview, is on the terminal (its navigation
  line "1 Overzicht"; the books are still being opened behind it),
- ``overview data``: its figures are in ("Vandaag is het ..."), read in a worker,

then quits with ctrl+q. Without ``--db`` the demo practice is made first (``solebook
demo``, about ten seconds). Prints milliseconds and writes JSON to tests/perf/results/.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

MARKS = {"first paint": b"1 Overzicht", "overview data": b"Vandaag"}
RESULTS = Path(__file__).parent / "results"
SOLEBOOK = Path(sys.executable).with_name("solebook")


def one_run(db: Path, timeout: float = 20.0) -> dict[str, float]:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "35",
           "SOLEBOOK_DB": str(db)}
    env.pop("TEXTUAL", None)
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the program, on the pseudo-terminal
        os.execve(str(SOLEBOOK), [str(SOLEBOOK), "--lang", "nl"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 35, 120, 0, 0))
    seen: dict[str, float] = {}
    screen = b""
    try:
        while len(seen) < len(MARKS) and time.perf_counter() - started < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            screen += chunk
            now = time.perf_counter()
            for name, mark in MARKS.items():
                if name not in seen and mark in screen:
                    seen[name] = (now - started) * 1000
    finally:
        os.write(fd, b"\x11")  # ctrl+q
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
    missing = set(MARKS) - set(seen)
    if missing:
        raise SystemExit(f"not seen within {timeout} s: {', '.join(sorted(missing))}")
    return seen


def make_demo(folder: Path) -> Path:
    db = folder / "demo.sqlite3"
    subprocess.run([str(SOLEBOOK), "--db", str(db), "demo"], check=True,
                   stdout=subprocess.DEVNULL)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a demo database (default: make one)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or make_demo(Path(tmp))
        one_run(db)  # warm the file cache and the byte-code
        runs = [one_run(db) for _ in range(args.runs)]
    figures = {name: round(statistics.median(r[name] for r in runs), 1) for name in MARKS}
    for name, ms in figures.items():
        print(f"{name:14} {ms:8.1f} ms (median of {args.runs})")
    print("load average while measuring: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "startup.json"
    out.write_text(json.dumps({
        "benchmark": "tui start-up, 120x35 pseudo-terminal, demo practice",
        "median_ms": figures, "runs_ms": runs, "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "python": platform.python_version(), "machine": platform.machine(),
    }, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
