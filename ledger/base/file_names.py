"""The names of document files, in the document's language.

A Dutch document gets a Dutch name (``factuur-2026-0001.pdf``, ``jaaroverzicht-2026-ilse-
visser.pdf``), an English one an English name (``invoice-2026-0001.pdf``). Only new files
get these names: an archived document keeps the path stored with it.
"""

from __future__ import annotations

import re
import unicodedata

LABELS = {
    "invoice": {"nl": "factuur", "en": "invoice"},
    "credit": {"nl": "creditnota", "en": "credit-note"},
    "statement": {"nl": "declaratieoverzicht", "en": "claim-statement"},
    "year_statement": {"nl": "jaaroverzicht", "en": "annual-statement"},
    "first": {"nl": "betalingsherinnering", "en": "payment-reminder"},
    "fourteen_day": {"nl": "aanmaning", "en": "final-reminder"},
}


def slug(text: str, limit: int = 40) -> str:
    """``Ilse Visser`` -> ``ilse-visser``: ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:limit].lower() or "x"


def safe(ident: str) -> str:
    """An identifier (an invoice number) with characters unsafe in a file name as ``_``."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", ident)


def in_language(names: dict[str, str], language: str | None) -> str:
    """The name for ``language`` of ``{language: name}`` (Dutch by default)."""
    return names.get(language or "nl", names["nl"])


def document_name(kind: str, language: str | None, *parts: str) -> str:
    """``<label>-<part>-<part>.pdf``, the label in ``language`` (Dutch by default)."""
    return "-".join([in_language(LABELS[kind], language), *(p for p in parts if p)]) + ".pdf"
