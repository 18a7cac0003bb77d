"""Exports for other annotation tools and NLP pipelines (docs/exchange.md): every format is
built from the same documents (:mod:`annotations.exchange.documents`) as the YAML v1 export,
with the same filters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from annotations.exchange.documents import Document, EntityFinder, documents
from annotations.library import Library


@dataclass
class Exported:
    articles: int
    data: bytes = b""  # one file
    files: dict[str, str] = field(default_factory=dict)  # a folder: name -> content
    extra: dict[str, str] = field(default_factory=dict)  # what --config asks for, by kind


def export(
    library: Library,
    fmt: str,
    *,
    filters: dict[str, Any],
    entities: EntityFinder | None = None,
    w3c_base: str | None = None,
) -> Exported:
    """``fmt`` of :data:`annotations.exchange.FORMATS`; ``entities`` adds each article's
    entities (CoNLL's tags come only from them; YAML v1 carries records, not entities)."""
    if fmt == "yaml":
        from annotations.yamlio import dump, export_document

        document = export_document(library, **filters)
        return Exported(len(document["articles"]), dump(document).encode("utf-8"))
    docs: list[Document] = list(documents(library, entities=entities, **filters))
    with_entities = entities is not None
    if fmt == "jsonl":
        from annotations.exchange import prodigy

        return Exported(len(docs), b"".join(prodigy.lines(docs, entities=with_entities)))
    if fmt == "doccano":
        from annotations.exchange import doccano

        return Exported(len(docs), b"".join(doccano.lines(docs, entities=with_entities)))
    if fmt == "brat":
        from annotations.exchange import brat

        return Exported(len(docs), files=brat.files(docs, entities=with_entities))
    if fmt == "conll":
        from annotations.exchange import conll

        return Exported(len(docs), "".join(conll.lines(docs)).encode("utf-8"))
    if fmt == "label-studio":
        from annotations.exchange import label_studio

        tasks = label_studio.tasks(docs, entities=with_entities)
        labels = {p.label for d in docs for p in d.passages}
        if with_entities:
            labels |= {label for d in docs for _, _, label in d.entities}
        config = label_studio.config(labels, {t for d in docs for t in d.tag_names})
        data = orjson.dumps(tasks, option=orjson.OPT_INDENT_2) + b"\n"
        return Exported(len(docs), data, extra={"config": config})
    if fmt == "w3c":
        from annotations.exchange import w3c

        collection = w3c.collection(docs, base=w3c_base or w3c.DEFAULT_BASE)
        return Exported(len(docs), orjson.dumps(collection, option=orjson.OPT_INDENT_2) + b"\n")
    raise ValueError(f"unknown export format {fmt!r}")
