"""Annotated text to learn from or score on: CoNLL files, JSONL (Prodigy, doccano) and the library.

Every reader gives :class:`Document` objects: a text and its entities as ``(start, end, label)``
with our labels (``PERSON``, ``ORG``, ``LOC``, ``ENT``). A CoNLL sentence becomes a text of its
tokens joined by spaces; a tagged token that ends in an apostrophe suffix (``Almanya'nın B-LOC``)
gives an entity that stops before the apostrophe, as the CoNLL scoring of Turkish does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from annotations.labels import ENT, LOC, ORG, PERSON

Span = tuple[int, int, str]

#: labels in other corpora -> ours; a label not here is left out (and counted in the summary)
LABEL_MAP = {
    "PER": PERSON,
    "PERSON": PERSON,
    "ORG": ORG,
    "ORGANIZATION": ORG,
    "ORGANISATION": ORG,
    "LOC": LOC,
    "LOCATION": LOC,
    "GPE": LOC,
    "ENT": ENT,
}
APOSTROPHES = "'’"


class CorpusError(ValueError):
    """A corpus file that cannot be read (its name and line in the message)."""


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    spans: tuple[Span, ...]
    keywords: tuple[str, ...] = ()


@dataclass
class Summary:
    """What a corpus gave: documents, entities per label, labels left out, problems."""

    documents: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)

    def add(self, doc: Document) -> None:
        self.documents += 1
        self.entities.update(label for _, _, label in doc.spans)

    def describe(self) -> str:
        found = ", ".join(f"{n} {label}" for label, n in sorted(self.entities.items())) or "none"
        text = f"{self.documents} sentences/documents, entities: {found}"
        if self.ignored:
            left = ", ".join(f"{label} ({n})" for label, n in sorted(self.ignored.items()))
            text += f"; labels left out: {left}"
        return text


def map_label(raw: str, summary: Summary) -> str | None:
    label = LABEL_MAP.get(raw.strip().upper())
    if label is None:
        summary.ignored[raw] += 1
    return label


# -- CoNLL -----------------------------------------------------------------------------------
def read_conll(path: Path, summary: Summary) -> Iterator[Document]:
    """One token per line, its tag last (IOB1, IOB2 or BIOES); blank lines and ``-DOCSTART-``
    between sentences. Tab- or space-separated; other columns ignored."""
    sentence: list[tuple[str, str]] = []
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("-DOCSTART-"):
                if sentence:
                    yield _conll_document(sentence, summary)
                    sentence = []
                continue
            parts = line.split()
            if len(parts) < 2:
                raise CorpusError(f"{path}: line {number}: a token and a tag expected")
            sentence.append((parts[0], parts[-1]))
    if sentence:
        yield _conll_document(sentence, summary)


def _conll_document(sentence: list[tuple[str, str]], summary: Summary) -> Document:
    spans: list[Span] = []
    position = 0
    current: list[int] | None = None  # [start, end] of the entity being read
    label: str | None = None
    previous = "O"  # the type of the previous token's tag

    def close() -> None:
        nonlocal current
        if current is not None and label is not None and current[1] > current[0]:
            spans.append((current[0], current[1], label))
        current = None

    for token, tag in sentence:
        start = position
        position += len(token) + 1
        kind, _, raw = tag.partition("-")
        kind = kind.upper()
        if kind not in ("B", "I", "E", "S") or not raw:
            close()
            previous = "O"
            continue
        # IOB1: an I- tag starts an entity unless the previous token had the same type
        if kind in ("B", "S") or raw != previous:
            close()
            label = map_label(raw, summary)
            current = [start, start + _suffix_cut(token)]
        elif current is not None:
            current[1] = start + _suffix_cut(token)
        previous = raw
        if kind in ("E", "S"):
            close()
            previous = "O"
    close()
    doc = Document(" ".join(token for token, _ in sentence), tuple(spans))
    summary.add(doc)
    return doc


def _suffix_cut(token: str) -> int:
    """Length of ``token`` before an apostrophe suffix (``Almanya'nın`` -> 7)."""
    for index, ch in enumerate(token):
        if ch in APOSTROPHES and index > 0 and token[index + 1 : index + 2].isalpha():
            return index
    return len(token)


# -- JSONL -----------------------------------------------------------------------------------
def read_jsonl(path: Path, summary: Summary) -> Iterator[Document]:
    """A record a line with ``text`` and its spans: Prodigy/spaCy ``spans: [{start, end,
    label}]``, doccano ``label: [[start, end, label]]`` (or ``entities``)."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = orjson.loads(line.lstrip(b"\xef\xbb\xbf"))
            except orjson.JSONDecodeError as exc:
                raise CorpusError(f"{path}: line {number}: not JSON ({exc})") from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise CorpusError(f"{path}: line {number}: a record with a text expected")
            text = record["text"]
            spans: list[Span] = []
            for item in _raw_spans(record):
                start, end, raw = item
                if not (0 <= start < end <= len(text)):
                    raise CorpusError(f"{path}: line {number}: span {start}-{end} outside text")
                label = map_label(raw, summary)
                if label is not None:
                    spans.append((start, end, label))
            doc = Document(text, tuple(sorted(spans)))
            summary.add(doc)
            yield doc


def _raw_spans(record: dict[str, Any]) -> Iterator[tuple[int, int, str]]:
    for span in record.get("spans") or []:
        if isinstance(span, dict):
            yield int(span["start"]), int(span["end"]), str(span["label"])
    for key in ("label", "entities"):
        for span in record.get(key) or []:
            if isinstance(span, list | tuple) and len(span) == 3:
                yield int(span[0]), int(span[1]), str(span[2])
            elif isinstance(span, dict) and "start_offset" in span:
                yield int(span["start_offset"]), int(span["end_offset"]), str(span["label"])


def read_corpus(path: Path, summary: Summary) -> Iterator[Document]:
    """By the file's content: JSON lines when its first non-blank character is ``{``."""
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"{"):
        return read_jsonl(path, summary)
    return read_conll(path, summary)


def read_corpora(paths: Iterable[Path], summary: Summary) -> list[Document]:
    docs: list[Document] = []
    for path in paths:
        try:
            docs.extend(read_corpus(path, summary))
        except (OSError, UnicodeDecodeError) as exc:
            raise CorpusError(f"{path}: {exc}") from None
    return docs
