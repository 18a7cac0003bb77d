"""The annotation records: one typed definition each, with their dict form (storage, YAML, JSON)
in one place. Records are immutable; a change is a new record with the same ``id``.

Every record has a stable string ``id``, its ``article``, its ``annotator`` and ``created`` time
(UTC, ISO 8601). ``imported_by`` names who brought a record in from someone else's export.
See docs/design.md for the contracts (offsets, anchoring context, YAML v1).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from annotations.labels import is_entity_label
from annotations.sanitize import clean, clean_line

CONTEXT = 32  # characters of prefix and suffix kept with a span to find it again
BOOKKEEPING = ("annotator", "created", "updated", "imported_by")
ENTITY_ACTIONS = ("add", "remove", "relabel")


_FIELDS: dict[type, frozenset[str]] = {}


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_id() -> str:
    return uuid.uuid4().hex[:16]


def stable_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Record:
    """What every annotation record has."""

    KIND: ClassVar[str] = ""
    #: the fields that say what the record means (compared by merge; the rest is bookkeeping)
    MEANING: ClassVar[tuple[str, ...]] = ()
    #: the fields an imported record must have, besides id and annotator
    REQUIRED: ClassVar[tuple[str, ...]] = ()

    id: str
    article: str
    annotator: str
    created: str

    def to_dict(self) -> dict[str, Any]:
        """The stored form: every field that is set (None and False left out)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is not None and value is not False:
                out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """From the stored form (unknown keys ignored, so newer files still read)."""
        names = _FIELDS.get(cls)
        if names is None:
            names = _FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls))
        return cls(**{k: v for k, v in data.items() if k in names})

    def export_form(self) -> dict[str, Any]:
        """The YAML v1 form: ``id``, what the record says, then who and when (no ``article``:
        the record sits under its article)."""
        data = self.to_dict()
        data.pop("article", None)
        tail = {k: data.pop(k) for k in BOOKKEEPING if k in data}
        return {**data, **tail}

    def replace(self, **changes: Any) -> Self:
        return dataclasses.replace(self, **changes)

    def meaning(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) or None for name in ("annotator", *self.MEANING))


@dataclass(frozen=True, slots=True)
class Tag(Record):
    KIND: ClassVar[str] = "tag"
    MEANING: ClassVar[tuple[str, ...]] = ("tag",)
    REQUIRED: ClassVar[tuple[str, ...]] = ("tag",)

    tag: str = ""
    imported_by: str | None = None

    @classmethod
    def new(cls, article_id: str, tag: str, annotator: str) -> Tag:
        """One tag per (article, tag, annotator): the id says so, so a repeat is a no-op."""
        return cls(stable_id("tag", article_id, tag, annotator), article_id, annotator, now(), tag)


@dataclass(frozen=True, slots=True)
class Span(Record):
    """A label on ``[start, end)`` of the canonical text, with its quote and context."""

    KIND: ClassVar[str] = "span"
    MEANING: ClassVar[tuple[str, ...]] = ("label", "quote", "note")
    REQUIRED: ClassVar[tuple[str, ...]] = ("label", "start", "end", "quote")

    label: str = ""
    start: int = 0
    end: int = 0
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    note: str | None = None
    updated: str | None = None
    orphaned: bool = False
    imported_by: str | None = None

    @classmethod
    def new(
        cls,
        article_id: str,
        text: str,
        start: int,
        end: int,
        label: str,
        annotator: str,
        note: str = "",
    ) -> Span:
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span [{start}, {end}) is outside the text (length {len(text)})")
        return cls(
            new_id(),
            article_id,
            annotator,
            now(),
            label=label,
            start=start,
            end=end,
            quote=text[start:end],
            prefix=text[max(0, start - CONTEXT) : start],
            suffix=text[end : end + CONTEXT],
            note=clean(note).strip() or None,
        )


@dataclass(frozen=True, slots=True)
class Note(Record):
    KIND: ClassVar[str] = "note"
    MEANING: ClassVar[tuple[str, ...]] = ("text",)
    REQUIRED: ClassVar[tuple[str, ...]] = ("text",)

    text: str = ""
    updated: str | None = None
    imported_by: str | None = None

    @classmethod
    def new(cls, article_id: str, body: str, annotator: str) -> Note:
        created = now()
        return cls(new_id(), article_id, annotator, created, clean(body).strip(), created)


