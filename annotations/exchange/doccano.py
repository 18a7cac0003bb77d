"""doccano JSONL (sequence labelling with document categories): ``text``, ``label`` as
``[[start, end, label], ...]`` (passages only), ``cats`` the article's tags. doccano counts
offsets in code points of ``text``, as we do."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson

from annotations.exchange.documents import Document


def lines(docs: Iterable[Document], *, entities: bool = False) -> Iterator[bytes]:
    for doc in docs:
        triples = sorted({(p.start, p.end, p.label) for p in doc.passages})
        if entities:
            triples = sorted(set(triples) | set(doc.entities))
        record = {
            "id": doc.id,
            "text": doc.text,
            "label": [list(t) for t in triples],
            "cats": doc.tag_names,
            "meta": {"title": doc.title, "source": doc.source, "date": doc.date},
        }
        yield orjson.dumps(record) + b"\n"
