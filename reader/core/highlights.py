"""Marks: styled ranges of the canonical text (entities, keywords, spans, search hits)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.core.search import Terms, word_pattern


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    kind: str  # a component-class suffix of the article view: "person", "keyword", "span", ...


PHRASE_MAX_WORDS = 16  # longer keywords or surface forms are not looked for
PHRASE_MAX_CHARS = 200


def phrase_pattern(phrase: str) -> re.Pattern[str] | None:
    """Case-insensitive, Turkish-aware (i/ı/I/İ) pattern; offsets stay exact. Whole words: not
    inside a longer word (an apostrophe suffix may follow: ``Gazze'ye``)."""
    words = phrase.split()
    if not words or len(words) > PHRASE_MAX_WORDS or len(phrase) > PHRASE_MAX_CHARS:
        return None  # a "phrase" of a thousand words would take a thousand steps per word
    body = r"\s+".join(_escape(w) for w in words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def _escape(word: str) -> str:
    return "".join("['’]" if ch in "'’" else re.escape(ch) for ch in word)


def keyword_marks(text: str, keywords: list[str]) -> list[Mark]:
    """Where the publisher's keywords occur in the text (suffixes such as -'da allowed)."""
    marks: list[Mark] = []
    for keyword in keywords:
        pattern = phrase_pattern(keyword)
        if pattern is not None:
            marks.extend(Mark(m.start(), m.end(), "keyword") for m in pattern.finditer(text))
    return sorted(marks, key=lambda m: (m.start, -m.end))


def search_marks(text: str, query: str) -> list[Mark]:
    """Where each word of a library search matches the text, by the rules search uses
    (``gul`` marks ``gül``, ``ispartada`` marks ``Isparta’da``)."""
    marks: list[Mark] = []
    for word in Terms(query).words:
        pattern = re.compile(word_pattern(word), re.IGNORECASE)
        marks.extend(Mark(m.start(), m.end(), "search") for m in pattern.finditer(text))
    return sorted(marks, key=lambda m: (m.start, -m.end))
