"""The documents' typeface: DejaVu Sans (regular and bold), shipped in ``invoices/fonts``.

The TTF files travel with the package (licence in ``fonts/LICENSE.txt``), so every machine
renders the same glyphs and the same bytes; names such as Łukasz Wiśniewski, Özgür Çelik
and Nguyễn Thị Minh come out right. :func:`register_fonts` registers them with ReportLab
once per process; call it before building any document (it is cheap after the first call).

ReportLab parses the whole TTF (metrics of ~6,000 glyphs) each time a process loads it,
~20 ms per face here: a lot for a command that makes one PDF. So the parsed face is kept in
the user cache folder (``platformdirs.user_cache_dir("solebook")/fonts``), one file per
face keyed by the SHA-256 of the TTF, the ReportLab version and the Python version, and
written atomically. A cache file that is missing, unreadable or not what it should be is
ignored (the font is parsed as before, and the cache written anew); one that cannot be
written is simply not written. It holds only numbers, strings and ReportLab's two small
string classes (read back by an unpickler that accepts nothing else), never the TTF bytes:
those are read from the shipped file each time, as ReportLab does.
"""

from __future__ import annotations

import gc
import hashlib
import io
import pickle
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FAMILY = "DejaVuSans"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
CACHE_FORMAT = 1

_lock = threading.Lock()
_registered = False
_loads = 0
_cache_hits = 0


def register_fonts() -> tuple[str, str]:
    """Register the regular and bold faces (and their family) once; returns their names."""
    global _registered, _loads
    if _registered:
        return REGULAR, BOLD
    with _lock:
        if not _registered:
            from reportlab.lib.fonts import addMapping
            from reportlab.pdfbase import pdfmetrics

            for name, filename in FILES.items():
                pdfmetrics.registerFont(load_font(name, FONT_DIR / filename))
            for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR),
                                       (1, 1, BOLD)):
                addMapping(FAMILY, bold, italic, face)
            _loads += 1
            _registered = True
    return REGULAR, BOLD


def load_count() -> int:
    """How often this process loaded the TTF files (0 or 1; the benchmark checks it)."""
    return _loads


def cache_hits() -> int:
    """How many faces this process took from the cache instead of parsing them."""
    return _cache_hits


def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("solebook", appauthor=False)) / "fonts"


def load_font(name: str, path: Path) -> TTFont:
    """ReportLab's ``TTFont(name, path)``, from the cache when it holds this face."""
    global _cache_hits
    import reportlab
    from reportlab.pdfbase.ttfonts import TTFont, TTFOpenFile

    filename, handle = TTFOpenFile(str(path))  # as TTFont reads it
    with handle:
        data = handle.read()
    version = f"rl{reportlab.Version}-py{sys.version_info[0]}.{sys.version_info[1]}"
    cached = cache_dir() / (f"{path.stem}-{version}-f{CACHE_FORMAT}-"
                            f"{hashlib.sha256(data).hexdigest()[:32]}.pickle")
    font = _from_cache(cached, name, filename, data)
    if font is not None:
        _cache_hits += 1
        return font
    font = TTFont(name, str(path))
    _to_cache(cached, font)
    return font


# The face's state minus what is rebuilt on loading: the TTF bytes and the scale function.
_REBUILT = ("_ttf_data", "_pdfScale")


def _to_cache(cached: Path, font: TTFont) -> None:
    font_state = {k: v for k, v in vars(font).items() if k not in ("face", "state")}
    face_state = {k: v for k, v in vars(font.face).items() if k not in _REBUILT}
    if any(callable(v) for v in (*font_state.values(), *face_state.values())):
        return  # a ReportLab whose font objects this module does not know: no cache
    try:
        blob = pickle.dumps((CACHE_FORMAT, font_state, face_state), protocol=5)
        from ledger.store.files import private_folder, write_atomic

        private_folder(cached.parent)

        write_atomic(cached, blob, 0o644, field="font cache")
    except Exception:  # a cache that cannot be written is only not written
        return


class _Unpickler(pickle.Unpickler):
    """Builds only the builtin types and ReportLab's two string classes of a font."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "reportlab.pdfbase.ttfonts" and name in ("TTFNameBytes", "TTEncoding"):
            from reportlab.pdfbase import ttfonts

            return getattr(ttfonts, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a cached font")


def _from_cache(cached: Path, name: str, filename: str, data: bytes) -> TTFont | None:
    from weakref import WeakKeyDictionary

    from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

    collecting = gc.isenabled()
    gc.disable()  # ~6,000 small objects per face: the collector would only slow this down
    try:
        blob = cached.read_bytes()
        fmt, font_state, face_state = _Unpickler(io.BytesIO(blob)).load()
        if fmt != CACHE_FORMAT or font_state.get("fontName") != name:
            return None
        units = face_state["unitsPerEm"]
        face = TTFontFace.__new__(TTFontFace)
        vars(face).update(face_state)
        face.filename = filename
        face._ttf_data = data
        face._pdfScale = _scale(units)
        font = TTFont.__new__(TTFont)
        vars(font).update(font_state)
        font.face = face
        font.state = WeakKeyDictionary()
        return font
    except Exception:  # missing, unreadable, damaged: parse the TTF instead
        return None
    finally:
        if collecting:
            gc.enable()


def _scale(units_per_em: int) -> Any:
    """ReportLab's font-unit scale (``TTFontFile.extractInfo``), with the same arithmetic."""
    if units_per_em == 1000:
        return lambda x: x
    mult = 1000 / units_per_em
    return lambda x: x * mult
