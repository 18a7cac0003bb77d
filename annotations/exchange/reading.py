"""Annotations from other tools' files (Prodigy/spaCy JSONL, doccano JSONL, brat folders, Label
Studio JSON) as merge entries: merged by annotations/merge.py with the YAML rules (nothing
duplicated, nothing overwritten silently, spans re-anchored, a report). docs/exchange.md.

Each record is matched to a library article by its text (NFC, LF), else by the id in its
metadata. Labels become passages, or entity corrections (``as_entities``). Records get ids from
what they say (article, annotator, kind, offsets or text), so importing a file twice adds
nothing; a record with no annotator is the importing annotator's.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from annotations.labels import FOREIGN_LABELS
from annotations.merge import Entry
from annotations.records import EntityCorrection, Note, Record, Span, Tag, now, stable_id
from annotations.safeyaml import YamlInputError
from annotations.sanitize import clean_line, strip_controls

MAX_BYTES = 256 * 1024 * 1024
FORMATS = ("jsonl", "doccano", "brat", "label-studio")


class ForeignInputError(YamlInputError):
    """A file of another tool that cannot be read: names the file and the place."""


@dataclass
class Foreign:
    """What a file holds, before merging: entries, and problems (file: place: problem)."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class _Mark:
    """A labelled stretch of a foreign file's text."""

    start: int
    end: int
    label: str
    annotator: str | None = None
    note: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class _Item:
    """One article of a foreign file."""

    where: str
    text: str
    meta_id: str | None
    title: str | None
    spans: list[_Mark]
    tags: list[tuple[str, str | None]]  # tag, annotator
    notes: list[tuple[str, str | None]]


def detect(path: Path) -> str:
    """Which format a file or folder is in (a folder, or a .ann file: brat)."""
    if path.is_dir() or path.suffix == ".ann":
        return "brat"
    head = _read(path)[:65536].lstrip()
    if head.startswith(b"["):
        return "label-studio"
    first = head.split(b"\n", 1)[0]
    try:
        record = orjson.loads(first)
    except orjson.JSONDecodeError as exc:
        raise ForeignInputError(f"{path}: line 1: not JSON ({exc})") from exc
    if isinstance(record, dict) and isinstance(record.get("label"), list):
        return "doccano"
    return "jsonl"


def read(path: Path, fmt: str, annotator: str, *, as_entities: bool) -> Foreign:
    items = {
        "jsonl": _prodigy,
        "doccano": _doccano,
        "brat": _brat,
        "label-studio": _label_studio,
    }[fmt](path)
    out = Foreign()
    for item in items:
        try:
            out.entries.append(_entry(item, annotator, as_entities))
        except ValueError as exc:
            out.problems.append(f"{item.where}: {exc}")
    return out


# -- the formats -----------------------------------------------------------------------
def _prodigy(path: Path) -> Iterator[_Item]:
    for where, record in _json_lines(path):
        meta = _mapping(record.get("meta"))
        spans = [
            _Mark(
                _int(s, "start", where),
                _int(s, "end", where),
                _str(s, "label", where),
                _opt(s.get("annotator")),
                _opt(s.get("note")),
                _opt(s.get("id")),
            )
            for s in _list(record, "spans", where)
        ]
        tags: list[tuple[str, str | None]] = [
            (_text(t, where), None) for t in _list(meta, "tags", where)
        ]
        notes: list[tuple[str, str | None]] = [
            (_text(n, where), None) for n in _list(meta, "notes", where)
        ]
        yield _Item(
            where,
            _text(record.get("text"), where),
            _opt(meta.get("id")),
            _opt(meta.get("title")),
            spans,
            tags,
            notes,
        )


def _doccano(path: Path) -> Iterator[_Item]:
    for where, record in _json_lines(path):
        spans = []
        for triple in _list(record, "label", where):
            if not (isinstance(triple, list) and len(triple) == 3):
                raise ForeignInputError(f"{where}: label: expected [start, end, label]")
            start, end, label = triple
            spans.append(_Mark(_whole(start, where), _whole(end, where), _text(label, where)))
        tags: list[tuple[str, str | None]] = [
            (_text(t, where), None) for t in _list(record, "cats", where)
        ]
        meta = _mapping(record.get("meta"))
        yield _Item(
            where,
            _text(record.get("text"), where),
            _opt(record.get("id")),
            _opt(meta.get("title")),
            spans,
            tags,
            [],
        )


def _brat(path: Path) -> Iterator[_Item]:
    anns = sorted(path.glob("*.ann")) if path.is_dir() else [path]
    for ann in anns:
        txt = ann.with_suffix(".txt")
        if not txt.exists():
            raise ForeignInputError(f"{ann}: no {txt.name} beside it (brat keeps the text there)")
        text = _decode(_read(txt), txt)
        spans: dict[str, _Mark] = {}
        notes: dict[str, str] = {}
        for number, line in enumerate(_decode(_read(ann), ann).split("\n"), start=1):
            where = f"{ann}: line {number}"
            if line.startswith("T"):
                parts = line.split("\t")
                if len(parts) < 2:
                    raise ForeignInputError(f"{where}: expected T<n>, label and offsets")
                label, *bounds = parts[1].replace(";", " ").split(" ")
                numbers = [_whole(b, where) for b in bounds if b]
                if len(numbers) < 2 or len(numbers) % 2:
                    raise ForeignInputError(f"{where}: expected start and end offsets")
                spans[parts[0]] = _Mark(min(numbers), max(numbers), label)
            elif line.startswith("#"):
                parts = line.split("\t")
                kind, _, target = parts[1].partition(" ") if len(parts) > 2 else ("", "", "")
                if kind == "AnnotatorNotes":
                    notes[target] = parts[2]
        for key, note in notes.items():
            if key in spans:
                spans[key].note = note
        yield _Item(str(ann), text, ann.stem, None, list(spans.values()), [], [])


