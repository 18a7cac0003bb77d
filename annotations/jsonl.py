"""JSONL export for other annotation tools: one article a line, ``text`` with ``spans``
(start/end/label indexing that text), and ``meta``."""

from __future__ import annotations

from collections.abc import Iterator

import orjson

from annotations.library import Library
from annotations.model import TEXT_MODEL
from annotations.yamlio import export_document


def export_lines(
    library: Library,
    *,
    tag: str | None = None,
    annotator: str | None = None,
    include_all: bool = False,
    gold: bool = False,
) -> Iterator[bytes]:
    """The filters are :func:`annotations.yamlio.export_document`'s."""
    document = export_document(
        library, tag=tag, annotator=annotator, include_all=include_all, gold=gold
    )
    for entry in document["articles"]:
        article = library.load_article(entry["id"])
        spans = [
            {
                "start": s["start"],
                "end": s["end"],
                "label": s["label"],
                **({"note": s["note"]} if s.get("note") else {}),
            }
            for s in entry["spans"]
            if not s.get("orphaned")
        ]
        yield (
            orjson.dumps(
                {
                    "text": article.text,
                    "spans": spans,
                    "meta": {
                        "id": entry["id"],
                        "title": entry["title"],
                        "source": entry["source"],
                        "date": entry["date"],
                        "tags": sorted({t["tag"] for t in entry["tags"]}),
                        "notes": [n["text"] for n in entry["notes"]],
                        "text_model": TEXT_MODEL,
                    },
                }
            )
            + b"\n"
        )
