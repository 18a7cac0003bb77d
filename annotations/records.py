"""Builders for annotation records: spans with their anchor context, notes, entity corrections.

Records are plain dicts (what TinyDB stores and YAML exports), each with a stable string ``id``.
"""

from __future__ import annotations

import uuid
from typing import Any

from annotations.library import now
from annotations.sanitize import clean

CONTEXT = 32  # characters of prefix and suffix kept with a span to find it again


def new_id() -> str:
    return uuid.uuid4().hex[:16]


def _record(article_id: str, annotator: str, **fields: Any) -> dict[str, Any]:
    """What every record has: a new id, its article, its annotator and time."""
    return {
        "id": new_id(),
        "article": article_id,
        **fields,
        "annotator": annotator,
        "created": now(),
    }


def span(
    article_id: str,
    text: str,
    start: int,
    end: int,
    label: str,
    annotator: str,
    note: str = "",
) -> dict[str, Any]:
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span [{start}, {end}) is outside the text (length {len(text)})")
    record = _record(
        article_id,
        annotator,
        label=label,
        start=start,
        end=end,
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )
    if note.strip():
        record["note"] = clean(note).strip()
    return record


def note(article_id: str, body: str, annotator: str) -> dict[str, Any]:
    record = _record(article_id, annotator, text=clean(body).strip())
    record["updated"] = record["created"]
    return record


def entity_correction(
    article_id: str, action: str, surface: str, label: str | None, annotator: str
) -> dict[str, Any]:
    """``action``: "add", "remove" or "relabel"; applies to every mention of ``surface``."""
    if action not in ("add", "remove", "relabel"):
        raise ValueError(f"unknown entity correction {action!r}")
    record = _record(article_id, annotator, action=action, text=surface)
    if label:
        record["label"] = label
    return record
