"""User corrections win over the rules: add, remove or relabel a surface form everywhere."""

from __future__ import annotations

from typing import Any

from reader.entities import gazetteer
from reader.entities.recognizer import Entity


def latest_by_surface(corrections: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The newest correction of each surface form (folded)."""
    latest: dict[str, dict[str, Any]] = {}
    for record in sorted(corrections, key=lambda r: r.get("created") or ""):
        text = record.get("text")
        if isinstance(text, str) and text.strip():
            latest[gazetteer.key(text)] = record
    return latest


def apply_corrections(
    text: str, entities: list[Entity], corrections: list[dict[str, Any]]
) -> list[Entity]:
    if not corrections:
        return entities
    latest = latest_by_surface(corrections)
    out: list[Entity] = []
    for entity in entities:
        record = latest.get(gazetteer.key(entity.text))
        if record is None or record.get("action") == "add":
            out.append(entity)
        elif record.get("action") == "relabel":
            out.append(Entity(entity.text, str(record.get("label")), entity.start, entity.end))
        # "remove": dropped
    added = [r for r in latest.values() if r.get("action") in ("add", "relabel")]
    for record in added:
        out = _add_everywhere(text, out, record["text"], str(record.get("label") or "ENT"))
    return sorted(out, key=lambda e: e.start)


def _add_everywhere(text: str, entities: list[Entity], surface: str, label: str) -> list[Entity]:
    from reader.core.highlights import phrase_pattern

    pattern = phrase_pattern(surface)
    if pattern is None:
        return entities
    for match in pattern.finditer(text):
        start, end = match.start(), match.end()
        entities = [e for e in entities if e.end <= start or e.start >= end]
        entities.append(Entity(text[start:end], label, start, end))
    return entities
