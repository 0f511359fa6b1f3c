"""The documents' typeface: DejaVu Sans (regular and bold), shipped in ``invoices/fonts``.

The TTF files travel with the package (licence in ``fonts/LICENSE.txt``), so every machine
renders the same glyphs and the same bytes; names such as Łukasz Wiśniewski, Özgür Çelik
and Nguyễn Thị Minh come out right. :func:`register_fonts` registers them with ReportLab
once per process; call it before building any document (it is cheap after the first call).
"""

from __future__ import annotations

import threading
from pathlib import Path

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FAMILY = "DejaVuSans"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

_lock = threading.Lock()
_registered = False
_loads = 0


def register_fonts() -> tuple[str, str]:
    """Register the regular and bold faces (and their family) once; returns their names."""
    global _registered, _loads
    if _registered:
        return REGULAR, BOLD
    with _lock:
        if not _registered:
            from reportlab.lib.fonts import addMapping
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            for name, filename in FILES.items():
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
            for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR),
                                       (1, 1, BOLD)):
                addMapping(FAMILY, bold, italic, face)
            _loads += 1
            _registered = True
    return REGULAR, BOLD


def load_count() -> int:
    """How often this process loaded the TTF files (0 or 1; the benchmark checks it)."""
    return _loads
