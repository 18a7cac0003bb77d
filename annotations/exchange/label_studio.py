"""Label Studio tasks: a JSON array to import, each task ``data.text`` with one annotation per
annotator holding ``labels`` results (passages) and a ``choices`` result (document tags); and
the labelling config those results need (``--config FILE``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import quoteattr

from annotations.exchange.documents import Document

FROM_LABELS, FROM_TAGS, TO = "label", "tags", "text"


def tasks(docs: Iterable[Document], *, entities: bool = False) -> list[dict[str, Any]]:
    out = []
    for doc in docs:
        results: dict[str, list[dict[str, Any]]] = {}
        for p in doc.passages:
            results.setdefault(p.annotator, []).append(
                _labels(p.id, p.start, p.end, p.label, doc.text)
            )
        if entities:
            for n, (start, end, label) in enumerate(doc.entities):
                results.setdefault("recogniser", []).append(
                    _labels(f"e{n}", start, end, label, doc.text)
                )
        by_annotator: dict[str, set[str]] = {}
        for t in doc.tags:
            by_annotator.setdefault(t.annotator, set()).add(t.tag)
        for annotator, tags in by_annotator.items():
            results.setdefault(annotator, []).append(
                {
                    "id": f"tags-{annotator}",
                    "from_name": FROM_TAGS,
                    "to_name": TO,
                    "type": "choices",
                    "value": {"choices": sorted(tags)},
                }
            )
        out.append(
            {
                "data": {
                    "text": doc.text,
                    "article_id": doc.id,
                    "title": doc.title,
                    "source": doc.source,
                    "date": doc.date,
                },
                "annotations": [
                    {"completed_by": {"email": annotator}, "result": result}
                    for annotator, result in sorted(results.items())
                ],
            }
        )
    return out


def _labels(result_id: str, start: int, end: int, label: str, text: str) -> dict[str, Any]:
    return {
        "id": result_id,
        "from_name": FROM_LABELS,
        "to_name": TO,
        "type": "labels",
        "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
    }


def config(labels: Iterable[str], tags: Iterable[str]) -> str:
    """The labelling config (XML) for these labels and tags."""
    lines = ["<View>", f'  <Labels name="{FROM_LABELS}" toName="{TO}">']
    lines += [f"    <Label value={quoteattr(name)}/>" for name in sorted(set(labels))]
    lines += ["  </Labels>", f'  <Text name="{TO}" value="$text"/>']
    lines += [f'  <Choices name="{FROM_TAGS}" toName="{TO}" choice="multiple">']
    lines += [f"    <Choice value={quoteattr(name)}/>" for name in sorted(set(tags))]
    lines += ["  </Choices>", "</View>", ""]
    return "\n".join(lines)
