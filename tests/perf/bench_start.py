"""Start-up: a cold ``solebook invoice pdf NUMBER``, and the interface on a real terminal.

- cold command: a fresh process renders and archives an issued invoice of the demo
  practice (a fresh copy of the database each run, so the PDF is really made; the day's
  backup already exists, as after the day's first command).
- interface: process start until the overview is painted (its navigation line) and until
  its figures are in ("Vandaag is het ..."), on a 120x35 pseudo-terminal, with the demo
  practice and with the 1M-session database, next to a bare Textual app (Header, a
  DataTable of 50 rows, Footer) timed the same way. The runs alternate between the
  programs, so load on the machine hits them alike; medians of the runs.
- memory: the interface's peak resident memory (VmHWM) once the overview has its figures,
  on the 1M database.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.perf.common import SOLEBOOK, Row, copy_db, large_db, run_on_pty

PAINT = {"first paint": b"1 Overzicht", "overview data": b"Vandaag"}
BARE = {"first paint": b"bare row 7"}


def _demo(folder: Path) -> tuple[Path, str]:
    db = folder / "demo" / "demo.sqlite3"
    db.parent.mkdir()
    env = {**os.environ, "SOLEBOOK_DB": str(db)}
    subprocess.run([str(SOLEBOOK), "demo"], check=True, stdout=subprocess.DEVNULL, env=env)
    listed = subprocess.run([str(SOLEBOOK), "invoice", "list", "--json"], check=True,
                            capture_output=True, text=True, env=env)  # also the day's backup
    import json

    number = [i["number"] for i in json.loads(listed.stdout) if i["number"]][-1]
    return db, number


def cold_command(folder: Path, demo: Path, number: str, runs: int = 5) -> list[Row]:
    times = []
    for run in range(runs + 1):
        place = folder / f"cold-{run}"
        copy_db(demo, place)
        shutil.copytree(demo.parent / "backups", place / "backups")
        env = {**os.environ, "SOLEBOOK_DB": str(place / demo.name)}
        start = time.perf_counter()
        subprocess.run([str(SOLEBOOK), "invoice", "pdf", number, "-o", str(place / "out.pdf")],
                       check=True, stdout=subprocess.DEVNULL, env=env)
        if run:  # the first run warms the file cache and the byte-code
            times.append(time.perf_counter() - start)
        assert (place / "out.pdf").stat().st_size > 10_000
    seconds = statistics.median(times)
    imports = _imports_of_a_plain_command()
    return [
        Row("start-up", "cold `solebook invoice pdf NUMBER`", round(seconds, 3), "s",
            "<= 0.4 s", seconds <= 0.4, f"median of {runs}; renders and archives the PDF"),
        Row("start-up", "`solebook --help` imports reportlab / sqlalchemy", None, "",
            "neither", not imports, ", ".join(imports) or "neither imported"),
    ]


def _imports_of_a_plain_command() -> list[str]:
    code = ("import sys; from tui.cli import build_parser; build_parser(); "
            "print(' '.join(m for m in ('reportlab', 'sqlalchemy', 'openpyxl', 'xlsxwriter') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True)
    return done.stdout.split()


def interface(folder: Path, demo: Path, size: int, runs: int = 5,
              log: Any = print) -> list[Row]:
    big = large_db(size, log=log)
    programs = {
        "bare Textual app": ([sys.executable, "-m", "tests.perf.bare_app"], BARE, None),
        "solebook, demo practice": ([str(SOLEBOOK), "--lang", "nl"], PAINT, demo),
        f"solebook, {size:,} sessions": ([str(SOLEBOOK), "--lang", "nl"], PAINT, big),
    }
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    seen: dict[str, list[dict[str, float]]] = {name: [] for name in programs}
    for run in range(runs + 1):
        for name, (argv, marks, db) in programs.items():
            run_env = {**env, "SOLEBOOK_DB": str(db)} if db else env
            result = run_on_pty(argv, marks, run_env)
            if run:
                seen[name].append(result)
    bare = statistics.median(r["first paint"] for r in seen["bare Textual app"])
    rows = [Row("start-up", "bare Textual app: first paint", round(bare, 1), "ms")]
    for name in list(programs)[1:]:
        for mark in PAINT:
            ms = statistics.median(r[mark] for r in seen[name])
            rows.append(Row("start-up", f"{name}: {mark}", round(ms, 1), "ms",
                            f"<= 1.6x bare ({1.6 * bare:.0f} ms)", ms <= 1.6 * bare,
                            f"{ms / bare:.2f}x bare"))
    peak = max(r.get("peak_rss_mb", 0) for r in seen[f"solebook, {size:,} sessions"])
    rows.append(Row("memory", f"interface on {size:,} sessions: peak RSS", round(peak, 1),
                    "MB", "< 150 MB", peak < 150, "VmHWM once the overview has its figures"))
    return rows


def run(size: int, runs: int = 5, log: Any = print) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo, number = _demo(folder)
        rows = cold_command(folder, demo, number, runs)
        rows += interface(folder, demo, size, runs, log)
    return rows
