"""Import and merge annotations exported as YAML v1: never duplicate, never overwrite silently."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotations.anchoring import reanchor
from annotations.library import Library
from annotations.safeyaml import YamlInputError, load_untrusted
from annotations.sanitize import strip_controls
from annotations.yamlio import FORMAT, RECORD_KEYS, VERSION

INT_FIELDS = ("start", "end")
BOOL_FIELDS = ("orphaned",)


@dataclass
class MergeReport:
    added: dict[str, int] = field(default_factory=dict)
    already: int = 0
    unknown_articles: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    reanchored: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)

    def summary(self) -> str:
        added = ", ".join(f"{n} {table}" for table, n in self.added.items() if n) or "nothing"
        return (
            f"added {added}; {self.already} already present; "
            f"{len(self.unknown_articles)} unknown articles; {len(self.conflicts)} conflicts; "
            f"{len(self.reanchored)} spans re-anchored; {len(self.orphaned)} orphaned"
        )


def _fail(where: str, problem: str) -> YamlInputError:
    return YamlInputError(f"{where}: {problem}")


def validate(document: Any, name: str) -> list[dict[str, Any]]:
    """The articles of an export, typed by the schema; errors name the file and the place."""
    if not isinstance(document, dict):
        raise _fail(name, "not a reader-annotations export (top level is not a mapping)")
    if document.get("format") != FORMAT:
        raise _fail(name, f"format is {document.get('format')!r}, expected {FORMAT!r}")
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
        typed: dict[str, Any] = {k: entry.get(k) for k in ("id", "content_sha256", "title")}
        for table in RECORD_KEYS:
            records = entry.get(table) or []
            if not isinstance(records, list):
                raise _fail(f"{where}.{table}", "is not a list")
            typed[table] = [
                _typed(r, f"{where}.{table}[{i}]", table) for i, r in enumerate(records, start=1)
            ]
        out.append(typed)
    return out


def _typed(record: Any, where: str, table: str) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise _fail(where, "is not a mapping")
    out: dict[str, Any] = {}
    for key in RECORD_KEYS[table]:
        value = record.get(key)
        if value is None:
            continue
        if key in INT_FIELDS:
            if not (isinstance(value, str) and value.isdigit()):
                raise _fail(f"{where}.{key}", f"{value!r} is not a whole number")
            out[key] = int(value)
        elif key in BOOL_FIELDS:
            out[key] = value in ("true", "True", "yes")
        elif isinstance(value, str):
            out[key] = strip_controls(value)
        else:
            raise _fail(f"{where}.{key}", "is not a plain value")
    required = {
        "tags": ("tag",),
        "spans": ("label", "start", "end", "quote"),
        "notes": ("text",),
        "entities": ("action", "text"),
    }[table]
    missing = [k for k in ("id", "annotator", *required) if k not in out]
    if missing:
        raise _fail(where, f"missing {', '.join(missing)}")
    return out


def merge_file(library: Library, path: Path) -> MergeReport:
    articles = validate(load_untrusted(path), str(path))
    return merge(library, articles, str(path))


def merge(library: Library, articles: list[dict[str, Any]], name: str) -> MergeReport:
    report = MergeReport()
    index = library.article_index()
    by_sha = {m.get("content_sha256"): i for i, m in index.items()}
    existing = {table: {r["id"]: r for r in library.annotations(table)} for table in RECORD_KEYS}
    pending: dict[str, list[dict[str, Any]]] = {table: [] for table in RECORD_KEYS}
    for entry in articles:
        article_id = entry["id"] if entry["id"] in index else by_sha.get(entry["content_sha256"])
        if article_id is None:
            report.unknown_articles.append(f"{entry['id']} ({entry.get('title') or 'untitled'})")
            continue
        changed = index[article_id].get("content_sha256") != entry.get("content_sha256")
        text = library.load_article(article_id).text if entry["spans"] else ""
        for table in RECORD_KEYS:
            for record in entry[table]:
                record = {**record, "article": article_id}
                if table == "spans":
                    record = _anchor(record, text, changed, report)
                have = existing[table].get(record["id"])
                if have is None:
                    pending[table].append(record)
                elif _same(have, record, table):
                    report.already += 1
                else:
                    report.conflicts.append(
                        f"{table} {record['id']} on article {article_id}: differs from the "
                        f"library's (kept the library's; {name} has "
                        f"{_describe(record, table)!r})"
                    )
    for table, records in pending.items():
        report.added[table] = len(library.insert_new(table, records)) if records else 0
    return report


def _anchor(record: dict[str, Any], text: str, changed: bool, report: MergeReport):
    found = reanchor(record, text)
    if found is None:
        report.orphaned.append(f"span {record['id']} {record.get('quote', '')[:40]!r}")
        return {**record, "orphaned": True}
    if found != (record["start"], record["end"]) or changed:
        if found != (record["start"], record["end"]):
            report.reanchored.append(f"span {record['id']}: {record['start']}->{found[0]}")
        return {**record, "start": found[0], "end": found[1], "orphaned": False}
    return record


_COMPARED = {
    "tags": ("tag", "annotator"),
    "spans": ("label", "quote", "note", "annotator"),
    "notes": ("text", "annotator"),
    "entities": ("action", "text", "label", "annotator"),
}


def _same(a: dict[str, Any], b: dict[str, Any], table: str) -> bool:
    return all((a.get(k) or None) == (b.get(k) or None) for k in _COMPARED[table])


def _describe(record: dict[str, Any], table: str) -> str:
    return " / ".join(str(record.get(k)) for k in _COMPARED[table] if record.get(k))
