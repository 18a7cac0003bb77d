"""Where a keyboard selection moves: word, sentence and paragraph boundaries (pure)."""

from __future__ import annotations

import re
from functools import cached_property

from annotations.model import Block

_WORD = re.compile(r"\w+(?:['’]\w+)?|[^\w\s]")
# Linear: a start at most 16 stops before a run's end matches at the same end as any start
# in it, and possessive runs give nothing back ("[.!?…]+" took quadratic time on a long run of
# dots). Only the end of a match is used.
_SENTENCE_END = re.compile(r"[.!?…]{1,16}+[\"'”’»)]*+(?=\s|$)")


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


Span = tuple[int, int]


class Selector:
    """Keyboard selection over an article's canonical text: each move returns a new
    (start, end), staying inside paragraphs as a reader expects."""

    def __init__(self, text: str, blocks: list[Block]) -> None:
        self.text = text
        self.blocks = blocks

    def block(self, pos: int) -> Block:
        return block_of(self.blocks, pos)

    def first_word(self, pos: int) -> Span:
        """The sentence at ``pos`` (its first word), where a selection starts."""
        block = self.block(pos)
        start = max(sentence_start(self.text, max(pos, block.start), block.start), block.start)
        return start, next_word_end(self.text, start, block.end)

    def grow_word(self, span: Span, delta: int) -> Span:
        start, end = span
        limit = self.block(start).end
        if delta > 0:
            return start, next_word_end(self.text, end, limit)
        return start, max(previous_word_end(self.text, end, start), start + 1)

    def grow_sentence(self, span: Span, delta: int) -> Span:
        start, end = span
        limit = self.block(start).end
        if delta > 0:
            return start, next_sentence_end(self.text, end, limit)
        shorter = previous_sentence_end(self.text, end, start)
        return start, max(shorter, next_word_end(self.text, start, limit))

    def grow_paragraph(self, span: Span) -> Span:
        """To the end of the paragraph; again, to the end of the next one."""
        start, end = span
        block = self.block(start)
        following = [b for b in self.blocks if b.end > end and b.start > start]
        if end >= block.end and following:
            return start, following[0].end
        return start, block.end

    def whole_paragraph(self, span: Span) -> Span:
        block = self.block(span[0])
        return block.start, block.end

    @cached_property
    def sentence_starts(self) -> list[int]:
        """Where every sentence of the text starts (each block starts one)."""
        starts: list[int] = []
        for block in self.blocks:
            starts.append(block.start)
            for match in _SENTENCE_END.finditer(self.text, block.start, block.end):
                pos = match.end()
                while pos < block.end and self.text[pos].isspace():
                    pos += 1
                if pos < block.end:
                    starts.append(pos)
        return starts

    def move_sentence(self, span: Span, delta: int) -> Span:
        """The start of the next/previous sentence (across paragraphs), one word selected."""
        start = span[0]
        starts = self.sentence_starts
        if delta > 0:
            new = next((s for s in starts if s > start), start)
        else:
            new = next((s for s in reversed(starts) if s < start), start)
        return new, next_word_end(self.text, new, self.block(new).end)

    def move_word(self, span: Span, delta: int) -> Span:
        start = span[0]
        block = self.block(start)
        if delta > 0:
            end = next_word_end(self.text, start, block.end)
            following, _ = word_at(self.text, min(block.end - 1, end + 1))
            new = following if following > start else start
        else:
            new = max(block.start, word_at(self.text, max(block.start, start - 2))[0])
        return new, next_word_end(self.text, new, block.end)
