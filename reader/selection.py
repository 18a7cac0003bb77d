"""Where a keyboard selection moves: word, sentence and paragraph boundaries (pure)."""

from __future__ import annotations

import re

from annotations.model import Block

_WORD = re.compile(r"\w+(?:['’]\w+)?|[^\w\s]")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)]*(?=\s|$)")


def next_word_end(text: str, pos: int, limit: int) -> int:
    match = _WORD.search(text, pos, limit)
    return match.end() if match else limit


def previous_word_end(text: str, pos: int, floor: int) -> int:
    """The end of the word before the one ending at ``pos`` (shrinks a selection)."""
    ends = [m.end() for m in _WORD.finditer(text, floor, pos) if m.end() < pos]
    return ends[-1] if ends else floor


def word_at(text: str, pos: int) -> tuple[int, int]:
    for match in _WORD.finditer(text, max(0, pos - 64), min(len(text), pos + 64)):
        if match.start() <= pos < match.end():
            return match.start(), match.end()
    return pos, min(len(text), pos + 1)


def next_sentence_end(text: str, pos: int, limit: int) -> int:
    match = _SENTENCE_END.search(text, pos + 1, limit)
    return match.end() if match else limit


def previous_sentence_end(text: str, pos: int, floor: int) -> int:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, floor, pos) if m.end() < pos]
    return ends[-1] if ends else floor


def sentence_start(text: str, pos: int, floor: int) -> int:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, floor, pos)]
    start = ends[-1] if ends else floor
    while start < pos and text[start].isspace():
        start += 1
    return start


def block_of(blocks: list[Block], pos: int) -> Block:
    for block in blocks:
        if block.start <= pos <= block.end:
            return block
    return blocks[-1]
