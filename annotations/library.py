"""The library on disk: the API the app and the command line call.

Layout of a library folder:

- ``articles.json``: TinyDB, article metadata (what the list needs);
- ``bodies/ab/<id>.json``: one write-once file per article, read when it is opened;
- ``annotations.json``: TinyDB, tags, spans, notes, entity corrections, reading state;
- ``search.jsonl``: folded search keys per article, appended at import.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from annotations.errors import AmbiguousArticle, ArticleNotFound, LibraryWriteError
from annotations.model import Article
from annotations.storage import (
    Store,
    atomic_write_bytes,
    clean_orphaned_temp_files,
    file_mode,
    fsync_dir,
    stat_key,
)
from annotations.textfold import fold

SCHEMA = 1
ARTICLES = "articles"


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def default_annotator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "anonymous"


def stable_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass
class AddResult:
    added: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)


class Library:
    """A library folder. Safe to use from several processes at once."""

    def __init__(self, folder: Path, annotator: str | None = None) -> None:
        self.folder = Path(folder)
        self.annotator = annotator or default_annotator()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryWriteError(self.folder, exc) from exc
        self.bodies = self.folder / "bodies"
        self.search_path = self.folder / "search.jsonl"
        self.articles_store = Store(self.folder / "articles.json", "articles", SCHEMA)
        self.annotations_store = Store(self.folder / "annotations.json", "annotations", SCHEMA)
        self._cache: dict[str, tuple[Any, Any]] = {}
        self._search_cache: tuple[Any, dict[str, str]] | None = None

    @property
    def warnings(self) -> list[str]:
        """Messages about damaged files that were moved aside (for the user)."""
        return self.articles_store.storage.warnings + self.annotations_store.storage.warnings

    @property
    def read_only(self) -> bool:
        """True when this process cannot write the library (permissions, read-only mount)."""
        return not os.access(self.folder, os.W_OK) or any(
            p.exists() and not os.access(p, os.W_OK)
            for p in (self.annotations_store.path, self.articles_store.path)
        )

    # -- articles ---------------------------------------------------------------------
    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        """Store new articles (bodies first, durably, then their metadata in one write)."""
        result = AddResult()
        known = {doc["id"] for doc in self.articles_store.snapshot(ARTICLES).values()}
        fresh: dict[str, Article] = {}
        for article in articles:
            if article.id in known or article.id in fresh:
                result.present.append(article.id)
            else:
                fresh[article.id] = article
        if not fresh:
            return result
        if self.bodies.exists():
            clean_orphaned_temp_files(self.bodies)  # left by an import that was killed
        folders = {self._write_body(article) for article in fresh.values()}
        for folder in folders | {self.bodies}:
            fsync_dir(folder)
        with self.articles_store.transaction() as db:
            table = db.table(ARTICLES)
            known = {doc["id"] for doc in table.all()}  # another process may have added some
            new = [a for a in fresh.values() if a.id not in known]
            table.insert_multiple(a.metadata() for a in new)
            self._append_search_keys(new)
        result.added.extend(a.id for a in new)
        result.present.extend(a.id for a in fresh.values() if a.id in known)
        return result

    def _body_path(self, article_id: str) -> Path:
        return self.bodies / article_id[:2] / f"{article_id}.json"

    def _write_body(self, article: Article) -> Path:
        """Write the body file (write-once); returns its folder, to be fsynced."""
        path = self._body_path(article.id)
        if not path.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LibraryWriteError(path.parent, exc) from exc
            atomic_write_bytes(path, orjson.dumps(article.to_record()), sync_dir=False)
        return path.parent

    def _append_search_keys(self, articles: list[Article]) -> None:
        lines = b"".join(orjson.dumps({"id": a.id, "key": search_key(a)}) + b"\n" for a in articles)
        try:
            fd = os.open(self.search_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, file_mode())
            try:
                os.write(fd, lines)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            raise LibraryWriteError(self.search_path, exc) from exc

    def articles(self) -> list[dict[str, Any]]:
        """Article metadata, newest first (read-only dicts)."""

        def build(table: dict[str, Any]) -> list[dict[str, Any]]:
            docs = list(table.values())
            docs.sort(key=_date_key, reverse=True)
            return docs

        return self._cached(self.articles_store, ARTICLES, build)

    def article_index(self) -> dict[str, dict[str, Any]]:
        return self._cached(
            self.articles_store, "index", lambda t: {d["id"]: d for d in t.values()}, ARTICLES
        )

    def resolve(self, ref: str) -> str:
        """An article id from an id or a unique id prefix."""
        ref = ref.strip().lower()
        index = self.article_index()
        if ref in index:
            return ref
        matches = [i for i in index if i.startswith(ref)] if ref else []
        if not matches:
            raise ArticleNotFound(f"no article with id {ref!r}")
        if len(matches) > 1:
            shown = ", ".join(sorted(matches)[:5])
            raise AmbiguousArticle(f"{ref!r} matches {len(matches)} articles: {shown}")
        return matches[0]

    def load_article(self, article_id: str) -> Article:
        path = self._body_path(article_id)
        try:
            return Article.from_record(orjson.loads(path.read_bytes()))
        except FileNotFoundError as exc:
            raise ArticleNotFound(f"the text of article {article_id} is missing ({path})") from exc
        except (ValueError, KeyError) as exc:
            raise ArticleNotFound(f"the text of article {article_id} is damaged ({path})") from exc

    def search_keys(self) -> dict[str, str]:
        """Folded search key per article id (rebuilt from bodies for any missing); cached
        until the search file or the metadata changes."""
        version = (stat_key(self.search_path), self.articles_store.storage.version)
        if self._search_cache is not None and self._search_cache[0] == version:
            return self._search_cache[1]
        keys = self._read_search_keys()
        self._search_cache = (version, keys)
        return keys

    def _read_search_keys(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        with contextlib.suppress(FileNotFoundError), open(self.search_path, "rb") as handle:
            for line in handle:
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    record = orjson.loads(line)
                    keys[record["id"]] = record["key"]
        missing = [i for i in self.article_index() if i not in keys]
        for article_id in missing:
            with contextlib.suppress(ArticleNotFound):
                keys[article_id] = search_key(self.load_article(article_id))
        return keys

    # -- annotations --------------------------------------------------------------------
    def annotations(self, table: str) -> list[dict[str, Any]]:
        """All records of one annotation table (read-only dicts)."""
        return self._cached(self.annotations_store, table, lambda t: list(t.values()))

    def annotations_for(self, table: str, article_id: str) -> list[dict[str, Any]]:
        grouped = self._cached(self.annotations_store, f"{table}:by-article", _group, table)
        return grouped.get(article_id, [])

    def tags_by_article(self) -> dict[str, list[str]]:
        def build(table: dict[str, Any]) -> dict[str, list[str]]:
            out: dict[str, list[str]] = {}
            for doc in table.values():
                names = out.setdefault(doc["article"], [])
                if doc["tag"] not in names:
                    names.append(doc["tag"])
            return out

        return self._cached(self.annotations_store, "tags:names", build, "tags")

    def upsert(self, table: str, record: dict[str, Any]) -> dict[str, Any]:
        """Save one record (by its ``id``) durably; returns it."""
        from tinydb import Query

        with self.annotations_store.transaction() as db:
            db.table(table).upsert(record, Query().id == record["id"])
        return record

    def insert_new(self, table: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Insert the records whose ``id`` is not stored yet, in one write; returns those."""
        with self.annotations_store.transaction() as db:
            target = db.table(table)
            have = {doc.get("id") for doc in target.all()}
            new = [r for r in records if r["id"] not in have]
            if new:
                target.insert_multiple(new)
        return new

    def delete(self, table: str, record_id: str) -> bool:
        from tinydb import Query

        with self.annotations_store.transaction() as db:
            return bool(db.table(table).remove(Query().id == record_id))

    def add_tag(
        self, article_id: str, tag: str, annotator: str | None = None
    ) -> dict[str, Any] | None:
        """Tag the article; returns the record saved, or None if it was tagged so already."""
        who = annotator or self.annotator
        record = {
            "id": stable_id("tag", article_id, tag, who),
            "article": article_id,
            "tag": tag,
            "annotator": who,
            "created": now(),
        }
        saved = self.insert_new("tags", [record])
        return saved[0] if saved else None

    def remove_tag(
        self, article_id: str, tag: str, annotator: str | None = None
    ) -> list[dict[str, Any]]:
        """Remove ``tag`` from the article: this annotator's, or everyone's if ``"*"``.
        Returns the records removed (for undo)."""
        from tinydb import Query

        who = annotator or self.annotator
        doc = Query()
        cond = (doc.article == article_id) & (doc.tag == tag)
        if who != "*":
            cond &= doc.annotator == who
        with self.annotations_store.transaction() as db:
            table = db.table("tags")
            removed = [dict(doc) for doc in table.search(cond)]
            table.remove(cond)
        return removed

    def reading(self, article_id: str) -> dict[str, Any] | None:
        key = stable_id("reading", article_id, self.annotator)
        return self.read_states().get(key)

    def read_states(self) -> dict[str, dict[str, Any]]:
        return self._cached(
            self.annotations_store,
            "reading:by-id",
            lambda t: {d["id"]: d for d in t.values()},
            "reading",
        )

    def read_ids(self) -> set[str]:
        return {
            d["article"]
            for d in self.read_states().values()
            if d.get("annotator") == self.annotator and d.get("read")
        }

    def set_reading(self, article_id: str, *, read: bool = True, position: int = 0) -> None:
        self.upsert(
            "reading",
            {
                "id": stable_id("reading", article_id, self.annotator),
                "article": article_id,
                "annotator": self.annotator,
                "read": read,
                "position": position,
                "updated": now(),
            },
        )

    def changed_on_disk(self) -> bool:
        """True when another process changed the library since we last looked."""
        return self.articles_store.changed_on_disk() or self.annotations_store.changed_on_disk()

    # -- cache ------------------------------------------------------------------------
    def _cached(self, store: Store, name: str, build: Any, table: str | None = None) -> Any:
        """``build(table_snapshot)``, recomputed only when the file changed."""
        data = store.storage.read() or {}
        key = (id(data), store.storage.version)
        hit = self._cache.get(f"{store.path.name}:{name}")
        if hit and hit[0] == key:
            return hit[1]
        value = build(data.get(table or name) or {})
        self._cache[f"{store.path.name}:{name}"] = (key, value)
        return value


def _date_key(doc: dict[str, Any]) -> str:
    return doc.get("date") or ""


def _group(table: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for doc in table.values():
        out.setdefault(doc["article"], []).append(doc)
    for docs in out.values():
        docs.sort(key=lambda d: (d.get("created") or "", d.get("id") or ""))
    return out


def search_key(article: Article) -> str:
    """What library search matches: title, source, keywords and text, folded."""
    parts = [article.title, article.source or "", " ".join(article.keywords), article.text]
    return fold(" \n".join(parts))