def _label_studio(path: Path) -> Iterator[_Item]:
    try:
        tasks = orjson.loads(_read(path))
    except orjson.JSONDecodeError as exc:
        raise ForeignInputError(f"{path}: not JSON ({exc})") from exc
    if not isinstance(tasks, list):
        raise ForeignInputError(f"{path}: expected a list of tasks")
    for number, task in enumerate(tasks, start=1):
        where = f"{path}: task {number}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise ForeignInputError(f"{where}: expected an object with 'data'")
        data = task["data"]
        spans, tags = [], []
        for annotation in _list(task, "annotations", where):
            who = annotation.get("completed_by") if isinstance(annotation, dict) else None
            annotator = _opt(who.get("email")) if isinstance(who, dict) else None
            for result in _list(annotation, "result", where):
                value = result.get("value") if isinstance(result, dict) else None
                if not isinstance(value, dict):
                    continue
                if result.get("type") == "labels":
                    for label in value.get("labels") or []:
                        spans.append(
                            _Mark(
                                _int(value, "start", where),
                                _int(value, "end", where),
                                _text(label, where),
                                annotator,
                                None,
                                _opt(result.get("id")),
                            )
                        )
                elif result.get("type") == "choices":
                    tags += [(_text(c, where), annotator) for c in value.get("choices") or []]
        yield _Item(
            where,
            _text(data.get("text"), where),
            _opt(data.get("article_id")),
            _opt(data.get("title")),
            spans,
            tags,
            [],
        )


# -- to records ----------------------------------------------------------------------------
def _entry(item: _Item, me: str, as_entities: bool) -> Entry:
    text = unicodedata.normalize("NFC", item.text.replace("\r\n", "\n").replace("\r", "\n"))
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    article = item.meta_id or sha[:16]
    created = now()
    records: list[Record] = []
    for mark in item.spans:
        start, end, label, annotator, note, given_id = (
            mark.start,
            mark.end,
            mark.label,
            mark.annotator,
            mark.note,
            mark.id,
        )
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span [{start}, {end}) is outside the text (length {len(text)})")
        who = clean_line(annotator or "") or me
        label = clean_line(label)
        if as_entities:
            ours = FOREIGN_LABELS.get(label)
            if ours is None:
                raise ValueError(f"label {label!r} is not an entity label (PERSON, ORG, LOC, …)")
            surface = clean_line(text[start:end])
            records.append(
                EntityCorrection(
                    stable_id("import-entity", who, surface, ours),
                    article,
                    who,
                    created,
                    "add",
                    surface,
                    ours,
                    start,
                    end,
                )
            )
            continue
        span = Span.new(article, text, start, end, label, who, strip_controls(note or ""))
        span_id = given_id or stable_id("import-span", article, who, label, str(start), str(end))
        records.append(span.replace(id=span_id, created=created))
    for tag, annotator in item.tags:
        who = clean_line(annotator or "") or me
        if clean_line(tag):
            records.append(Tag.new(article, clean_line(tag), who).replace(created=created))
    for body, annotator in item.notes:
        who = clean_line(annotator or "") or me
        body = strip_controls(body).strip()
        if body:
            records.append(
                Note(
                    stable_id("import-note", article, who, body),
                    article,
                    who,
                    created,
                    body,
                    created,
                )
            )
    return Entry(article, sha, item.title, records)


# -- reading helpers -------------------------------------------------------------------------
def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ForeignInputError(f"{path}: over the limit of {MAX_BYTES // 2**20} MB")
        return path.read_bytes()
    except OSError as exc:
        raise ForeignInputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ForeignInputError(f"{path}: not UTF-8 (byte {exc.start})") from exc


def _json_lines(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    text = _decode(_read(path), path)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}: line {number}"
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise ForeignInputError(f"{where}: not JSON ({exc})") from exc
        if not isinstance(record, dict):
            raise ForeignInputError(f"{where}: expected an object")
        yield where, record


def _list(record: Any, key: str, where: str) -> list[Any]:
    value = record.get(key) if isinstance(record, dict) else None
    if value is None:
        return []
    if not isinstance(value, list):
        raise ForeignInputError(f"{where}: {key}: expected a list")
    return value


def _int(record: dict[str, Any], key: str, where: str) -> int:
    return _whole(record.get(key), f"{where}: {key}")


def _whole(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ForeignInputError(f"{where}: {value!r} is not a whole number")
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit() and len(value) < 12):
            raise ForeignInputError(f"{where}: {value!r} is not a whole number")
        return int(value)
    if not 0 <= value < 10**12:
        raise ForeignInputError(f"{where}: {value} is out of range")
    return value


def _str(record: dict[str, Any], key: str, where: str) -> str:
    return _text(record.get(key), f"{where}: {key}")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ForeignInputError(f"{where}: expected text, found {type(value).__name__}")
    return value


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _opt(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
