"""Import and merge annotations exported as YAML v1: never duplicate, never overwrite silently.

Imported records go to the importing annotator's journal, keeping their own annotator and
naming who imported them (``imported_by``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotations.anchoring import reanchor
from annotations.journal import Op
from annotations.labels import is_entity_label
from annotations.library import Library
from annotations.records import ENTITY_ACTIONS, KINDS, YAML_KEYS, EntityCorrection, Record, Span
from annotations.safeyaml import YamlInputError, load_untrusted
from annotations.sanitize import clean_line, strip_controls
from annotations.yamlio import FORMAT, GOLD_LAYER, VERSION

SINGLE_LINE = {"id", "tag", "label", "annotator", "imported_by", "action", "created", "updated"}


@dataclass
class MergeReport:
    added: dict[str, int] = field(default_factory=dict)  # by YAML key: "tags", "spans", ...
    already: int = 0
    unknown_articles: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    reanchored: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when every record found its place (exit 0); else the command exits 1."""
        return not (self.unknown_articles or self.conflicts or self.orphaned)

    def summary(self) -> str:
        added = ", ".join(f"{n} {key}" for key, n in self.added.items() if n) or "nothing"
        return (
            f"added {added}; {self.already} already present; "
            f"{len(self.unknown_articles)} unknown articles; {len(self.conflicts)} conflicts; "
            f"{len(self.reanchored)} spans re-anchored; {len(self.orphaned)} orphaned"
        )


@dataclass(frozen=True)
class Entry:
    """One article of an export, its records typed."""

    id: str
    content_sha256: str | None
    title: str | None
    records: list[Record]


def _fail(where: str, problem: str) -> YamlInputError:
    return YamlInputError(f"{where}: {problem}")


def validate(document: Any, name: str) -> list[Entry]:
    """The articles of an export, typed by the schema; errors name the file and the place."""
    if not isinstance(document, dict):
        raise _fail(name, "not a reader-annotations export (top level is not a mapping)")
    if document.get("format") != FORMAT:
        raise _fail(name, f"format is {document.get('format')!r}, expected {FORMAT!r}")
    if document.get("layer") == GOLD_LAYER:
        raise _fail(
            name,
            "this is an export of the gold layer (for reading and training), not for merging: "
            "import the curators' own exports, which carry their decisions",
        )
    version = document.get("version")
    if not (isinstance(version, str) and version.isdigit()) or int(version) > VERSION:
        raise _fail(name, f"version {version!r} is not one this program reads (≤ {VERSION})")
    articles = document.get("articles") or []
    if not isinstance(articles, list):
        raise _fail(name, "'articles' is not a list")
    out = []
    for index, entry in enumerate(articles, start=1):
        where = f"{name}: articles[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise _fail(where, "needs an 'id'")
        typed: list[Record] = []
        for kind, key in YAML_KEYS.items():
            items = entry.get(key) or []
            if not isinstance(items, list):
                raise _fail(f"{where}.{key}", "is not a list")
            typed += [
                _typed(KINDS[kind], r, entry["id"], f"{where}.{key}[{i}]")
                for i, r in enumerate(items, start=1)
            ]
        sha, title = entry.get("content_sha256"), entry.get("title")
        out.append(
            Entry(
                entry["id"],
                sha if isinstance(sha, str) else None,
                strip_controls(title) if isinstance(title, str) else None,
                typed,
            )
        )
    return out


def _typed(cls: type[Record], data: Any, article_id: str, where: str) -> Record:
    """A record from untrusted YAML (every scalar read as a string): each field converted by
    its declared type, unknown keys ignored."""
    if not isinstance(data, dict):
        raise _fail(where, "is not a mapping")
    values: dict[str, Any] = {"article": article_id, "created": ""}
    for f in dataclasses.fields(cls):
        value = data.get(f.name)
        if value is None or f.name == "article":
            continue
        kind = str(f.type)
        if kind.startswith("int"):
            if not (isinstance(value, str) and value.isdigit()):
                raise _fail(f"{where}.{f.name}", f"{value!r} is not a whole number")
            values[f.name] = int(value)
        elif kind == "bool":
            values[f.name] = value in ("true", "True", "yes")
        elif isinstance(value, str):
            # one-line fields lose their line breaks: a tag must not forge a row of a listing
            one_line = f.name in SINGLE_LINE or (cls is EntityCorrection and f.name == "text")
            values[f.name] = clean_line(value) if one_line else strip_controls(value)
        else:
            raise _fail(f"{where}.{f.name}", "is not a plain value")
    missing = [k for k in ("id", "annotator", *cls.REQUIRED) if k not in values]
    if missing:
        raise _fail(where, f"missing {', '.join(missing)}")
    if cls is EntityCorrection:
        if values["action"] not in ENTITY_ACTIONS:
            raise _fail(f"{where}.action", f"{values['action']!r} is not one of {ENTITY_ACTIONS}")
        if values["action"] != "remove" and not is_entity_label(values.get("label")):
            raise _fail(f"{where}.label", f"{values.get('label')!r} is not an entity label")
    return cls(**values)


def merge_file(library: Library, path: Path) -> MergeReport:
    articles = validate(load_untrusted(path), str(path))
    return merge(library, articles, str(path))


def merge(library: Library, articles: list[Entry], name: str) -> MergeReport:
    report = MergeReport()
    index = library.article_index()
    by_sha = {m.get("content_sha256"): i for i, m in index.items()}
    existing = {kind: {r.id: r for r in library.records(cls)} for kind, cls in KINDS.items()}
    pending: list[Record] = []
    for entry in articles:
        article_id = entry.id if entry.id in index else by_sha.get(entry.content_sha256)
        if article_id is None:
            report.unknown_articles.append(f"{entry.id} ({entry.title or 'untitled'})")
            continue
        changed = index[article_id].get("content_sha256") != entry.content_sha256
        has_spans = any(isinstance(r, Span) for r in entry.records)
        text = library.load_article(article_id).text if has_spans else ""
        for record in entry.records:
            record = record.replace(article=article_id)
            if record.annotator != library.annotator:  # theirs, brought in by you
                record = record.replace(imported_by=library.annotator)
            else:
                record = record.replace(imported_by=None)
            if isinstance(record, Span):
                record = _anchor(record, text, changed, report)
            have = existing[record.KIND].get(record.id)
            if have is None:
                pending.append(record)
                existing[record.KIND][record.id] = record
            elif have.meaning() == record.meaning():
                report.already += 1
            else:
                report.conflicts.append(
                    f"{YAML_KEYS[record.KIND]} {record.id} on article {article_id}: differs "
                    f"from the library's (kept the library's; {name} has "
                    f"{_describe(record)!r})"
                )
    if pending:
        library.write(Op(r.KIND, r.to_dict()) for r in pending)
    for record in pending:
        key = YAML_KEYS[record.KIND]
        report.added[key] = report.added.get(key, 0) + 1
    return report


def _anchor(span: Span, text: str, changed: bool, report: MergeReport) -> Span:
    found = reanchor(span, text)
    if found is None:
        report.orphaned.append(f"span {span.id} {span.quote[:40]!r}")
        return span.replace(orphaned=True)
    if found != (span.start, span.end):
        report.reanchored.append(f"span {span.id}: {span.start}->{found[0]}")
    if found != (span.start, span.end) or changed:
        return span.replace(start=found[0], end=found[1], orphaned=False)
    return span


def _describe(record: Record) -> str:
    return " / ".join(str(v) for v in record.meaning() if v)
