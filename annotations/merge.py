"""Import and merge annotations exported as YAML v1: never duplicate, never overwrite silently.

Imported records go to the importing annotator's journal, keeping their own annotator and
naming who imported them (``imported_by``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from annotations.anchoring import reanchor
from annotations.journal import Op
from annotations.labels import is_entity_label
from annotations.library import Library
from annotations.records import (
    ENTITY_ACTIONS,
    KINDS,
    YAML_KEYS,
    DoneMark,
    EntityCorrection,
    Record,
    Span,
    Tag,
    now,
    stable_id,
)
from annotations.safeyaml import YamlInputError, iter_export
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


def validate(document: Any, name: str, start: int = 1) -> list[Entry]:
    """The articles of an export, typed by the schema; errors name the file and the place
    (``start``: the number of the first article, when they are read a few at a time)."""
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
    if not _is_whole(version) or int(version) > VERSION:
        shown = _quote(version) if isinstance(version, str) else type(version).__name__
        raise _fail(name, f"version {shown} is not one this program reads (≤ {VERSION})")
    articles = document.get("articles") or []
    if not isinstance(articles, list):
        raise _fail(name, "'articles' is not a list")
    out = []
    for index, entry in enumerate(articles, start=start):
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
        for key, value in (("content_sha256", sha), ("title", title)):
            if value is not None and not isinstance(value, str):
                raise _fail(f"{where}.{key}", "is not a plain value")
        out.append(
            Entry(
                entry["id"],
                sha if isinstance(sha, str) else None,
                strip_controls(title) if isinstance(title, str) else None,
                typed,
            )
        )
    return out


MAX_DIGITS = 15  # offsets and versions: far beyond any text, far below int()'s limit


def _is_whole(value: Any) -> TypeGuard[str]:
    """A whole number as YAML gives it (a string): ASCII digits only (``'²'.isdigit()`` is
    True, and ``int('²')`` raises), and not thousands of them."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_DIGITS
        and value.isascii()
        and value.isdigit()
    )


def _quote(value: str) -> str:
    """A value for a message: controls stripped, cut to 40 characters."""
    shown = clean_line(value)
    return repr(shown if len(shown) <= 40 else shown[:39] + "…")


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
            if not _is_whole(value):
                shown = value if isinstance(value, str) else type(value).__name__
                raise _fail(f"{where}.{f.name}", f"{_quote(shown)} is not a whole number")
            values[f.name] = int(value)
        elif kind == "bool":
            values[f.name] = value in ("true", "True", "yes")
        elif isinstance(value, str):
            # one-line fields lose their line breaks: a tag must not forge a row of a listing
            one_line = f.name in SINGLE_LINE or (cls is EntityCorrection and f.name == "text")
            values[f.name] = clean_line(value) if one_line else strip_controls(value)
        else:
            raise _fail(f"{where}.{f.name}", "is not a plain value")
    missing = [k for k in ("annotator", *cls.REQUIRED) if k not in values]
    if missing:
        raise _fail(where, f"missing {', '.join(missing)}")
    if "id" not in values:  # written by hand or by another tool: an id from what it says
        values["id"] = _derived_id(cls, values)
    values["created"] = values["created"] or now()  # no time given: the time of its import
    if cls is EntityCorrection:
        if values["action"] not in ENTITY_ACTIONS:
            raise _fail(f"{where}.action", f"{values['action']!r} is not one of {ENTITY_ACTIONS}")
        if values["action"] != "remove" and not is_entity_label(values.get("label")):
            raise _fail(f"{where}.label", f"{values.get('label')!r} is not an entity label")
    return cls(**values)


def _derived_id(cls: type[Record], values: dict[str, Any]) -> str:
    """The id a record without one gets: from its kind, article, annotator and meaning (a tag's
    is the one the app gives it), so importing the same file twice adds nothing."""
    if cls is Tag:
        return Tag.new(values["article"], values["tag"], values["annotator"]).id
    if cls is DoneMark:
        return DoneMark.new(values["article"], values["annotator"]).id
    parts = [str(values.get(name, "")) for name in ("start", "end", *cls.MEANING)]
    return stable_id("import", cls.KIND, values["article"], values["annotator"], *parts)


