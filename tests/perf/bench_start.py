"""Start-up: a cold ``solebook invoice pdf NUMBER``, and the interface on a real terminal.

- cold command: a fresh process renders and archives an issued invoice of the demo
  practice (a fresh copy of the database each run, so the PDF is really made; the day's
  backup already exists, as after the day's first command), then a second fresh process
  writes the same invoice again, now found in the archive.
- interface: process start until the overview is painted (its navigation line) and until
  its figures are in ("Vandaag is het ..."; read without SQLAlchemy while the interface
  starts, ``tui.early``), on a 120x35 pseudo-terminal, with the demo
  practice and with the 1M-session database, next to a bare Textual app (Header, a
  DataTable of 50 rows, Footer) timed the same way. The runs alternate between the
  programs, so load on the machine hits them alike; medians of the runs, after a first
  unmeasured run of each that fills the byte-code folder.
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
    """Each run takes a fresh copy of the demo database and times two fresh processes of
    ``solebook invoice pdf NUMBER -o FILE``: the first renders and archives the PDF, the
    second finds it archived (the usual case: every command that issues archives). Both
    must write the same bytes. The environment gets a byte-code folder and a cache folder
    of its own (this machine's agents run with PYTHONDONTWRITEBYTECODE, which would compile
    solebook's modules in every run; an installed program has its byte-code), filled by an
    unmeasured first run, as on a machine where solebook has run before."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(folder / "pycache"),
           "XDG_CACHE_HOME": str(folder / "cache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    seen: dict[str, list[tuple[float, float]]] = {"first render": [], "archived": []}
    for run in range(runs + 1):
        place = folder / f"cold-{run}"
        copy_db(demo, place)
        shutil.copytree(demo.parent / "backups", place / "backups")
        run_env = {**env, "SOLEBOOK_DB": str(place / demo.name)}
        outputs = []
        for case in seen:
            out = place / f"{case.replace(' ', '-')}.pdf"
            wall, cpu = _timed([str(SOLEBOOK), "invoice", "pdf", number, "-o", str(out)],
                               run_env)
            if run:  # the first run fills the byte-code and font caches
                seen[case].append((wall, cpu))
            outputs.append(out.read_bytes())
        assert len(outputs[0]) > 10_000 and outputs[0] == outputs[1]
    imports = _imports_of(["invoice", "pdf", number, "-o", str(folder / "imports.pdf")],
                          {**env, "SOLEBOOK_DB": str(folder / f"cold-{runs}" / demo.name)})
    rows = []
    for case, what in (("archived", "archived PDF (copied; the usual case)"),
                       ("first render", "first render (renders and archives)")):
        wall = statistics.median(w for w, _ in seen[case])
        cpu = statistics.median(c for _, c in seen[case])
        rows.append(Row("start-up", f"cold `solebook invoice pdf NUMBER`: {what}",
                        round(wall, 3), "s", "<= 0.4 s", wall <= 0.4,
                        f"median of {runs}; CPU time {cpu:.3f} s"))
    plain = _imports_of_a_plain_command()
    rows += [
        Row("start-up", "`invoice pdf` of an archived PDF imports reportlab / sqlalchemy",
            None, "", "neither", not imports, ", ".join(imports) or "neither imported"),
        Row("start-up", "`solebook --help` imports reportlab / sqlalchemy", None, "",
            "neither", not plain, ", ".join(plain) or "neither imported"),
    ]
    return rows


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one process, in seconds."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, argv)
    return wall, usage.ru_utime + usage.ru_stime


def _imports_of(args: list[str], env: dict[str, str]) -> list[str]:
    """The heavy libraries a solebook command imports, in a fresh interpreter."""
    code = ("import sys\nfrom tui.cli.main import run\nrun(sys.argv[1:])\n"
            "print(' '.join(m for m in ('reportlab', 'sqlalchemy', 'openpyxl', 'xlsxwriter') "
            "if m in sys.modules), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, *args], check=True, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return done.stderr.split()


def _imports_of_a_plain_command() -> list[str]:
    code = ("import sys; from tui.cli.main import build_parser; build_parser(); "
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
    # Byte-code in a folder of its own for every program, filled by the unmeasured first
    # run (as for the cold command: without it, PYTHONDONTWRITEBYTECODE on this machine's
    # agents makes solebook compile its own modules at every start; the bare app's are all
    # in site-packages, compiled when installed).
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
           "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
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
