"""The library on disk: the API the app and the command line call.

Layout of a library folder:

- ``articles/<importer>.json``: TinyDB, the metadata (what the list needs) of the articles that
  person imported, and ``articles/<importer>.search.jsonl`` their folded search keys
  (annotations/article_store.py); the first release's ``articles.json`` and ``search.jsonl`` are
  read as they are;
- ``bodies/ab/<id>.json``: one write-once file per article, read when it is opened;
- ``annotations/<annotator>.jsonl``: each annotator's tags, passages, notes, entity corrections
  and done marks, a journal written only by that annotator's processes (annotations/journal.py);
- ``state/<annotator>.jsonl``: that annotator's reading state (read marks, positions), private.

docs/design.md ("The library on disk") describes the layout and its rules.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import orjson

from annotations.annotation_store import AnnotationStore, file_name, safe_name
from annotations.article_store import ArticleStore
from annotations.errors import (
    AmbiguousArticle,
    ArticleNotFound,
    LibraryWriteError,
    TeamAnnotatorError,
)
from annotations.journal import Journal, Op
from annotations.model import Article
from annotations.records import ReadingState, Record, Span, Tag, now
from annotations.storage import (
    atomic_write_bytes,
    clean_orphaned_temp_files,
    fsync_dir,
    is_team_folder,
    make_folder,
    remove_orphaned_bodies,
)
from annotations.textfold import fold
from annotations.versions import (
    VERSION_OF,
    Recogniser,
    Versions,
    entries,
    later_stamp,
    place_spans,
)

READING = "reading"
ID_LENGTH = 16  # hex digits of an article id (annotations/model.py)
ORPHAN_AGE = 3600  # seconds: a body older than this that nothing names is left over
LEGACY_FILE = "annotations.json"  # the first release kept everyone's annotations in it
R = TypeVar("R", bound=Record)


def default_annotator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "anonymous"


@dataclass
class AddResult:
    added: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # entry ids that got a new version


class Library:
    """A library folder. Safe to use from several processes at once."""

    def __init__(self, folder: Path, annotator: str | None = None) -> None:
        self.folder = Path(folder)
        self.annotator = annotator or default_annotator()
        try:
            self.folder.mkdir(mode=0o755, parents=True, exist_ok=True)  # personal: yours only
        except OSError as exc:
            raise LibraryWriteError(self.folder, exc) from exc
        self.bodies = self.folder / "bodies"
        self.team = is_team_folder(self.folder)
        if self.team and annotator and annotator != default_annotator():
            raise TeamAnnotatorError(
                f"{self.folder} is a team library: you annotate there as {default_annotator()}"
                f" (your login name), so --annotator {annotator!r} is refused"
            )
        self.article_store = ArticleStore(self.folder, safe_name(self.annotator))
        self.annotation_store = AnnotationStore(self.folder / "annotations", verify=self.team)
        self.state = Journal(
            self.folder / "state" / file_name(self.annotator),
            self.annotator,
            ReadingState.decode,
            private=True,
        )
        self.notices: list[str] = []  # one-time messages for the user (a migration, ...)
        self._migrated = False
        self._cache: dict[str, tuple[Any, Any]] = {}
        self._search_cache: tuple[Any, dict[str, str]] | None = None
        self._orphans_checked = False
        self._texts: dict[str, str] = {}  # body texts by id (bodies never change)
        self._fields: dict[str, tuple[str | None, str | None]] = {}  # (url, published) by id

    @staticmethod
    def exists(folder: Path) -> bool:
        """True when ``folder`` holds a library (of this release or the first)."""
        return (folder / "articles").is_dir() or (folder / "articles.json").exists()

    @property
    def warnings(self) -> list[str]:
        """Messages about damaged files that were moved aside (for the user)."""
        return self.article_store.warnings + self.annotation_store.warnings + self.state.warnings

    def _ensure_migrated(self) -> None:
        """Bring a library of the first release (one shared annotations.json) to one journal
        per annotator, once (annotations/migration.py)."""
        if self._migrated:
            return
        with self.annotation_store.lock:  # the app reads from a worker too
            if self._migrated:
                return
            if (self.folder / LEGACY_FILE).exists():
                from annotations.migration import migrate

                message = migrate(self)
                if message:
                    self.notices.append(message)
            self._migrated = True

    @property
    def read_only(self) -> bool:
        """True when this process cannot write the library (permissions, read-only mount)."""
        mine = self.annotation_store.journal(self.annotator).path
        return not os.access(self.folder, os.W_OK) or any(
            p.exists() and not os.access(p, os.W_OK)
            for p in (mine, self.article_store.mine_path, self.annotation_store.folder)
        )

    # -- articles ---------------------------------------------------------------------
    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        """Store new articles (bodies first, durably, then their metadata in one write). A
        new version of an article already here (annotations/versions.py) is stored with
        ``version_of`` naming that entry, and counted as updated."""
        result = AddResult()
        known = self.article_store.documents()[1]
        fresh: dict[str, Article] = {}
        docs: dict[str, dict[str, Any]] = {}
        recogniser = Recogniser(known.values(), self._body_fields)
        stamp: str | None = None
        for article in articles:
            if article.id in known or article.id in fresh:
                result.present.append(article.id)
                continue
            fresh[article.id] = article
            doc = article.metadata()
            stamp = later_stamp(stamp)  # versions in the order of the files
            doc.update(url=article.url, published=article.published, imported=stamp)
            entry = recogniser.earlier_version(article)
            if entry is not None:
                doc[VERSION_OF] = entry
            docs[article.id] = doc
            recogniser.add(doc)  # a later file of this import may update this one
        if not fresh:
            return result
        if self.bodies.exists():
            clean_orphaned_temp_files(self.bodies)  # left by an import that was killed
            self._clean_orphaned_bodies(known)  # ... or one that failed
        folders = {self._write_body(a, docs[a.id].get(VERSION_OF)) for a in fresh.values()}
        for folder in folders | {self.bodies}:
            fsync_dir(folder)
        added = set(
            self.article_store.add(
                list(docs.values()), {a.id: search_key(a) for a in fresh.values()}
            )
        )
        for article_id in fresh:
            if article_id not in added:
                result.present.append(article_id)
            elif VERSION_OF in docs[article_id]:
                result.updated.append(docs[article_id][VERSION_OF])
            else:
                result.added.append(article_id)
        return result

    def _clean_orphaned_bodies(self, known: dict[str, Any]) -> None:
        """Remove the bodies no article refers to that an import of yours left (killed, or
        failed to store the metadata) at least an hour ago: an import in progress stores its
        metadata seconds after its bodies. Once per process, and not while a metadata file is
        damaged or unreadable (what refers to what is then not known)."""
        if self._orphans_checked or self.article_store.warnings:
            return
        self._orphans_checked = True
        removed = remove_orphaned_bodies(self.bodies, known, ORPHAN_AGE)
        if removed:
            texts = "text" if len(removed) == 1 else "texts"
            self.notices.append(
                f"removed {len(removed)} article {texts} that no article refers to (left by "
                "imports that were stopped or failed)"
            )

    def _body_fields(self, article_id: str) -> tuple[str | None, str | None]:
        """(url, published) from a body: metadata stored before versions has neither
        (cached: bodies are written once)."""
        found = self._fields.get(article_id)
        if found is None:
            try:
                record = orjson.loads(self._body_path(article_id).read_bytes())
                found = (record.get("url"), record.get("published"))
            except (OSError, ValueError):
                found = (None, None)
            self._fields[article_id] = found
        return found

    def _body_path(self, article_id: str) -> Path:
        return self.bodies / article_id[:2] / f"{article_id}.json"

    def _write_body(self, article: Article, version_of: str | None = None) -> Path:
        """Write the body file (write-once); returns its folder, to be fsynced."""
        path = self._body_path(article.id)
        if not path.exists():
            make_folder(path.parent)
            record = article.to_record()
            if version_of:
                record[VERSION_OF] = version_of
            atomic_write_bytes(path, orjson.dumps(record), sync_dir=False)
        return path.parent

    def _cached(self, name: str, build: Any) -> Any:
        """``build(union)`` for the current metadata, computed again when it changes."""
        version, union = self.article_store.documents()
        hit = self._cache.get(name)
        if hit is None or hit[0] != version:
            hit = (version, build(union))
            self._cache[name] = hit
        return hit[1]

    def versions(self) -> Versions:
        """Which stored texts are later versions of which entry."""
        return self._cached("versions", Versions.of)  # type: ignore[no-any-return]

    def articles(self) -> list[dict[str, Any]]:
        """One entry per article, newest first (read-only dicts); an updated article shows
        its newest version's metadata under its first id, with ``versions``."""
        return self._cached(  # type: ignore[no-any-return]
            "articles",
            lambda _: sorted(self.article_index().values(), key=_date_key, reverse=True),
        )

    def article_index(self) -> dict[str, dict[str, Any]]:
        """{entry id: metadata} as the list shows it (later versions are not entries)."""
        return self._cached(  # type: ignore[no-any-return]
            "entries", lambda union: entries(union, self.versions())
        )

    def find_entry(self, article_id: str, content_sha256: str | None) -> str | None:
        """The entry an exported article is now: by the id, else by the hash, of any of its
        versions (another library may have kept a later version under its own id)."""
        union = self.article_store.documents()[1]
        entry_of = self.versions().entry_of
        if article_id in union:
            return entry_of(article_id)
        by_hash: dict[str, str] = self._cached(
            "by_hash", lambda docs: {d.get("content_sha256"): i for i, d in docs.items()}
        )
        found = by_hash.get(content_sha256 or "")
        return entry_of(found) if found is not None else None

    def version_history(self, entry_id: str) -> list[dict[str, Any]]:
        """Every stored version of an entry, oldest first: id, title, imported (UTC; the
        body file's time for articles imported before versions were kept), length."""
        union = self.article_store.documents()[1]
        history = []
        for article_id in self.versions().chains.get(entry_id, [entry_id]):
            doc = union.get(article_id, {})
            imported = doc.get("imported")
            if not imported:
                with contextlib.suppress(OSError):
                    mtime = self._body_path(article_id).stat().st_mtime
                    imported = dt.datetime.fromtimestamp(mtime, dt.UTC).strftime(
                        "%Y-%m-%dT%H:%M:%SZ"
                    )
            text = self._text(article_id)
            history.append(
                {
                    "id": article_id,
                    "title": doc.get("title"),
                    "imported": imported,
                    "length": len(text) if text is not None else None,
                }
            )
        return history

    @property
    def articles_version(self) -> tuple[Any, ...]:
        """Changes whenever any importer's metadata changes."""
        return self.article_store.documents()[0]

    def resolve(self, ref: str) -> str:
        """An entry id from an id (of any of its versions) or a unique id prefix."""
        ref = ref.strip().lower()
        if len(ref) == ID_LENGTH and self._body_path(ref).exists():
            # a whole id: no need to read every importer's metadata (a later version's body
            # names its entry)
            with contextlib.suppress(OSError, ValueError):
                entry = orjson.loads(self._body_path(ref).read_bytes()).get(VERSION_OF)
                return entry if isinstance(entry, str) else ref
            return ref
        index = self.article_index()
        if ref in index:
            return ref
        entry_of = self.versions().entry
        if ref in entry_of:
            return entry_of[ref]
        ids = [*index, *entry_of]  # a prefix of a later version's id names its entry
        matches = list(dict.fromkeys(entry_of.get(i, i) for i in ids if i.startswith(ref)))
        matches = matches if ref else []
        if not matches:
            raise ArticleNotFound(f"no article with id {ref!r}")
        if len(matches) > 1:
            shown = ", ".join(sorted(matches)[:5])
            raise AmbiguousArticle(f"{ref!r} matches {len(matches)} articles: {shown}")
        return matches[0]

    def load_article(self, article_id: str) -> Article:
        """The article an entry shows: its newest version's text (any other id: that text)."""
        return self.load_version(self.versions().newest(article_id))

    def load_version(self, article_id: str) -> Article:
        """The text stored under exactly this id."""
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
        version = (self.article_store.search_version(), self.articles_version)
        if self._search_cache is not None and self._search_cache[0] == version:
            return self._search_cache[1]
        keys = self._read_search_keys()
        self._search_cache = (version, keys)
        return keys

    def _read_search_keys(self) -> dict[str, str]:
        keys = self.article_store.read_search_keys()
        missing = [i for i in self.article_store.documents()[1] if i not in keys]
        for article_id in missing:
            with contextlib.suppress(ArticleNotFound):
                keys[article_id] = search_key(self.load_version(article_id))
        versions = self.versions()
        for entry_id, chain in versions.chains.items():  # an entry is found by its newest text
            if chain[-1] in keys:
                keys[entry_id] = keys[chain[-1]]
        return keys

    def _text(self, article_id: str) -> str | None:
        """The text stored under this id (cached: bodies are written once)."""
        text = self._texts.get(article_id)
        if text is None:
            try:
                text = self._texts[article_id] = self.load_version(article_id).text
            except ArticleNotFound:
                return None
        return text

    def _placed(self, kind: type[R], records: list[R]) -> list[R]:
        """Spans on an updated article, placed on its newest text (annotations/versions.py)."""
        chains = self.versions().chains
        if kind is not Span or not any(r.article in chains for r in records):
            return records
        placed: list[R] = []
        for record in records:
            text = self._text(chains[record.article][-1]) if record.article in chains else None
            if text is not None and isinstance(record, Span):
                record = cast(R, place_spans([record], text)[0])
            placed.append(record)
        return placed

    # -- annotations ------------------------------------------------------------------
    def records(self, kind: type[R]) -> list[R]:
        """Every record of a kind, everyone's (read-only), oldest first."""
        self._ensure_migrated()
        return self._placed(kind, self.annotation_store.records(kind))

    def records_for(self, kind: type[R], article_id: str) -> list[R]:
        """One article's records of a kind, everyone's, oldest first."""
        self._ensure_migrated()
        return self._placed(kind, self.annotation_store.for_article(kind, article_id))

    def own(self, kind: type[R], record_id: str) -> R | None:
        """This annotator's record with that id, or None (others' records are not ours).
        A process that has not read its journal (a command) looks the id up in the file
        instead of reading it all."""
        self._ensure_migrated()
        journal = self.annotation_store.journal(self.annotator)
        result: R | None
        if not journal.loaded:
            found = journal.find(kind.KIND, record_id)
            result = kind.from_dict(found) if found is not None else None
        else:
            record = journal.state().get(kind.KIND, {}).get(record_id)
            result = record if isinstance(record, kind) else None  # it is: decoded as its KIND
        if result is not None and result.annotator != self.annotator:
            return None  # someone else's, imported by you: still theirs
        return result

    def own_for_article(self, kind: type[R], article_id: str) -> list[R]:
        """This annotator's records of a kind on one article, oldest first."""
        self._ensure_migrated()
        journal = self.annotation_store.journal(self.annotator)
        journal.refresh()
        found = [
            r
            for r in journal.for_article(kind.KIND, article_id).values()
            # isinstance always holds (decoded as its KIND); not what you imported of others'
            if isinstance(r, kind) and r.annotator == self.annotator
        ]
        return sorted(found, key=lambda r: (r.created, r.id))

    def write(self, ops: Iterable[Op]) -> None:
        """Append changes to this annotator's journal, durably. Only the edits service and
        the importers call this (annotations/edits.py)."""
        self._ensure_migrated()
        self.annotation_store.write(self.annotator, ops)

    def tags_by_article(self) -> dict[str, list[str]]:
        """Tag names per article, everyone's, in the order first given (kept up to date
        incrementally: a change recomputes only its article)."""
        self._ensure_migrated()
        return self.annotation_store.per_article(Tag, "names", _tag_names)

    def count_by_article(self, kind: type[R]) -> dict[str, int]:
        """How many records of a kind each article has, everyone's (kept up to date)."""
        self._ensure_migrated()
        return self.annotation_store.per_article(kind, "count", len)

    # -- reading state (this annotator's own file, read by nobody else) ------------------
    def reading(self, article_id: str) -> ReadingState | None:
        self._ensure_migrated()
        return self.state.state().get(READING, {}).get(article_id)

    def read_ids(self) -> set[str]:
        self._ensure_migrated()
        return {a for a, state in self.state.state().get(READING, {}).items() if state.read}

    def set_reading(self, article_id: str, *, read: bool = True, position: int = 0) -> None:
        have = self.reading(article_id)
        if have is not None and (have.read, have.position) == (read, position):
            return  # nothing new: write nothing
        state = ReadingState(article_id, read, position, now())
        make_folder(self.state.path.parent)
        self.state.append([Op(READING, state.to_dict())])

    def changed_on_disk(self) -> bool:
        """True when another process changed the library since we last looked."""
        return self.article_store.changed_on_disk() or self.annotation_store.changed_on_disk()


def _date_key(doc: dict[str, Any]) -> str:
    return doc.get("date") or ""


def _tag_names(tags: list[Tag]) -> list[str]:
    return list(dict.fromkeys(t.tag for t in tags))


def search_key(article: Article) -> str:
    """What library search matches: title, source, keywords and text, folded."""
    parts = [article.title, article.source or "", " ".join(article.keywords), article.text]
    return fold(" \n".join(parts))
