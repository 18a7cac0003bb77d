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
    record: dict[str, Any] = {
        "id": new_id(),
        "article": article_id,
        "label": label,
        "start": start,
        "end": end,
        "quote": text[start:end],
        "prefix": text[max(0, start - CONTEXT) : start],
        "suffix": text[end : end + CONTEXT],
        "annotator": annotator,
        "created": now(),
    }
    if note.strip():
        record["note"] = clean(note).strip()
    return record


def note(article_id: str, body: str, annotator: str) -> dict[str, Any]:
    stamp = now()
    return {
        "id": new_id(),
        "article": article_id,
        "text": clean(body).strip(),
        "annotator": annotator,
        "created": stamp,
        "updated": stamp,
    }


def entity_correction(
    article_id: str,
    action: str,
    surface: str,
    label: str | None,
    annotator: str,
    start: int | None = None,
    end: int | None = None,
) -> dict[str, Any]:
    """``action``: "add", "remove" or "relabel"; applies to every mention of ``surface``."""
    if action not in ("add", "remove", "relabel"):
        raise ValueError(f"unknown entity correction {action!r}")
    record: dict[str, Any] = {
        "id": new_id(),
        "article": article_id,
        "action": action,
        "text": surface,
        "annotator": annotator,
        "created": now(),
    }
    if label:
        record["label"] = label
    if start is not None and end is not None:
        record["start"], record["end"] = start, end
    return record
