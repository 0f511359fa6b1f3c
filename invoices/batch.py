"""Rendering many invoices at once, on all cores (concurrent.futures, fork-server workers).

Each worker has the fonts registered once (by the fork server it comes from, or its pool
initializer) and renders chunks of jobs; a job
carries everything the PDF depends on (the frozen InvoiceInfo and the logo bytes), so the
workers never touch the database. A worker writes its PDF itself (atomically) when the
job names a file, and reports the SHA-256 either way. Small batches run in this process.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ledger.base.errors import SolebookError
from ledger.base.views import InvoiceInfo

Progress = Callable[[int, int, str], None]
IN_PROCESS_BELOW = 12  # jobs; below this a pool costs more than it saves
CHUNK = 16


@dataclass(frozen=True)
class Job:
    info: InvoiceInfo
    logo: bytes | None = None
    out: str | None = None  # write the PDF here (atomically), or only hash it


@dataclass(frozen=True)
class Result:
    number: str
    sha256: str = ""
    error: str = ""  # one line for the person; empty when it worked


def _render(job: Job) -> Result:
    from invoices.invoice_pdf import render_invoice
    from ledger.store.files import write_atomic

    number = job.info.number or f"#{job.info.id}"
    try:
        data = render_invoice(job.info, job.logo)
        if job.out is not None:
            write_atomic(Path(job.out), data, 0o600, field="pdf")
    except SolebookError as exc:
        return Result(number, error=exc.message)
    except Exception as exc:  # a rendering bug: report it for this invoice, go on
        return Result(number, error=f"cannot render {number}: {type(exc).__name__}: {exc}")
    return Result(number, hashlib.sha256(data).hexdigest())


def _init_worker() -> None:
    from invoices.fonts import register_fonts

    register_fonts()


def _render_chunk(jobs: list[Job]) -> list[Result]:
    return [_render(job) for job in jobs]


def _context() -> multiprocessing.context.BaseContext:
    """Workers forked from a fork server that has ReportLab and the fonts loaded already
    (``invoices.worker_preload``): no connections or threads are inherited, as with
    spawn, but a worker starts in milliseconds instead of importing everything itself
    (about a second of CPU each, which on two cores ate most of the second core's gain).
    Where there is no fork server (not POSIX), spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["invoices.worker_preload"])
    return context


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def render_jobs(jobs: Sequence[Job], *, workers: int | None = None,
                progress: Progress | None = None, what: str = "rendering") -> list[Result]:
    """Render every job; results in the order of ``jobs``. Uses all cores by default."""
    total = len(jobs)
    workers = workers or default_workers()
    results: list[Result | None] = [None] * total
    done = 0
    if progress:
        progress(0, total, what)
    if total < IN_PROCESS_BELOW or workers == 1:
        _init_worker()
        for i, job in enumerate(jobs):
            results[i] = _render(job)
            if progress:
                progress(i + 1, total, what)
        return [r for r in results if r is not None]
    chunk = max(1, min(CHUNK, total // (workers * 4) or 1))
    context = _context()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=_init_worker) as pool:
        futures = {
            pool.submit(_render_chunk, list(jobs[start:start + chunk])): start
            for start in range(0, total, chunk)
        }
        for future in as_completed(futures):
            start = futures[future]
            for offset, result in enumerate(future.result()):
                results[start + offset] = result
                done += 1
            if progress:
                progress(done, total, what)
    return [r for r in results if r is not None]
