"""YAML version 1 of the annotations: the shape of DESIGN.md, stable order, safe strings."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from annotations.library import Library
from annotations.model import TEXT_MODEL
from annotations.sanitize import strip_controls

FORMAT = "reader-annotations"
VERSION = 1
RECORD_KEYS = {
    "tags": ("id", "tag", "annotator", "created"),
    "spans": (
        "id",
        "label",
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "note",
        "annotator",
        "created",
        "updated",
        "orphaned",
    ),
    "notes": ("id", "text", "annotator", "created", "updated"),
    "entities": ("id", "action", "text", "label", "start", "end", "annotator", "created"),
}

try:  # libyaml's C emitter is 2.5x faster (TRAPS.md)
    _BaseDumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseDumper = yaml.SafeDumper

# Plain scalars that a YAML 1.1 or 1.2 reader would take for something other than a string.
_RISKY = re.compile(
    r"""^(?:
        |~|null|y|n|yes|no|true|false|on|off|=|<<
        |[-+]?(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?
        |[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?
        |[-+]?\.(?:inf|nan)
        |0x[0-9a-f_]+|0o[0-7_]+|0b[01_]+
        |\d{4}-\d\d?-\d\d?(?:[Tt ].*)?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


class _Dumper(_BaseDumper):  # type: ignore[misc,valid-type]
    """Safe dumper that quotes strings other YAML readers would misread."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _RISKY.match(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(document: Any) -> str:
    return yaml.dump(
        document,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )


def _clean(value: Any) -> Any:
    return strip_controls(value) if isinstance(value, str) else value


def export_document(
    library: Library,
    *,
    tag: str | None = None,
    annotator: str | None = None,
    include_all: bool = False,
) -> dict[str, Any]:
    """The export as a Python document, ready for :func:`dump`."""
    index = library.article_index()
    per_table = {table: _by_article(library.annotations(table), annotator) for table in RECORD_KEYS}
    tagged = {a for a, tags in per_table["tags"].items() if any(t["tag"] == tag for t in tags)}
    ids = set(index) if include_all else set().union(*(t.keys() for t in per_table.values()))
    ids &= set(index)  # entity lists imported from patterns belong to no article
    if tag is not None:
        ids &= tagged
    articles = []
    for article_id in sorted(ids):
        meta = index.get(article_id, {})
        entry: dict[str, Any] = {
            "id": article_id,
            "content_sha256": meta.get("content_sha256"),
            "title": meta.get("title"),
            "source": meta.get("source"),
            "date": meta.get("date"),
        }
        for table, keys in RECORD_KEYS.items():
            records = per_table[table].get(article_id, [])
            entry[table] = [
                {k: _clean(r[k]) for k in keys if r.get(k) is not None} for r in records
            ]
        articles.append(entry)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "text_model": dict(TEXT_MODEL),
        "articles": articles,
    }


def _by_article(records: list[dict[str, Any]], annotator: str | None) -> dict[str, list]:
    out: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        if annotator is None or record.get("annotator") == annotator:
            out.setdefault(record["article"], []).append(record)
    for items in out.values():
        items.sort(key=lambda r: (r.get("created") or "", r.get("id") or ""))
    return out
