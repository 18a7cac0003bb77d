"""Tokens for the exports that carry them (Prodigy/spaCy JSONL, CoNLL): a Turkish reader's
split, aligned to the text exactly.

- a word is a run of letters, digits and combining marks; an apostrophe (``'`` or ``’``) with
  the letters after it is a token of its own, the suffix (``Türkiye`` ``’nin``);
- any other character that is not a space is a token by itself (punctuation);
- ``ws`` is true when exactly one space follows a token; any other whitespace (a newline, the
  blank line between paragraphs, further spaces) is a token of its own, so that
  ``"".join(t.text + " " * t.ws for t in tokens) == text``;
- every offset in ``cuts`` (a passage's start or end) is a token boundary: a word is split there
  (``ateşkes`` | ``in``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

APOSTROPHES = "'’"
# each alternative consumes at least one character and none can backtrack into another's
_PIECE = re.compile(r"[^\W_]+|[" + APOSTROPHES + r"][^\W_]+|\s+|.", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    id: int
    ws: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "id": self.id,
            "ws": self.ws,
        }


def tokenize(text: str, cuts: Iterable[int] = ()) -> list[Token]:
    """The tokens of ``text``, split at every offset in ``cuts`` as well."""
    wanted = {c for c in cuts if 0 < c < len(text)}
    cut = sorted(wanted)
    pieces: list[tuple[int, int]] = []
    index = 0
    for match in _PIECE.finditer(text):
        start, end = match.span()
        while index < len(cut) and cut[index] <= start:
            index += 1
        while index < len(cut) and cut[index] < end:
            pieces.append((start, cut[index]))
            start = cut[index]
            index += 1
        pieces.append((start, end))
    tokens: list[Token] = []
    for start, end in pieces:
        piece = text[start:end]
        boundary = start in wanted or start + 1 in wanted  # a span begins or ends in the space
        if (
            piece[0] == " "
            and piece.isspace()
            and tokens
            and _takes_space(tokens[-1])
            and not boundary
        ):
            last = tokens[-1]
            tokens[-1] = Token(last.text, last.start, last.end, last.id, True)
            start += 1
            if start == end:
                continue
        tokens.append(Token(text[start:end], start, end, len(tokens), False))
    return tokens


def _takes_space(token: Token) -> bool:
    """A word or punctuation token not yet followed by its one space."""
    return not token.ws and not token.text.isspace()
