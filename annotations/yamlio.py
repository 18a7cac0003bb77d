"""YAML version 1 of the annotations: the shape of docs/design.md, stable order, safe strings."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import yaml
from yaml.representer import SafeRepresenter

from annotations.library import Library
from annotations.model import TEXT_MODEL
from annotations.records import KINDS, YAML_KEYS, Record, Tag, stable_id
from annotations.sanitize import strip_controls

FORMAT = "reader-annotations"
VERSION = 1
GOLD_LAYER = "gold"  # the ``layer`` of an export of the settled annotations
if TYPE_CHECKING:  # the stubs always have it; both dumpers represent as SafeRepresenter does
    _BaseDumper = yaml.CSafeDumper
else:
    try:  # libyaml's C emitter is 2.5x faster (TRAPS.md)
        _BaseDumper = yaml.CSafeDumper
    except AttributeError:  # pragma: no cover - PyYAML built without libyaml
        _BaseDumper = yaml.SafeDumper

# Plain scalars that a YAML 1.1 or 1.2 reader would take for something other than a string.
# Each branch reads a string one way only (a number's digits were split two ways, quadratic
# on a long run of digits), so a match is linear in the value's length.
_RISKY = re.compile(
    r"""^(?:
        |~|null|y|n|yes|no|true|false|on|off|=|<<
        |[-+]?(?:\d[\d_]*(?:\.[\d_]*)?|\.[\d_]+)(?:[eE][-+]?\d+)?
        |[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?
        |[-+]?\.(?:inf|nan)
        |[-+]?(?:0x[0-9a-f_]+|0o[0-7_]+|0b[01_]+)
        |\d{4}-\d\d?-\d\d?(?:[Tt ].*)?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


class _Dumper(_BaseDumper):
    """Safe dumper that quotes strings other YAML readers would misread."""


_LINE_SEPARATORS = ("\u2028", "\u2029", "\x85")  # line breaks to YAML, not to every reader
_RESOLVER = yaml.resolver.Resolver()  # YAML 1.1's implicit types, as PyYAML reads plain text


def _risky(value: str) -> bool:
    """Would a YAML 1.1 or 1.2 reader take this plain scalar for something but a string?"""
    if _RISKY.match(value):
        return True
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag != "tag:yaml.org,2002:str")


def _represent_str(dumper: SafeRepresenter, value: str) -> yaml.ScalarNode:
    """Double-quoted when a reader could misread it, and when it holds U+2028/U+2029 (written
    escaped, \\L and \\P: js-yaml and others break on them raw)."""
    quoted = _risky(value) or any(sep in value for sep in _LINE_SEPARATORS)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if quoted else None)


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
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return strip_controls(value) if isinstance(value, str) else value


def export_document(
    library: Library,
    *,
    tag: str | None = None,
    annotator: str | None = None,
    include_all: bool = False,
    gold: bool = False,
) -> dict[str, Any]:
    """The export as a Python document, ready for :func:`dump`: articles by id, each one's
    records by creation time (then id), so that diffs stay small. ``gold``: the gold layer's
    tags and passages instead of everyone's records (each marked ``gold: true``)."""
    index = library.article_index()
    if gold:
        per_kind = _gold_by_article(library)
        tagged = {a for a, tags in per_kind["tag"].items() if any(t["tag"] == tag for t in tags)}
    else:
        per_kind = {
            kind: {
                a: [r.export_form() for r in records]
                for a, records in _by_article(library.records(cls), annotator).items()
            }
            for kind, cls in KINDS.items()
        }
        tagged = {t.article for t in library.records(Tag) if t.tag == tag}
    ids = set(index) if include_all else set().union(*(t.keys() for t in per_kind.values()))
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
        for kind, key in YAML_KEYS.items():
            entry[key] = [
                {k: _clean(v) for k, v in form.items()}
                for form in per_kind[kind].get(article_id, [])
            ]
        articles.append(entry)
    return {
        "format": FORMAT,
        "version": VERSION,
        **({"layer": GOLD_LAYER} if gold else {}),
        "exported_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "text_model": dict(TEXT_MODEL),
        "articles": articles,
    }


def _gold_by_article(library: Library) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """The gold layer in the YAML v1 shape: tags and passages, each marked as gold, naming
    who settled it (``annotator``: a curator, or ``agreement``), when, and whose version it
    is (``basis``)."""
    from annotations.review import build_review

    out: dict[str, dict[str, list[dict[str, Any]]]] = {kind: {} for kind in KINDS}
    for item in build_review(library).gold():
        record: dict[str, Any] = {"id": stable_id("gold", *(str(p) for p in item.key))}
        if item.span is not None:
            record.update(
                (k, getattr(item.span, k))
                for k in ("label", "start", "end", "quote", "prefix", "suffix")
            )
            kind = "span"
        else:
            record["tag"] = item.tag
            kind = "tag"
        record.update(
            gold=True, basis=list(item.basis), annotator=item.decided_by, created=item.decided
        )
        out[kind].setdefault(item.article, []).append(record)
    return out


def _by_article(records: list[Record], annotator: str | None) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = {}
    for record in records:
        if annotator is None or record.annotator == annotator:
            out.setdefault(record.article, []).append(record)
    for items in out.values():
        items.sort(key=lambda r: (r.created, r.id))
    return out
