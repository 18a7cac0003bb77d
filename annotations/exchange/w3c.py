"""W3C Web Annotation (JSON-LD): one AnnotationCollection with an ``id``, its page with an
``id``; passages with a TextQuoteSelector and a TextPositionSelector, tags and notes on the
whole article; creators as Person agents with an IRI under ``base`` (default a ``urn:`` of the
product); the text model a JSON literal under a term of our own context, so JSON-LD processors
keep every creator and the text model (tests/test_formats_exchange.py expands it with pyld)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from annotations.exchange.documents import Document, Passage
from annotations.model import TEXT_MODEL

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
OURS = "urn:haber-okur:"
DEFAULT_BASE = OURS + "annotator:"
LOCAL_CONTEXT = {"textModel": {"@id": OURS + "textModel", "@type": "@json"}}


def creator(name: str, base: str) -> dict[str, str]:
    return {"id": base + quote(name, safe=""), "type": "Person", "name": name}


def _target(article_id: str, passage: Passage | None = None) -> dict[str, Any]:
    source = f"{OURS}article:{article_id}"
    if passage is None:
        return {"source": source}
    return {
        "source": source,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": passage.quote,
                "prefix": passage.prefix,
                "suffix": passage.suffix,
            },
            {"type": "TextPositionSelector", "start": passage.start, "end": passage.end},
        ],
    }


def collection(docs: Iterable[Document], *, base: str = DEFAULT_BASE) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for doc in docs:
        for tagging in doc.tags:
            items.append(
                {
                    "id": f"{OURS}tag:{tagging.id}",
                    "type": "Annotation",
                    "motivation": "tagging",
                    "creator": creator(tagging.annotator, base),
                    **_created(tagging.created),
                    "body": {"type": "TextualBody", "purpose": "tagging", "value": tagging.tag},
                    "target": _target(doc.id),
                }
            )
        for passage in doc.passages:
            body = [{"type": "TextualBody", "purpose": "tagging", "value": passage.label}]
            if passage.note:
                body.append({"type": "TextualBody", "purpose": "commenting", "value": passage.note})
            items.append(
                {
                    "id": f"{OURS}span:{passage.id}",
                    "type": "Annotation",
                    "motivation": "highlighting",
                    "creator": creator(passage.annotator, base),
                    **_created(passage.created),
                    "body": body,
                    "target": _target(doc.id, passage),
                }
            )
        for note in doc.notes:
            items.append(
                {
                    "id": f"{OURS}note:{note.id}",
                    "type": "Annotation",
                    "motivation": "commenting",
                    "creator": creator(note.annotator, base),
                    **_created(note.created),
                    "body": {"type": "TextualBody", "purpose": "commenting", "value": note.text},
                    "target": _target(doc.id),
                }
            )
    digest = hashlib.sha256("\n".join(i["id"] for i in items).encode()).hexdigest()[:16]
    collection_id = f"{OURS}collection:{digest}"
    return {
        "@context": [CONTEXT, LOCAL_CONTEXT],
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": "haber-okur annotations",
        "textModel": dict(TEXT_MODEL),
        "total": len(items),
        "first": {
            "id": f"{collection_id}:page1",
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": 0,
            "items": items,
        },
    }


def _created(value: str) -> dict[str, str]:
    return {"created": value} if value else {}
