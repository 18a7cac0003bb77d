"""Updated articles: a new version of an article already in the library is recognised at
import and kept under the first version's id (docs/design.md, "Versions of an article").

A text is a new version of an entry when it has the same URL as one of the entry's versions,
or the same source and the same publish line (both present) with a close title. Texts without
a URL and without a source and publish line are never taken for versions. Every version's
body stays; the entry shows the newest (the last imported); spans are placed on the newest
text when they are read (:func:`place_spans`), so nobody's journal is rewritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from annotations.anchoring import reanchor
from annotations.model import Article
from annotations.records import Span, now

CLOSE_TITLE = 0.6  # difflib ratio of two titles at or above which they are "close"
STAMP = "%Y-%m-%dT%H:%M:%S.%fZ"  # annotations.records.now()
VERSION_OF = "version_of"  # metadata (and body) field of a later version: the entry's id

Doc = Mapping[str, Any]
Fields = Callable[[str], tuple[str | None, str | None]]  # id -> (url, published) from its body


def later_stamp(previous: str | None) -> str:
    """Now (UTC, as records write it), strictly after ``previous``: the order of an import's
    files is the order of their versions, even within one microsecond."""
    stamp = now()
    if previous is None or stamp > previous:
        return stamp
    after = dt.datetime.strptime(previous, STAMP) + dt.timedelta(microseconds=1)
    return after.strftime(STAMP)


def close_titles(a: str, b: str) -> bool:
    """Headlines of one story as it is updated: one inside the other, or mostly the same
    characters in order (compared as they are: no case change on Turkish text)."""
    a, b = " ".join(a.split()), " ".join(b.split())
    if not a or not b:
        return False
    return a in b or b in a or SequenceMatcher(None, a, b).ratio() >= CLOSE_TITLE


class Recogniser:
    """Finds the entry an article updates, among stored articles and those added to it
    (an import's earlier files): by URL, or by source and publish line with a close title.
    Indexed, so an import of thousands of files into a library of thousands stays linear."""

    def __init__(self, docs: Iterable[Doc], from_body: Fields) -> None:
        self.from_body = from_body
        self.by_url: dict[str, Doc] = {}
        self.by_publish: dict[tuple[str, str], list[tuple[Doc, str | None]]] = {}  # (doc, url)
        self.unread: dict[str, list[Doc]] = {}  # source -> docs stored before versions
        for doc in docs:
            self.add(doc)

    def add(self, doc: Doc) -> None:
        if "url" not in doc and "published" not in doc:  # metadata from before versions
            self.unread.setdefault(doc.get("source") or "", []).append(doc)
            return
        self._index(doc, doc.get("url"), doc.get("published"))

    def _index(self, doc: Doc, url: str | None, published: str | None) -> None:
        if url:
            self.by_url.setdefault(url, doc)
        source = doc.get("source")
        if source and published:
            self.by_publish.setdefault((source, published), []).append((doc, url))

    def earlier_version(self, article: Article) -> str | None:
        """The entry id whose versions ``article`` updates, or None (a new article)."""
        url, published, source = article.url, article.published, article.source
        if not url and not (source and published):
            return None  # nothing to recognise it by: never merged
        for doc in self.unread.pop(source or "", []):  # their fields are in their bodies
            self._index(doc, *self.from_body(doc["id"]))
        found = self.by_url.get(url) if url else None
        if found is None and source and published:
            close = [
                (SequenceMatcher(None, article.title, d.get("title") or "").ratio(), d)
                for d, their_url in self.by_publish.get((source, published), [])
                if close_titles(article.title, d.get("title") or "")
                and not (url and their_url)  # two URLs that differ: two articles
            ]
            found = max(close, key=lambda item: item[0])[1] if close else None
        if found is None or found.get("id") == article.id:
            return None
        return str(found.get(VERSION_OF) or found["id"])


@dataclass
class Versions:
    """Which stored texts are versions of which entry (from the union of the metadata)."""

    chains: dict[str, list[str]] = field(default_factory=dict)  # entry -> ids, oldest first
    entry: dict[str, str] = field(default_factory=dict)  # later version id -> entry id

    @classmethod
    def of(cls, union: Mapping[str, Doc]) -> Versions:
        later: dict[str, list[Doc]] = {}
        for doc in union.values():
            root = doc.get(VERSION_OF)
            if isinstance(root, str) and root in union and root != doc["id"]:
                later.setdefault(root, []).append(doc)
        found = cls()
        for root, docs in later.items():
            docs.sort(key=lambda d: (d.get("imported") or "", d["id"]))
            found.chains[root] = [root, *(d["id"] for d in docs)]
            found.entry.update((d["id"], root) for d in docs)
        return found

    def entry_of(self, article_id: str) -> str:
        return self.entry.get(article_id, article_id)

    def newest(self, entry_id: str) -> str:
        chain = self.chains.get(entry_id)
        return chain[-1] if chain else entry_id


def entries(union: Mapping[str, Doc], versions: Versions) -> dict[str, dict[str, Any]]:
    """The list's view: one document per entry, under the entry's id, with the newest
    version's metadata and how many versions it has."""
    shown: dict[str, dict[str, Any]] = {}
    for article_id, doc in union.items():
        if article_id in versions.entry:
            continue
        chain = versions.chains.get(article_id)
        if chain:
            newest = dict(union[chain[-1]])
            newest.pop(VERSION_OF, None)
            newest.update(id=article_id, versions=len(chain))
            shown[article_id] = newest
        else:
            shown[article_id] = doc  # type: ignore[assignment]  # read-only, as stored
    return shown


def place_spans(spans: list[Span], text: str) -> list[Span]:
    """Spans as they fall on ``text`` (the newest version): found again by their quote and
    context, or kept at their offsets and marked orphaned. Not written anywhere."""
    placed = []
    for span in spans:
        if span.orphaned:
            placed.append(span)
            continue
        where = reanchor(span, text)
        if where is None:
            placed.append(span.replace(orphaned=True))
        elif where != (span.start, span.end):
            placed.append(span.replace(start=where[0], end=where[1]))
        else:
            placed.append(span)
    return placed
