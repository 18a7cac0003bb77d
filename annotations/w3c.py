"""W3C Web Annotation (JSON-LD) export: passages as TextQuote + TextPosition selectors,
notes and tags as annotations on the whole article."""

from __future__ import annotations

from typing import Any

from annotations.library import Library
from annotations.model import TEXT_MODEL
from annotations.yamlio import export_document

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def _target(article_id: str, span: dict[str, Any] | None = None) -> dict[str, Any]:
    source = f"urn:haber-okur:article:{article_id}"
    if span is None:
        return {"source": source}
    return {
        "source": source,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": span["quote"],
                "prefix": span.get("prefix", ""),
                "suffix": span.get("suffix", ""),
            },
            {"type": "TextPositionSelector", "start": span["start"], "end": span["end"]},
        ],
    }


def export_collection(
    library: Library,
    *,
    tag: str | None = None,
    annotator: str | None = None,
    include_all: bool = False,
    gold: bool = False,
) -> dict[str, Any]:
    """One AnnotationCollection of every exported tag, passage and note (the filters are
    :func:`annotations.yamlio.export_document`'s)."""
    items: list[dict[str, Any]] = []
    document = export_document(
        library, tag=tag, annotator=annotator, include_all=include_all, gold=gold
    )
    for entry in document["articles"]:
        article_id = entry["id"]
        for tagging in entry["tags"]:
            items.append(
                {
                    "id": f"urn:haber-okur:tag:{tagging['id']}",
                    "type": "Annotation",
                    "motivation": "tagging",
                    "creator": tagging["annotator"],
                    "created": tagging["created"],
                    "body": {"type": "TextualBody", "purpose": "tagging", "value": tagging["tag"]},
                    "target": _target(article_id),
                }
            )
        for span in entry["spans"]:
            body = [{"type": "TextualBody", "purpose": "tagging", "value": span["label"]}]
            if span.get("note"):
                body.append({"type": "TextualBody", "purpose": "commenting", "value": span["note"]})
            items.append(
                {
                    "id": f"urn:haber-okur:span:{span['id']}",
                    "type": "Annotation",
                    "motivation": "highlighting",
                    "creator": span["annotator"],
                    "created": span["created"],
                    "body": body,
                    "target": _target(article_id, span),
                }
            )
        for note in entry["notes"]:
            items.append(
                {
                    "id": f"urn:haber-okur:note:{note['id']}",
                    "type": "Annotation",
                    "motivation": "commenting",
                    "creator": note["annotator"],
                    "created": note["created"],
                    "body": {"type": "TextualBody", "purpose": "commenting", "value": note["text"]},
                    "target": _target(article_id),
                }
            )
    return {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": "haber-okur annotations",
        "textModel": TEXT_MODEL,
        "total": len(items),
        "first": {"type": "AnnotationPage", "items": items},
    }
