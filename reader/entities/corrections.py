"""User corrections win over the rules: add, remove or relabel a surface form everywhere."""

from __future__ import annotations

from collections.abc import Sequence

from annotations.labels import ENT
from annotations.records import EntityCorrection
from reader.entities import gazetteer
from reader.entities.recognizer import Entity


def latest_by_surface(corrections: Sequence[EntityCorrection]) -> dict[str, EntityCorrection]:
    """The newest correction of each surface form (folded), whoever made it."""
    latest: dict[str, EntityCorrection] = {}
    for record in sorted(corrections, key=lambda r: r.created):
        if record.text.strip():
            latest[gazetteer.key(record.text)] = record
    return latest


def apply_corrections(
    text: str, entities: list[Entity], corrections: Sequence[EntityCorrection]
) -> list[Entity]:
    if not corrections:
        return entities
    latest = latest_by_surface(corrections)
    out: list[Entity] = []
    for entity in entities:
        record = latest.get(gazetteer.key(entity.text))
        if record is None or record.action == "add":
            out.append(entity)
        elif record.action == "relabel":
            out.append(Entity(entity.text, record.label or ENT, entity.start, entity.end))
        # "remove": dropped
    for record in latest.values():
        if record.action in ("add", "relabel"):
            out = _add_everywhere(text, out, record.text, record.label or ENT)
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