@dataclass(frozen=True, slots=True)
class EntityCorrection(Record):
    """Add, remove or relabel a surface form: applies to every mention, in every article."""

    KIND: ClassVar[str] = "entity"
    MEANING: ClassVar[tuple[str, ...]] = ("action", "text", "label")
    REQUIRED: ClassVar[tuple[str, ...]] = ("action", "text")

    action: str = "add"
    text: str = ""
    label: str | None = None
    start: int | None = None
    end: int | None = None
    imported_by: str | None = None

    @classmethod
    def new(
        cls, article_id: str, action: str, surface: str, label: str | None, annotator: str
    ) -> EntityCorrection:
        if action not in ENTITY_ACTIONS:
            raise ValueError(f"unknown entity correction {action!r}")
        if action != "remove" and not is_entity_label(label):
            raise ValueError(f"unknown entity label {label!r}")
        return cls(
            new_id(),
            article_id,
            annotator,
            now(),
            action,
            clean_line(surface),
            label if action != "remove" else None,
        )


@dataclass(frozen=True, slots=True)
class DoneMark(Record):
    """The annotator has finished the article: what they did not tag, they said no to."""

    KIND: ClassVar[str] = "done"
    MEANING: ClassVar[tuple[str, ...]] = ()

    imported_by: str | None = None

    @classmethod
    def new(cls, article_id: str, annotator: str) -> DoneMark:
        return cls(stable_id("done", article_id, annotator), article_id, annotator, now())


@dataclass(frozen=True, slots=True)
class Gold(Record):
    """A curator's decision on one item of an article (a tag, or a passage with its label and
    boundaries): in the gold layer, or ``rejected``. ``basis`` names whose version was taken.
    Each curator's decisions are theirs; the gold layer is the newest decision per item
    across curators (annotations/review.py)."""

    KIND: ClassVar[str] = "gold"
    MEANING: ClassVar[tuple[str, ...]] = ("item", "tag", "label", "start", "end", "rejected")
    REQUIRED: ClassVar[tuple[str, ...]] = ("item",)

    item: str = "tag"  # "tag" or "span"
    tag: str | None = None
    label: str | None = None
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    rejected: bool = False
    basis: str | None = None
    imported_by: str | None = None

    @property
    def key(self) -> tuple[Any, ...]:
        """What the decision is about, whoever made it."""
        return item_key(self.article, self.item, self.tag, self.label, self.start, self.end)

    @classmethod
    def for_tag(
        cls, article_id: str, tag: str, curator: str, *, rejected: bool, basis: str
    ) -> Gold:
        key = item_key(article_id, "tag", tag, None, None, None)
        return cls(
            _gold_id(curator, key),
            article_id,
            curator,
            now(),
            "tag",
            tag,
            rejected=rejected,
            basis=basis or None,
        )

    @classmethod
    def for_span(cls, span: Span, curator: str, *, rejected: bool, basis: str) -> Gold:
        key = item_key(span.article, "span", None, span.label, span.start, span.end)
        return cls(
            _gold_id(curator, key),
            span.article,
            curator,
            now(),
            "span",
            None,
            span.label,
            span.start,
            span.end,
            span.quote,
            span.prefix,
            span.suffix,
            rejected=rejected,
            basis=basis or None,
        )


def item_key(
    article: str,
    item: str,
    tag: str | None,
    label: str | None,
    start: int | None,
    end: int | None,
) -> tuple[Any, ...]:
    """The identity of a reviewable item: a tag on an article, or a labelled passage."""
    if item == "tag":
        return (article, "tag", tag)
    return (article, "span", label, start, end)


def _gold_id(curator: str, key: tuple[Any, ...]) -> str:
    return stable_id("gold", curator, *(str(part) for part in key))


@dataclass(frozen=True, slots=True)
class ReadingState:
    """Where one annotator is in one article. Private to that annotator (their state file)."""

    article: str
    read: bool = False
    position: int = 0
    updated: str = ""

    @property
    def id(self) -> str:
        return self.article

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReadingState:
        return cls(
            str(data["article"]),
            bool(data.get("read")),
            int(data.get("position") or 0),
            str(data.get("updated") or ""),
        )

    @classmethod
    def decode(cls, kind: str, data: dict[str, Any]) -> ReadingState:
        """A journal's decoder: a state file holds reading states only."""
        return cls.from_dict(data)


#: every shared record kind by its name (storage, YAML and merge go through this)
KINDS: dict[str, type[Record]] = {
    cls.KIND: cls for cls in (Tag, Span, Note, EntityCorrection, DoneMark, Gold)
}

#: the YAML v1 key of each kind's list, in export order
YAML_KEYS: dict[str, str] = {
    "tag": "tags",
    "span": "spans",
    "note": "notes",
    "entity": "entities",
    "done": "done",
    "gold": "gold",
}
