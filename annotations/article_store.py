"""Article metadata and search keys, one shard per importer.

``articles/<importer>.json`` (TinyDB through the one storage class) holds the metadata of what
that person imported, and ``articles/<importer>.search.jsonl`` their folded search keys; only
their processes write them. The library is the union of every shard, plus the first release's
``articles.json`` and ``search.jsonl``, which are read as they are and never written again.
The same article imported by two people is one article (ids come from the text).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import orjson

from annotations.errors import LibraryWriteError
from annotations.storage import (
    AtomicJSONStorage,
    Store,
    append_lines,
    file_mode,
    make_folder,
    open_own_file,
    stat_key,
)

SCHEMA = 1
TABLE = "articles"
SHARDS = "articles"
LEGACY_METADATA = "articles.json"
LEGACY_SEARCH = "search.jsonl"
SEARCH_SUFFIX = ".search.jsonl"


class ArticleStore:
    """Every importer's shard of one library; writes go to ``importer``'s own."""

    def __init__(self, library_folder: Path, importer_file: str) -> None:
        self.folder = library_folder / SHARDS
        self.legacy = library_folder / LEGACY_METADATA
        self.legacy_search = library_folder / LEGACY_SEARCH
        self.mine_path = self.folder / f"{importer_file}.json"
        self.mine_search = self.folder / f"{importer_file}{SEARCH_SUFFIX}"
        self._mine: Store | None = None
        self._storages: dict[Path, AtomicJSONStorage] = {}
        self._listed: tuple[int, int] | None = None
        self._union: tuple[tuple[Any, ...], dict[str, dict[str, Any]]] | None = None

    @property
    def mine(self) -> Store:
        """The importer's own shard (its stale temp files cleaned on first use)."""
        if self._mine is None:
            self._mine = Store(self.mine_path, "articles", SCHEMA)
            self._storages[self.mine_path] = self._mine.storage
        return self._mine

    def storages(self) -> list[AtomicJSONStorage]:
        """The legacy file and every shard (the folder is listed again when it changed)."""
        paths = [self.legacy] if self.legacy.exists() else []
        try:
            st = os.stat(self.folder)
        except FileNotFoundError:
            st = None
        if st is not None and (st.st_ino, st.st_mtime_ns) != self._listed:
            for entry in os.scandir(self.folder):
                path = Path(entry.path)
                if entry.name.endswith(".json") and path not in self._storages:
                    self._storages[path] = AtomicJSONStorage(path, "articles", SCHEMA)
            self._listed = (st.st_ino, st.st_mtime_ns)
        paths += sorted(p for p in self._storages if p != self.legacy)
        for path in paths:
            if path not in self._storages:
                self._storages[path] = AtomicJSONStorage(path, "articles", SCHEMA)
        return [self._storages[p] for p in paths]

    def documents(self) -> tuple[tuple[Any, ...], dict[str, dict[str, Any]]]:
        """(version, {id: metadata}) over every shard; the version changes with any shard."""
        read = [(storage, storage.read() or {}) for storage in self.storages()]
        version = tuple((s.path.name, id(data), s.version) for s, data in read)
        if self._union is not None and self._union[0] == version:
            return self._union
        union: dict[str, dict[str, Any]] = {}
        for _, data in read:
            for doc in (data.get(TABLE) or {}).values():
                if isinstance(doc.get("id"), str):  # a document without an id is skipped
                    union.setdefault(doc["id"], doc)
        self._union = (version, union)
        return self._union

    def changed_on_disk(self) -> bool:
        try:
            st = os.stat(self.folder)
            if (st.st_ino, st.st_mtime_ns) != self._listed:
                return True
        except FileNotFoundError:
            pass
        return any(s.changed_on_disk() for s in self.storages())

    @property
    def warnings(self) -> list[str]:
        return [w for s in self._storages.values() for w in s.warnings]

    # -- writing ------------------------------------------------------------------------
    def add(self, docs: list[dict[str, Any]], keys: dict[str, str]) -> list[str]:
        """Store metadata not stored yet (in any shard) with its search keys; returns the
        ids added. One write of the importer's shard, one fsynced append of its keys."""
        make_folder(self.folder)
        with self.mine.transaction() as db:
            _, union = self.documents()  # under the lock: another process may have added some
            new = [d for d in docs if d["id"] not in union]
            if new:
                db.table(TABLE).insert_multiple(new)
                self._append_keys({d["id"]: keys[d["id"]] for d in new})
        return [d["id"] for d in new]

    def _append_keys(self, keys: dict[str, str]) -> None:
        lines = b"".join(orjson.dumps({"id": i, "key": k}) + b"\n" for i, k in keys.items())
        path = self.mine_search
        try:
            fd = open_own_file(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, file_mode(path.parent))
            try:
                append_lines(fd, lines)  # all of it (a short write is finished) or none
            finally:
                os.close(fd)
        except OSError as exc:
            raise LibraryWriteError(path, exc) from exc

    # -- search keys ----------------------------------------------------------------------
    def search_files(self) -> list[Path]:
        files = [self.legacy_search] if self.legacy_search.exists() else []
        with contextlib.suppress(FileNotFoundError):
            files += sorted(p for p in self.folder.iterdir() if p.name.endswith(SEARCH_SUFFIX))
        return files

    def search_version(self) -> tuple[Any, ...]:
        return tuple((p.name, stat_key(p)) for p in self.search_files())

    def read_search_keys(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        for path in self.search_files():
            with contextlib.suppress(FileNotFoundError), open(path, "rb") as handle:
                for line in handle:
                    with contextlib.suppress(ValueError, KeyError, TypeError):
                        record = orjson.loads(line)
                        keys.setdefault(record["id"], record["key"])
        return keys
