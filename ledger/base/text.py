"""Text helpers shared by the books: a search key that forgives accents and case."""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter plus an accent.
_FOLD = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o",
                       "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th",
                       "Þ": "th", "ð": "d", "Ð": "d"})


def search_key(text: str) -> str:
    """Lower case without accents: ``Özgür Çelik`` -> ``ozgur celik``, ``Łukasz`` -> ``lukasz``.

    Stored next to a name so that searching works the same on SQLite (whose ``lower()``
    only knows ASCII) and PostgreSQL, and so that typing without accents finds the name.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())
