"""CoNLL (IOB2): one token and its entity tag per line, a blank line between sentences,
``-DOCSTART- -X- O O`` before each article; what NER trainers read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from annotations.exchange.documents import Document
from annotations.exchange.tokens import Token, tokenize

SENTENCE_END = {".", "!", "?", "…"}


def lines(docs: Iterable[Document], *, passages: bool = False) -> Iterator[str]:
    """The entities of each article (and its passages, when ``passages``: a passage's label
    as the tag); where two overlap, the first to start (then the longer) wins."""
    for doc in docs:
        marks = list(doc.entities)
        if passages:
            marks += [(p.start, p.end, "_".join(p.label.split())) for p in doc.passages]
        marks.sort(key=lambda m: (m[0], -m[1]))
        tokens = tokenize(doc.text, [x for m in marks for x in m[:2]])
        tags = _iob(tokens, marks)
        yield "-DOCSTART- -X- O O\n"
        yield "\n"
        sentence_open = False
        for token, tag in zip(tokens, tags, strict=True):
            if token.text.isspace():
                if "\n" in token.text and sentence_open:
                    yield "\n"
                    sentence_open = False
                continue
            yield f"{token.text}\t{tag}\n"
            sentence_open = True
            if token.text in SENTENCE_END and token.ws:
                yield "\n"
                sentence_open = False
        if sentence_open:
            yield "\n"


def _iob(tokens: list[Token], marks: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * len(tokens)
    taken = [False] * len(tokens)
    for start, end, label in marks:
        inside = [
            t.id for t in tokens if start <= t.start and t.end <= end and not t.text.isspace()
        ]
        if not inside or any(taken[i] for i in inside):
            continue
        for n, i in enumerate(inside):
            tags[i] = ("B-" if n == 0 else "I-") + label
            taken[i] = True
    return tags