MAX_FILE_RECORDS = 1_000_000  # records in one file: read as a stream, merged in batches
MAX_ARTICLE_RECORDS = 10_000  # records of one annotator on one article, in the library
WRITE_BATCH = 10_000  # records appended to the journal at a time


def merge_file(library: Library, path: Path) -> MergeReport:
    """Merge an export, read twice as a stream (memory does not grow with the file): first
    every value and the caps are checked, so a bad file merges nothing; then it is merged."""
    name = str(path)
    _check_file(library, path, name)
    return merge(library, _entries(path, name, []), name)


def _entries(path: Path, name: str, header: list[Any]) -> Iterator[Entry]:
    """The file's articles, typed one at a time; ``header`` gets the rest of the document."""
    count = 0
    for what, value in iter_export(path):
        if what == "article":
            count += 1
            one = {"format": FORMAT, "version": str(VERSION), "articles": [value]}
            yield from validate(one, name, start=count)
        else:
            header.append(value)


def _check_file(library: Library, path: Path, name: str) -> None:
    """Every value of the file, its header and the caps (file: place: problem)."""
    total = 0
    pairs: dict[tuple[str, str], list[int]] = {}  # (article, annotator): [records, first at]
    shas: dict[str, str | None] = {}  # article id: its content_sha256 in the file
    header: list[Any] = []
    for number, entry in enumerate(_entries(path, name, header), start=1):
        total += len(entry.records)
        if total > MAX_FILE_RECORDS:
            raise _fail(name, f"more than {MAX_FILE_RECORDS:,} records, the most one file holds")
        for record in entry.records:
            pairs.setdefault((entry.id, record.annotator), [0, number])[0] += 1
        if entry.records and entry.id not in shas:
            shas[entry.id] = entry.content_sha256
    validate(header[0] if header else None, name)
    index = library.article_index()
    by_sha = {m.get("content_sha256"): i for i, m in index.items()}
    have: dict[tuple[str, str], int] = {}
    if pairs:
        for cls in KINDS.values():
            for record in library.records(cls):
                key = (record.article, record.annotator)
                have[key] = have.get(key, 0) + 1
    for (article, annotator), (count, number) in pairs.items():
        known = article if article in index else by_sha.get(shas.get(article))
        if count + have.get((known or article, annotator), 0) > MAX_ARTICLE_RECORDS:
            raise _fail(
                f"{name}: articles[{number}]",
                f"{count:,} records of {_quote(annotator)} on article {_quote(article)}"
                f" (with those in the library: over {MAX_ARTICLE_RECORDS:,}, the most one"
                " annotator keeps on one article)",
            )


def merge(library: Library, articles: Iterable[Entry], name: str) -> MergeReport:
    report = MergeReport()
    index = library.article_index()
    # what each id means (not the record: a million imported records are kept once, by the
    # journal they were written to, not twice)
    existing = {k: {r.id: r.meaning() for r in library.records(c)} for k, c in KINDS.items()}
    pending: list[Record] = []
    for entry in articles:
        article_id = library.find_entry(entry.id, entry.content_sha256)  # any version's
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
                existing[record.KIND][record.id] = record.meaning()
                if len(pending) >= WRITE_BATCH:
                    _write(library, pending, report)
            elif have == record.meaning():
                report.already += 1
            else:
                report.conflicts.append(
                    f"{YAML_KEYS[record.KIND]} {record.id} on article {article_id}: differs "
                    f"from the library's (kept the library's; {name} has "
                    f"{_describe(record)!r})"
                )
    _write(library, pending, report)
    return report


def _write(library: Library, pending: list[Record], report: MergeReport) -> None:
    """Append what is pending (one fsynced write) and count it; ``pending`` is emptied."""
    if pending:
        library.write(Op(r.KIND, r.to_dict()) for r in pending)
    for record in pending:
        key = YAML_KEYS[record.KIND]
        report.added[key] = report.added.get(key, 0) + 1
    pending.clear()


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
