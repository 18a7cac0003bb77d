"""Records: an article and its canonical text, and the annotation records on it.

Offsets index the canonical text: NFC, LF line ends, no BOM, no control characters,
the title, lede and paragraphs joined by blank lines in reading order. Offsets are
Python ``str`` indices (code points), end-exclusive.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

BLOCK_SEPARATOR = "\n\n"
TEXT_MODEL = {"offsets": "codepoint", "normalization": "NFC", "newline": "LF"}


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the canonical text: its kind and where it stands."""

    kind: str  # "title" | "lede" | "subheading" | "paragraph"
    start: int
    end: int


@dataclass(slots=True)
class Article:
    """A parsed article. Everything but ``blocks``/``text`` comes from the input file."""

    title: str
    lede: str = ""
    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    source: str | None = None
    date: str | None = None  # YYYY-MM-DD
    published: str | None = None  # YYYY-MM-DDTHH:MM or YYYY-MM-DD
    updated: str | None = None
    agency: str | None = None
    url: str | None = None
    keywords: list[str] = field(default_factory=list)
    origin: str | None = None  # file the article came from
    encoding: str | None = None
    text_from: str | None = None  # from the web: "page" (the article's page) or "feed"

    @property
    def blocks(self) -> list[Block]:
        """The blocks of :attr:`text`, with their offsets."""
        blocks: list[Block] = []
        pos = 0
        for kind, part in self._parts():
            if blocks:
                pos += len(BLOCK_SEPARATOR)
            blocks.append(Block(kind, pos, pos + len(part)))
            pos += len(part)
        return blocks

    @property
    def text(self) -> str:
        """The canonical text that every offset indexes."""
        return BLOCK_SEPARATOR.join(part for _, part in self._parts())

    @property
    def content_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def id(self) -> str:
        """A short id derived from the canonical text: the same on every machine."""
        return self.content_sha256[:16]

    def _parts(self) -> list[tuple[str, str]]:
        parts: list[tuple[str, str]] = [("title", self.title)]
        if self.lede:
            parts.append(("lede", self.lede))
        parts.extend((kind, text) for kind, text in self.paragraphs if text)
        return parts

    def metadata(self) -> dict[str, Any]:
        """What the list, search and export need, and no more: it is parsed at start-up.

        Every other field lives in the article's body file.
        """
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "date": self.date,
            "keywords": list(self.keywords),
            "content_sha256": self.content_sha256,
        }

    def to_record(self) -> dict[str, Any]:
        """Every parsed field, for the body file and ``show --json``."""
        record = asdict(self)
        record["paragraphs"] = [list(p) for p in self.paragraphs]
        record["id"] = self.id
        record["content_sha256"] = self.content_sha256
        record["text"] = self.text
        record["blocks"] = [asdict(b) for b in self.blocks]
        if self.text_from is None:
            del record["text_from"]  # only articles from the web say where their text came from
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Article:
        return cls(
            title=record["title"],
            lede=record.get("lede") or "",
            paragraphs=[(k, t) for k, t in record.get("paragraphs") or []],
            source=record.get("source"),
            date=record.get("date"),
            published=record.get("published"),
            updated=record.get("updated"),
            agency=record.get("agency"),
            url=record.get("url"),
            keywords=list(record.get("keywords") or []),
            origin=record.get("origin"),
            encoding=record.get("encoding"),
            text_from=record.get("text_from"),
        )
