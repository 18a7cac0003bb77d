"""Turkish-aware, same-length folding for search keys (never for text offsets are taken on).

``İ I ı i`` all fold to ``i``; typographic apostrophes fold to ``'``; everything else is
lowercased one character at a time, so ``fold(s)[i]`` stands for ``s[i]``.
"""

from __future__ import annotations

import unicodedata

_TABLE = {
    0x130: "i",  # İ
    0x49: "i",  # I
    0x131: "i",  # ı
    0x2019: "'",  # ’
    0x2018: "'",  # ‘
    0x2BC: "'",  # ʼ
    0xB4: "'",  # ´
    0x60: "'",  # `
}


def fold(text: str) -> str:
    """Same-length, case- and apostrophe-insensitive key for ``text``."""
    folded = text.translate(_TABLE).lower()
    if len(folded) == len(text):
        return folded
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text.translate(_TABLE))


def fold_query(query: str) -> str:
    """A user's query as a search key: NFC, folded, spaces collapsed."""
    return " ".join(fold(unicodedata.normalize("NFC", query)).split())
