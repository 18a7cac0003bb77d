"""What every export format writes, per article: its text, metadata, tags, passages, notes and
(optionally) entities, built once from the YAML v1 export so every format exports the same
records with the same filters (``tag``, ``annotator``, ``include_all``, ``gold``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from annotations.library import Library
from annotations.model import Article
from annotations.yamlio import export_document

#: (start, end, label) of an article's entities, as corrected: the app's recogniser gives them
EntityFinder = Callable[[Article], list[tuple[int, int, str]]]


@dataclass(frozen=True, slots=True)
class Passage:
    id: str
    start: int
    end: int
    label: str
    annotator: str
    created: str
    quote: str
    prefix: str = ""
    suffix: str = ""
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Tagging:
    id: str
    tag: str
    annotator: str
    created: str


@dataclass(frozen=True, slots=True)
class Remark:
    id: str
    text: str
    annotator: str
    created: str


@dataclass
class Document:
    id: str
    text: str
    title: str | None
    source: str | None
    date: str | None
    tags: list[Tagging] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)  # orphaned ones left out
    notes: list[Remark] = field(default_factory=list)
    entities: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def tag_names(self) -> list[str]:
        return sorted({t.tag for t in self.tags})


def documents(
    library: Library,
    *,
    tag: str | None = None,
    annotator: str | None = None,
    include_all: bool = False,
    gold: bool = False,
    entities: EntityFinder | None = None,
) -> Iterator[Document]:
    """The exported articles, in id order."""
    exported = export_document(
        library, tag=tag, annotator=annotator, include_all=include_all, gold=gold
    )
    for entry in exported["articles"]:
        article = library.load_article(entry["id"])
        yield Document(
            entry["id"],
            article.text,
            entry.get("title"),
            entry.get("source"),
            entry.get("date"),
            [
                Tagging(t["id"], t["tag"], t["annotator"], t.get("created", ""))
                for t in entry["tags"]
            ],
            [_passage(s) for s in entry["spans"] if not s.get("orphaned")],
            [
                Remark(n["id"], n["text"], n["annotator"], n.get("created", ""))
                for n in entry["notes"]
            ],
            entities(article) if entities is not None else [],
        )


def _passage(data: dict[str, Any]) -> Passage:
    return Passage(
        data["id"],
        data["start"],
        data["end"],
        data["label"],
        data["annotator"],
        data.get("created", ""),
        data.get("quote", ""),
        data.get("prefix", ""),
        data.get("suffix", ""),
        data.get("note"),
    )
