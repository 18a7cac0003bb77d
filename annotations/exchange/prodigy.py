"""Prodigy / spaCy JSONL: one article a line, ``text``, ``tokens``, token-aligned ``spans`` and
``meta`` (docs/exchange.md). spaCy's ``Doc(vocab, words, spaces)`` of the tokens gives back the
text exactly, and ``doc.char_span`` finds every span."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson

from annotations.exchange.documents import Document
from annotations.exchange.tokens import tokenize
from annotations.model import TEXT_MODEL


def lines(docs: Iterable[Document], *, entities: bool = False) -> Iterator[bytes]:
    for doc in docs:
        spans = [(p.start, p.end, p.label, p.annotator, p.id, p.note) for p in doc.passages]
        if entities:
            spans += [(s, e, label, "recogniser", "", None) for s, e, label in doc.entities]
        tokens = tokenize(doc.text, [x for s in spans for x in s[:2]])
        first = {t.start: t.id for t in tokens}
        last = {t.end: t.id for t in tokens}
        record = {
            "text": doc.text,
            "tokens": [t.as_dict() for t in tokens],
            "spans": [
                {
                    "start": start,
                    "end": end,
                    "token_start": first[start],
                    "token_end": last[end],
                    "label": label,
                    "annotator": annotator,
                    **({"id": span_id} if span_id else {}),
                    **({"note": note} if note else {}),
                }
                for start, end, label, annotator, span_id, note in sorted(spans, key=_order)
            ],
            "meta": {
                "id": doc.id,
                "title": doc.title,
                "source": doc.source,
                "date": doc.date,
                "tags": doc.tag_names,
                "notes": [n.text for n in doc.notes],
                "text_model": TEXT_MODEL,
            },
        }
        yield orjson.dumps(record) + b"\n"


def _order(span: tuple[int, int, str, str, str, str | None]) -> tuple[int, int, str, str]:
    return span[:4]
