"""The parsed-font cache: the same face, the same PDF bytes, and never trusted blindly."""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from invoices import fonts
from invoices.archive import render_document
from tests.factories import make_client, sell_package

ROOT = Path(__file__).resolve().parents[2]
TTF = fonts.FONT_DIR / fonts.FILES[fonts.REGULAR]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache" / "fonts"
    monkeypatch.setattr(fonts, "cache_dir", lambda: folder)
    return folder


def state(font: Any) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
    """What a font is made of, comparable: its own and its face's attributes."""
    own = {k: v for k, v in vars(font).items() if k not in ("face", "state")}
    face = {k: v for k, v in vars(font.face).items() if k != "_pdfScale"}
    names = sorted((k, type(v).__name__, getattr(v, "ustr", None))
                   for k, v in face.items() if isinstance(v, bytes))
    return own | {"encoding": vars(font.encoding)}, face, [
        names, [font.face._pdfScale(x) for x in (1, 777, 2048.5)]]


def test_a_cached_face_is_the_face_parsing_gives(cache: Path) -> None:
    hits = fonts.cache_hits()
    parsed = fonts.load_font(fonts.REGULAR, TTF)
    assert fonts.cache_hits() == hits
    (written,) = cache.iterdir()
    digest = hashlib.sha256(TTF.read_bytes()).hexdigest()[:32]
    assert written.name.startswith("DejaVuSans-rl") and digest in written.name
    assert len(written.read_bytes()) < len(TTF.read_bytes()) // 2  # not the TTF itself
    cached = fonts.load_font(fonts.REGULAR, TTF)
    assert fonts.cache_hits() == hits + 1
    assert cached is not parsed and cached.face is not parsed.face
    assert state(cached) == state(parsed)
    assert len(cached.face.charWidths) > 5000  # a real face, not an empty shell


@pytest.mark.parametrize("damage", ["truncated", "garbage", "foreign object", "other font"])
def test_a_damaged_or_foreign_cache_file_is_ignored_and_replaced(
        cache: Path, tmp_path: Path, damage: str) -> None:
    parsed = fonts.load_font(fonts.REGULAR, TTF)
    (written,) = cache.iterdir()
    good = written.read_bytes()
    canary = tmp_path / "canary"
    written.write_bytes({
        "truncated": good[: len(good) // 2],
        "garbage": os.urandom(2000),
        # unpickling this with a plain pickle.loads would run a command
        "foreign object": pickle.dumps(_Exploit(canary)),
        "other font": pickle.dumps((fonts.CACHE_FORMAT, {"fontName": "Other"}, {})),
    }[damage])
    hits = fonts.cache_hits()
    again = fonts.load_font(fonts.REGULAR, TTF)
    assert fonts.cache_hits() == hits  # parsed, not taken from the cache
    assert state(again) == state(parsed)
    assert not canary.exists()
    assert written.read_bytes() == good  # written anew


class _Exploit:
    def __init__(self, canary: Path) -> None:
        self.canary = canary

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.canary}",))


def test_a_cache_folder_that_cannot_be_written_only_costs_the_parsing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(fonts, "cache_dir", lambda: blocker / "fonts")
    font = fonts.load_font(fonts.BOLD, fonts.FONT_DIR / fonts.FILES[fonts.BOLD])
    assert font.fontName == fonts.BOLD and len(font.face.charWidths) > 5000


RENDER = """
import hashlib, sys
from ledger.books import Books
from invoices import fonts
from invoices.archive import render_document
books = Books.open(sys.argv[1])
data = render_document(books, sys.argv[2])
print(hashlib.sha256(data).hexdigest(), fonts.cache_hits())
"""


def test_an_invoice_renders_to_the_same_bytes_with_and_without_the_cache(
        shop: dict[str, Any], tmp_path: Path) -> None:
    books = shop["books"]
    client = make_client(books, "Łukasz Wiśniewski")  # letters outside Latin-1 too
    number = sell_package(books, client.id, shop["plan"].id).invoice_number
    here = hashlib.sha256(render_document(books, number)).hexdigest()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}

    def render() -> tuple[str, int]:
        done = subprocess.run([sys.executable, "-c", RENDER, str(books.db.path), number],
                              cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        digest, hits = done.stdout.split()
        return digest, int(hits)

    assert render() == (here, 0)  # parsed, and the cache written
    assert len(list((tmp_path / "xdg" / "solebook" / "fonts").iterdir())) == 2
    assert render() == (here, 2)  # both faces from the cache, the same bytes
