"""Shorten text for one line of a prompt, a panel or a column: in terminal cells (Rich's
cell_len: a Turkish letter is one cell, a CJK one two), and with a sign where it is cut."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from annotations.sanitize import cap_marks

MORE = "…"


def shorten(text: str, limit: int = 40) -> str:
    """``text`` on one line in at most ``limit`` cells, ending with "…" if it was cut."""
    text = cap_marks(" ".join(text.split()))
    if cell_len(text) <= limit:
        return text
    if limit < 1:
        return ""
    cut = set_cell_size(text, limit - 1).rstrip()  # a wide letter cut in half becomes a space
    return cut + MORE


def fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: cut with "…", or padded with spaces."""
    return set_cell_size(shorten(text, width), width) if width > 0 else ""


def fit_items(items: list[str], width: int, separator: str = ", ") -> str:
    """As many whole items as fit in ``width`` cells, then "+N" for the rest (or "…" when not
    even that fits); an item is never cut in the middle."""
    for count in range(len(items), -1, -1):
        rest = len(items) - count
        text = separator.join(items[:count])
        if rest:
            text = f"{text} +{rest}" if text else f"+{rest}"
        if cell_len(text) <= width:
            return text
    return MORE if width >= 1 and items else ""
