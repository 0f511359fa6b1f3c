"""Embedded font subsets made once per process and shared by every document it renders.

ReportLab embeds in each PDF a subset of each TrueType font with the characters that PDF
uses, numbered in the order they first appear; making that subset and compressing it cost
more than drawing an invoice's text (about 1 ms per font per document). Two things let
documents share that work without changing a byte of what they would be otherwise:

- :func:`seed` assigns the letters of Western European names (Latin-1) and the
  typographic signs the documents print (``€ · – — ‘ ’ “ ”``) their codes before anything is
  drawn, in a fixed order. ASCII already has fixed codes (ReportLab's ``ttfAsciiReadable``),
  so nearly every document then embeds the same subset; a name with other letters
  (Łukasz, Nguyễn) just adds them after the seed.
- :func:`embed_fonts` realises the fonts' PDF objects when the document is saved and fills
  the subset's font file, its ToUnicode map and its glyph widths from a small cache,
  compressed or formatted, keyed by their exact content: equal content gives equal
  bytes, whether made now or taken from the cache (a test renders with and without the
  cache and compares).
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from reportlab.pdfbase import pdfdoc, pdfmetrics

from invoices.fonts import BOLD, REGULAR, register_fonts

SEED = "".join(chr(c) for c in range(0xA1, 0x100) if c != 0xAD) + "€·–—‘’“”•…"
_MAX = 16  # distinct subsets (and maps) kept per process: a few fonts x a few seeds


def seed(doc: Any) -> None:
    """Give the seed characters their codes in both faces, before anything is drawn."""
    for name in (REGULAR, BOLD):
        pdfmetrics.getFont(name).splitString(SEED, doc)


class _Compressed:
    """zlib output by content (an LRU of ``_MAX`` entries; the interface renders in worker
    threads, so it is locked)."""

    def __init__(self) -> None:
        self._data: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __call__(self, content: bytes) -> bytes:
        with self._lock:
            found = self._data.get(content)
            if found is not None:
                self._data.move_to_end(content)
                self.hits += 1
                return found
            self.misses += 1
        packed = zlib.compress(content)  # exactly what ReportLab's PDFZCompress does
        with self._lock:
            self._data[content] = packed
            if len(self._data) > _MAX:
                self._data.popitem(last=False)
        return packed

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0


compressed = _Compressed()


_sharing = threading.Lock()


def _share_subsets(face: Any) -> None:
    """Let ``face`` hand out the subset it made before when asked for the same one."""
    if getattr(face, "_solebook_shared", False):
        return
    with _sharing:
        if not getattr(face, "_solebook_shared", False):
            _wrap(face)


def _wrap(face: Any) -> None:
    make = face.makeSubset
    reading = threading.Lock()  # ReportLab reads the face through one shared file position

    @lru_cache(maxsize=_MAX)
    def cached(codes: tuple[int, ...]) -> bytes:
        with reading:
            return bytes(make(list(codes)))

    face.makeSubset = lambda subset: cached(tuple(subset))
    face.makeSubset.cache = cached
    face._solebook_shared = True


def clear() -> None:
    """Forget every shared subset (tests compare output with and without them)."""
    register_fonts()
    compressed.clear()
    _widths.cache_clear()
    for name in (REGULAR, BOLD):
        make = getattr(pdfmetrics.getFont(name).face, "makeSubset", None)
        cache = getattr(make, "cache", None)
        if cache is not None:
            cache.cache_clear()


_SHARED = ("fontFile:", "toUnicodeCMap:")


@lru_cache(maxsize=_MAX)
def _widths(widths: tuple[int, ...]) -> bytes:
    """A subset's glyph widths as ReportLab writes them (a few hundred numbers), once."""
    return bytes(pdfdoc.PDFArray(list(widths)).format(None))


def embed_fonts(doc: Any) -> None:
    """Realise the document's font objects now, with their streams from the cache.

    Does what ReportLab's ``GetPDFData`` would do first (``addObjects`` of each font in
    use) and then compresses the font files and ToUnicode maps through the cache, marking
    them as compressed so that ReportLab writes them as they are."""
    for name in (REGULAR, BOLD):
        _share_subsets(pdfmetrics.getFont(name).face)
    for font in doc.delayedFonts:
        font.addObjects(doc)
    doc.delayedFonts = []
    for obj in doc.idToObject.values():
        if isinstance(obj, pdfdoc.PDFTrueTypeFont) and isinstance(obj.Widths, pdfdoc.PDFArray):
            obj.Widths = _widths(tuple(obj.Widths.sequence))
    if not doc.compression:
        return
    for name, obj in list(doc.idToObject.items()):
        if not (isinstance(name, str) and name.startswith(_SHARED)):
            continue
        if not isinstance(obj, pdfdoc.PDFStream) or "Filter" in obj.dictionary.dict:
            continue
        content = obj.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        obj.content = compressed(content)
        obj.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
