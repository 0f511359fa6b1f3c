"""Loaded once by the batch's fork server (``invoices.batch``): ReportLab, the renderer and
the fonts, so that every worker forked from it starts ready to render."""

from __future__ import annotations

import invoices.invoice_pdf  # noqa: F401  (ReportLab's platypus and the document code)
from invoices.fonts import register_fonts

register_fonts()
