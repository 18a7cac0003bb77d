"""Lay the canonical text out in lines of a given width, as offsets (no copies of the text).

Wrapping works on offsets with ``str.rfind``, so a 3 MB article lays out in tens of
milliseconds and the view renders only the lines on screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len

from annotations.model import Block

# Characters that may take other than one cell: wide East Asian, emoji, combining marks.
_NOT_SINGLE = re.compile(
    "[\u0300-\u036f\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0010ffff]"
)


@dataclass(frozen=True, slots=True)
class Line:
    """One screen line: ``text[start:end]`` of one block (``kind`` "blank" between blocks)."""

    start: int
    end: int
    kind: str


def layout(text: str, blocks: list[Block], width: int) -> list[Line]:
    width = max(width, 8)
    lines: list[Line] = []
    for index, block in enumerate(blocks):
        if index:
            lines.append(Line(block.start, block.start, "blank"))
        start = block.start
        for part in text[block.start : block.end].split("\n"):
            _wrap(text, start, start + len(part), width, block.kind, lines)
            start += len(part) + 1
    return lines


def _wrap(text: str, start: int, end: int, width: int, kind: str, out: list[Line]) -> None:
    if _NOT_SINGLE.search(text, start, end):
        _wrap_cells(text, start, end, width, kind, out)
        return
    pos = start
    while end - pos > width:
        cut = text.rfind(" ", pos, pos + width + 1)
        if cut <= pos:
            out.append(Line(pos, pos + width, kind))
            pos += width
        else:
            out.append(Line(pos, cut, kind))
            pos = cut + 1
    out.append(Line(pos, end, kind))


def _wrap_cells(text: str, start: int, end: int, width: int, kind: str, out: list[Line]) -> None:
    """Slow path for text with wide or zero-width characters: count cells per word."""
    line_start, used = start, 0
    for match in re.finditer(r"\S+", text[start:end]):
        word_start, word_end = start + match.start(), start + match.end()
        cells = cell_len(match.group())
        gap = 1 if used else 0
        if used and used + gap + cells > width:
            out.append(Line(line_start, _trim_end(text, line_start, word_start), kind))
            line_start, used, gap = word_start, 0, 0
        while cells > width:  # a word longer than the line: split it by cells
            cut, taken = word_start, 0
            while cut < word_end and taken + cell_len(text[cut]) <= width - used:
                taken += cell_len(text[cut])
                cut += 1
            cut = max(cut, word_start + 1)
            out.append(Line(line_start, cut, kind))
            line_start, word_start, used = cut, cut, 0
            cells = cell_len(text[word_start:word_end])
        used += gap + cells
    out.append(Line(line_start, end, kind))


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] == " ":
        end -= 1
    return end


def line_at(lines: list[Line], offset: int) -> int:
    """Index of the line holding ``offset`` (for restoring a reading position)."""
    from bisect import bisect_right

    starts = [line.start for line in lines]
    return max(0, bisect_right(starts, offset) - 1)
