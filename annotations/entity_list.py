"""The user's entity list (their corrections) as YAML, and spaCy EntityRuler / Prodigy
phrase patterns (JSONL) read in as corrections."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from annotations.journal import Op
from annotations.labels import FOREIGN_LABELS as LABELS
from annotations.library import Library
from annotations.records import ENTITY_ACTIONS as ACTIONS
from annotations.records import EntityCorrection
from annotations.safeyaml import YamlInputError, load_untrusted
from annotations.sanitize import clean_line
from annotations.textfold import fold

FORMAT = "reader-entity-list"
VERSION = 1


@dataclass
class ListReport:
    added: int = 0
    already: int = 0
    skipped: list[str] = field(default_factory=list)


def latest(library: Library) -> list[EntityCorrection]:
    """The newest correction of each surface form, sorted by text."""
    newest: dict[str, EntityCorrection] = {}
    for record in library.records(EntityCorrection):  # oldest first
        newest[fold(record.text)] = record
    return sorted(newest.values(), key=lambda r: fold(r.text))


def export_document(library: Library) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "entities": [
            {k: v for k in ("text", "label", "action", "annotator") if (v := getattr(r, k, None))}
            for r in latest(library)
        ],
    }


def import_file(library: Library, path: Path) -> ListReport:
    """A YAML entity list, or JSONL patterns (``{"label": ..., "pattern": ...}`` a line)."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        wanted, report = _read_patterns(path)
    else:
        wanted, report = _read_yaml(path)
    have = {(fold(r.text), r.action, r.label) for r in latest(library)}
    new = []
    for text, action, label in wanted:
        if (fold(text), action, label) in have:
            report.already += 1
            continue
        have.add((fold(text), action, label))
        new.append(EntityCorrection.new("", action, text, label, library.annotator))
    if new:
        library.write(Op(r.KIND, r.to_dict()) for r in new)
    report.added = len(new)
    return report


Wanted = list[tuple[str, str, str | None]]  # (text, action, label) per correction


def _read_yaml(path: Path) -> tuple[Wanted, ListReport]:
    document = load_untrusted(path)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise YamlInputError(f"{path}: not a {FORMAT} file (format: {FORMAT})")
    items = document.get("entities") or []
    if not isinstance(items, list):
        raise YamlInputError(f"{path}: 'entities' is not a list")
    wanted: Wanted = []
    report = ListReport()
    for index, item in enumerate(items, start=1):
        where = f"{path}: entities[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise YamlInputError(f"{where}: needs a 'text'")
        action = item.get("action") or "add"
        label = LABELS.get(str(item.get("label") or "").upper())
        if action not in ACTIONS or (action != "remove" and label is None):
            report.skipped.append(f"{where}: action {action!r} / label {item.get('label')!r}")
            continue
        wanted.append((clean_line(item["text"]), action, label if action != "remove" else None))
    return wanted, report


def _read_patterns(path: Path) -> tuple[Wanted, ListReport]:
    wanted: Wanted = []
    report = ListReport()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlInputError(f"{path}: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            report.skipped.append(f"{where}: invalid JSON ({exc})")
            continue
        if not isinstance(item, dict):
            report.skipped.append(f"{where}: not an object")
            continue
        label = LABELS.get(str(item.get("label") or "").upper(), "ENT")
        pattern = item.get("pattern")
        if isinstance(pattern, list):  # token pattern: only exact words can be phrases
            words = [
                t.get("orth")
                or t.get("text")
                or t.get("lower")
                or t.get("ORTH")
                or t.get("TEXT")
                or t.get("LOWER")
                if isinstance(t, dict)
                else None
                for t in pattern
            ]
            phrase = [w for w in words if isinstance(w, str)]
            if not phrase or len(phrase) != len(words):
                report.skipped.append(f"{where}: a token pattern that is not a phrase")
                continue
            pattern = " ".join(phrase)
        if not isinstance(pattern, str) or not pattern.strip():
            report.skipped.append(f"{where}: no pattern")
            continue
        wanted.append((clean_line(pattern), "add", label))
    return wanted, report
