"""The one way a string reaches ReportLab's markup parser: escaped.

``Paragraph`` reads its text as XML-like markup: a client called ``Jansen & <Zonen>``
would break the render, and ``<img src="http://...">`` would make ReportLab fetch a URL.
So every text that comes from the books (names, addresses, descriptions, settings) goes
through :func:`esc`; only markup written in this package (``<b>``, ``<br/>``) is added
around escaped text, via :func:`para` / :func:`lines`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

_ENTITIES = {'"': "&quot;", "'": "&#39;"}


def esc(text: object) -> str:
    """``text`` as literal characters for a Paragraph (``&``, ``<``, ``>``, quotes)."""
    value = "" if text is None else str(text)
    # Control characters other than newline and tab are dropped (they are not text and
    # some break the PDF text layer); newlines become line breaks in lines().
    value = "".join(c for c in value if c >= " " or c in "\n\t")
    return escape(value, _ENTITIES)


def lines(parts: Iterable[object]) -> str:
    """Escaped, non-empty parts, one per line."""
    return "<br/>".join(esc(part) for part in parts if part not in (None, ""))


def unbroken(text: object) -> str:
    """``text`` (an amount, an IBAN, an invoice number) with no-break spaces, so that a
    Paragraph never breaks the line inside it (escaped later, like any text)."""
    return ("" if text is None else str(text)).replace(" ", "\u00a0")


def bold(text: object) -> str:
    return f"<b>{esc(text)}</b>"


def para(text: object, style: Any, *, markup: str | None = None) -> Any:
    """A Paragraph of literal ``text``; ``markup`` (already built from esc'd parts) wins."""
    from reportlab.platypus import Paragraph

    return Paragraph(esc(text) if markup is None else markup, style)
