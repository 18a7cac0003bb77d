"""The library's feeds, a store of their own: ``feeds/<person>.json`` (TinyDB through the one
storage class, annotations/storage.py), one shard per person, like the article metadata.

Table ``feeds``: the feeds that person added (``url``, ``name``, ``title``, ``added``).
Table ``state``: that person's fetch state of any feed of the library, by URL (``etag``,
``last_modified``, ``last_fetch``, ``last_status``, ``items``, ``seen``: the feed ids of the
items already imported with their entry's fingerprint, ``urls``: their canonical URLs).
The library's feeds are the union of every shard's; each person's processes write only their
own shard. A fetch runs under ``feeds/<person>.fetch.lock``: two fetches of one person at once
take turns (the second sends conditional requests and imports nothing twice).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotations.annotation_store import safe_name
from annotations.errors import LibraryError
from annotations.library import Library
from annotations.records import now
from annotations.storage import AtomicJSONStorage, FileLock, Store, make_folder

SCHEMA = 1
FOLDER = "feeds"
FEEDS, STATE = "feeds", "state"


class FeedError(LibraryError):
    """A feed that cannot be added or removed (the message says why)."""


@dataclass
class Feed:
    url: str
    name: str
    title: str | None = None
    added: str | None = None
    added_by: str | None = None
    # this person's fetch state
    etag: str | None = None
    last_modified: str | None = None
    last_fetch: str | None = None
    last_status: str | None = None
    items: int = 0
    seen: dict[str, str] = field(default_factory=dict)  # feed id -> entry fingerprint
    urls: list[str] = field(default_factory=list)  # canonical URLs of the items seen

    def listing(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "url": self.url,
            "title": self.title,
            "added_by": self.added_by,
            "last_fetch": self.last_fetch,
            "last_status": self.last_status,
            "items": self.items,
        }


class FeedStore:
    def __init__(self, library: Library) -> None:
        self.folder = library.folder / FOLDER
        self.person = library.annotator
        self.mine_path = self.folder / f"{safe_name(library.annotator)}.json"
        self._mine: Store | None = None
        self._storages: dict[Path, AtomicJSONStorage] = {}

    @property
    def mine(self) -> Store:
        if self._mine is None:
            make_folder(self.folder)
            self._mine = Store(self.mine_path, "feeds", SCHEMA)
            self._storages[self.mine_path] = self._mine.storage
        return self._mine

    def _shards(self) -> list[tuple[str, dict[str, Any]]]:
        """(file name, data) of every shard, mine first."""
        with contextlib.suppress(FileNotFoundError):
            for entry in sorted(os.scandir(self.folder), key=lambda e: e.name):
                path = Path(entry.path)
                if entry.name.endswith(".json") and path not in self._storages:
                    self._storages[path] = AtomicJSONStorage(path, "feeds", SCHEMA)
        order = sorted(self._storages, key=lambda p: (p != self.mine_path, p.name))
        return [(p.name, self._storages[p].read() or {}) for p in order if p.exists()]

    @property
    def warnings(self) -> list[str]:
        return [w for s in self._storages.values() for w in s.warnings]

    def feeds(self) -> list[Feed]:
        """Every feed of the library (the first shard naming a URL wins), with my state."""
        found: dict[str, Feed] = {}
        mine_state: dict[str, Any] = {}
        for name, data in self._shards():
            if self.mine_path.name == name:
                mine_state = {d["url"]: d for d in (data.get(STATE) or {}).values() if "url" in d}
            for doc in (data.get(FEEDS) or {}).values():
                url = doc.get("url")
                if isinstance(url, str) and url not in found:
                    found[url] = Feed(
                        url=url,
                        name=str(doc.get("name") or url),
                        title=doc.get("title"),
                        added=doc.get("added"),
                        added_by=doc.get("added_by"),
                    )
        for url, feed in found.items():
            state = mine_state.get(url) or {}
            feed.etag = state.get("etag")
            feed.last_modified = state.get("last_modified")
            feed.last_fetch = state.get("last_fetch")
            feed.last_status = state.get("last_status")
            feed.items = int(state.get("items") or 0)
            feed.seen = dict(state.get("seen") or {})
            feed.urls = list(state.get("urls") or [])
        return sorted(found.values(), key=lambda f: f.added or "")

    def find(self, ref: str) -> Feed | None:
        """A feed by its name or its URL."""
        feeds = self.feeds()
        for feed in feeds:
            if ref in (feed.url, feed.name):
                return feed
        return None

    def add(self, url: str, name: str, title: str | None) -> Feed:
        for feed in self.feeds():
            if feed.url == url:
                raise FeedError(f"{url} is already a feed of this library, as {feed.name!r}")
            if feed.name == name:
                raise FeedError(f"a feed is already called {name!r} ({feed.url})")
        from tinydb import Query

        doc = {"url": url, "name": name, "title": title, "added": now(), "added_by": self.person}
        with self.mine.transaction() as db:
            table = db.table(FEEDS)
            if not table.search(Query().url == url):
                table.insert(doc)
        return self.find(url) or Feed(url, name, title)

    def remove(self, ref: str) -> Feed:
        from tinydb import Query

        feed = self.find(ref)
        if feed is None:
            raise FeedError(f"no feed called or at {ref!r}")
        with self.mine.transaction() as db:
            removed = db.table(FEEDS).remove(Query().url == feed.url)
            db.table(STATE).remove(Query().url == feed.url)
        if not removed:
            raise FeedError(
                f"{feed.name!r} was added by {feed.added_by or 'someone else'}: only they can "
                "remove it"
            )
        return feed

    def save_state(self, feeds: list[Feed]) -> None:
        """Store my fetch state of these feeds, in one write."""
        from tinydb import Query

        with self.mine.transaction() as db:
            table = db.table(STATE)
            for feed in feeds:
                doc = {
                    "url": feed.url,
                    "etag": feed.etag,
                    "last_modified": feed.last_modified,
                    "last_fetch": feed.last_fetch,
                    "last_status": feed.last_status,
                    "items": feed.items,
                    "seen": feed.seen,
                    "urls": feed.urls,
                }
                table.upsert(doc, Query().url == feed.url)

    @contextlib.contextmanager
    def fetching(self) -> Iterator[None]:
        """Held while this person fetches: another fetch waits its turn."""
        make_folder(self.folder)
        lock = FileLock(self.folder / f"{safe_name(self.person)}.fetch.lock")
        with lock.held():
            yield


def feed_store(library: Library) -> FeedStore:
    return FeedStore(library)
