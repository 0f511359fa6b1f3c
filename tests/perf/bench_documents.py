"""Invoice PDFs: solebook's renderer next to the floor and two peers; a batch on all cores.

- solebook: ``invoices.invoice_pdf.render_invoice`` on real invoices (one to six lines,
  packages, fees, a credit note, Dutch and English, insurance block, EPC QR code), warm.
- floor: a bare ReportLab canvas drawing the same text (read back from solebook's PDFs)
  with the same TTF font, registered once.
- peers (the optional ``perf`` extra): WeasyPrint rendering an equivalent HTML invoice
  with the same font, and the PyPI ``InvoiceGenerator`` package (its SimpleInvoice, no QR
  code: its QR is the Czech QR Platba). Each is skipped with a line when not installed.
- batch: a year of invoices written to files on all cores vs. one core (same run).
- memory: resident memory while one process renders the batch (growth per invoice).
"""

from __future__ import annotations

import dataclasses
import io
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.perf.common import Row, peak_rss_mb

SECTION = "invoice PDF"


def _texts(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [line for page in PdfReader(io.BytesIO(pdf)).pages
            for line in page.extract_text().splitlines() if line.strip()]


_FLOOR_FONT = "FloorDejaVuSans"


def _floor(lines: list[str]) -> bytes:
    """The least a PDF of this text costs: one canvas, drawString per line, same TTF.

    The font file is registered under its own name, so that the floor is plain ReportLab:
    none of solebook's sharing of font subsets between documents (invoices.subsets)
    applies to it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from invoices.fonts import FILES, FONT_DIR, REGULAR

    if _FLOOR_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(_FLOOR_FONT, str(FONT_DIR / FILES[REGULAR])))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setFont(_FLOOR_FONT, 9)
    y = A4[1] - 50
    for line in lines:
        if y < 50:
            canvas.showPage()
            canvas.setFont(_FLOOR_FONT, 9)
            y = A4[1] - 50
        canvas.drawString(50, y, line)
        y -= 12
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _html(info: Any) -> str:
    from html import escape

    from invoices.fonts import FONT_DIR
    from ledger.base.money import format_money

    rows = "".join(
        f"<tr><td>{line.supply_date or ''}</td><td>{escape(line.description)}</td>"
        f"<td>{line.performance_code}</td><td>{line.quantity}</td>"
        f"<td class=r>{format_money(line.unit_price)}</td><td>{line.vat_rate}%</td>"
        f"<td class=r>{format_money(line.gross)}</td></tr>" for line in info.lines)
    practice, client = info.practice, info.client
    return f"""<html><head><style>
@font-face {{ font-family: DejaVu; src: url("file://{FONT_DIR}/DejaVuSans.ttf"); }}
@page {{ size: A4; margin: 18mm; }}
body {{ font-family: DejaVu; font-size: 9pt; }} td.r {{ text-align: right; }}
table {{ width: 100%; border-collapse: collapse; }} th {{ border-bottom: 1px solid #1f4e79; }}
</style></head><body>
<h2>{escape(practice.get('name', ''))}</h2><p>{escape(practice.get('address', ''))}<br>
{escape(practice.get('postcode', ''))} {escape(practice.get('city', ''))}</p>
<p>{escape(client.get('name', ''))}<br>{escape(client.get('address', ''))}</p>
<h1>Factuur {info.number}</h1><p>Factuurdatum {info.date} · Vervaldatum {info.due_date}</p>
<table><tr><th>Datum</th><th>Omschrijving</th><th>Code</th><th>Aantal</th><th>Prijs</th>
<th>Btw</th><th>Bedrag</th></tr>{rows}</table>
<p class=r>Totaal {format_money(info.total)}</p>
<p>Graag {format_money(info.total)} overmaken naar {practice.get('iban', '')} o.v.v.
{info.number}.</p><p>KvK {practice.get('kvk', '')} · AGB {practice.get('agb_practice', '')}</p>
</body></html>"""


def _invoice_generator(info: Any) -> Any:
    from InvoiceGenerator.api import Client, Creator, Invoice, Item, Provider

    practice, client = info.practice, info.client
    invoice = Invoice(
        Client(client.get("name", ""), address=client.get("address", ""),
               city=client.get("city", ""), zip_code=client.get("postcode", "")),
        Provider(practice.get("name", ""), address=practice.get("address", ""),
                 city=practice.get("city", ""), zip_code=practice.get("postcode", ""),
                 bank_account=practice.get("iban", ""), vat_id=practice.get("vat_id", "")),
        Creator(practice.get("therapist_name", "")))
    invoice.currency = "€"
    invoice.number = info.number
    for line in info.lines:
        invoice.add_item(Item(line.quantity, line.unit_price / 100, description=line.description,
                              tax=line.vat_rate))
    return invoice


def _per_invoice_ms(render: Any, infos: list[Any], count: int,
                    warm: list[Any] | None = None) -> float:
    """Mean ms per document over ``count`` renders cycling through ``infos``, after one
    render of each of ``warm`` (default: ``infos``) for imports, fonts and caches."""
    for info in infos if warm is None else warm:
        render(info)
    start = time.perf_counter()
    for i in range(count):
        render(infos[i % len(infos)])
    return (time.perf_counter() - start) * 1000 / count


def run(count: int = 200, batch: int = 1000, log: Any = print) -> list[Row]:
    from invoices.batch import Job, default_workers, render_jobs
    from invoices.invoice_pdf import render_invoice
    from tests.perf.bench_pdf import batch as numbered
    from tests.perf.bench_pdf import sample_invoices

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        infos = sample_invoices(folder)
        # The timed invoices are all different (each its own number, so its own title,
        # reference and QR code): nothing one render leaves in a cache can be reused as a
        # whole by the next, as in a real year of invoices.
        distinct = numbered(infos, count)
        lines = {info.id: _texts(render_invoice(info)) for info in distinct}

        def solebook(info: Any) -> bytes:
            return render_invoice(info)

        def floor(info: Any) -> bytes:
            return _floor(lines[info.id])

        # Alternate the two so that a burst of load on the machine hits both alike.
        ours, bare = [], []
        for part in range(3):
            timed = distinct[part::3]
            ours.append(_per_invoice_ms(solebook, timed, len(timed), warm=infos))
            bare.append(_per_invoice_ms(floor, timed, len(timed), warm=timed[:5]))
        ours_ms, floor_ms = min(ours), min(bare)
        rows.append(Row(SECTION, "solebook, warm", round(ours_ms, 2), "ms/invoice",
                        f"<= 1.5x floor ({1.5 * floor_ms:.1f} ms)", ours_ms <= 1.5 * floor_ms))
        rows.append(Row(SECTION, "floor: bare canvas, same text and TTF", round(floor_ms, 2),
                        "ms/invoice"))
        rows.append(Row(SECTION, "solebook / floor", round(ours_ms / floor_ms, 2), "x",
                        "<= 1.5", ours_ms / floor_ms <= 1.5))
        rows += _peers(infos, ours_ms, log)
        rows += _batch(infos, batch, folder, default_workers(), render_jobs, Job)
        rows += _memory(infos, batch, render_invoice)
    return rows


def _peers(infos: list[Any], ours_ms: float, log: Any) -> list[Row]:
    rows = []
    try:
        import weasyprint
    except ImportError:
        log("  WeasyPrint is not installed (pip install -e '.[perf]'): skipped")
        rows.append(Row(SECTION, "WeasyPrint", None, "ms/invoice", ">= 15x solebook", None,
                        "not installed"))
    else:
        def weasy(info: Any) -> bytes:
            return weasyprint.HTML(string=_html(info)).write_pdf()

        ms = _per_invoice_ms(weasy, infos, 20)
        rows.append(Row(SECTION, f"WeasyPrint {weasyprint.__version__}", round(ms, 1),
                        "ms/invoice", ">= 15x solebook", ms >= 15 * ours_ms,
                        f"{ms / ours_ms:.1f}x solebook"))
    try:
        from importlib.metadata import version

        from InvoiceGenerator.pdf import SimpleInvoice
    except ImportError:
        log("  InvoiceGenerator is not installed (pip install -e '.[perf]'): skipped")
        rows.append(Row(SECTION, "InvoiceGenerator", None, "ms/invoice", ">= 4x solebook",
                        None, "not installed"))
    else:
        def generator(info: Any) -> bytes:
            buffer = io.BytesIO()
            SimpleInvoice(_invoice_generator(info)).gen(buffer)
            return buffer.getvalue()

        ms = _per_invoice_ms(generator, infos, 60)
        rows.append(Row(SECTION, f"InvoiceGenerator {version('InvoiceGenerator')}",
                        round(ms, 1), "ms/invoice", ">= 4x solebook", ms >= 4 * ours_ms,
                        f"{ms / ours_ms:.1f}x solebook"))
    return rows


def _batch(infos: list[Any], count: int, folder: Path, workers: int, render_jobs: Any,
           job: Any) -> list[Row]:
    """The same batch written to files on one core and on all cores, twice, alternating."""
    from tests.perf.bench_pdf import batch as numbered

    many = numbered(infos, count)
    rates: dict[int, list[float]] = {1: [], workers: []}
    for attempt in range(2):
        for n in (1, workers):
            out = folder / f"out-{n}-{attempt}"
            out.mkdir()
            jobs = [job(info, None, str(out / f"{info.number}.pdf")) for info in many]
            start = time.perf_counter()
            results = render_jobs(jobs, workers=n)
            seconds = time.perf_counter() - start
            assert not [r for r in results if r.error], [r.error for r in results][:3]
            assert len(list(out.iterdir())) == count
            rates[n].append(count / seconds)
    single, pool = max(rates[1]), max(rates[workers])
    control = _control(workers)
    return [
        Row("batch", f"{count} invoices to files, 1 core", round(single, 1), "invoices/s"),
        Row("batch", f"{count} invoices to files, {workers} workers", round(pool, 1),
            "invoices/s", f">= 1.6x one core on {workers} cores",
            pool >= 1.6 * single if workers >= 2 else None,
            f"{pool / single:.2f}x; wall {count / pool:.1f} s"),
        Row("batch", f"control: {workers} processes of plain Python arithmetic vs 1",
            round(control, 2), "x", "", None,
            "what the machine gave two processes just then (other work shares the cores)"),
    ]


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def _control(workers: int, n: int = 5_000_000) -> float:
    """The speed-up that the machine offers right now to ``workers`` CPU-bound processes."""
    import multiprocessing

    start = time.perf_counter()
    for _ in range(workers):
        _burn(n)
    serial = time.perf_counter() - start
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        start = time.perf_counter()
        pool.map(_burn, [n] * workers)
        parallel = time.perf_counter() - start
    return serial / parallel


def _memory(infos: list[Any], count: int, render: Any) -> list[Row]:
    """Resident memory of this process along a serial batch (after a warm-up of 100)."""
    for info in infos * 10:
        render(info)
    marks = {}
    for i in range(count):
        render(dataclasses.replace(infos[i % len(infos)], number=f"2027-{i + 1:04d}"))
        if i + 1 in (100, count):
            marks[i + 1] = _rss_now_mb()
    growth_kb = (marks[count] - marks[100]) * 1024 / (count - 100)
    peak = peak_rss_mb(os.getpid()) or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [Row("memory", f"serial batch of {count}: growth per invoice", round(growth_kb, 2),
                "KB/invoice", "~0 (< 5 KB)", growth_kb < 5,
                f"RSS {marks[100]:.0f} MB after 100, {marks[count]:.0f} MB after {count}; "
                f"peak of the benchmark process {peak:.0f} MB")]


def _rss_now_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
