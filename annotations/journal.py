"""An append-only journal of records: the file behind one annotator's annotations.

A journal is a JSON-lines file. The first line is a header (format, schema, owner); each later
line is one change, ``{"put": KIND, "rec": {...}}`` or ``{"del": KIND, "id": ID}``. Saving a change
appends one line and fsyncs it (a fraction of a millisecond, whatever the file's size), instead of
rewriting the whole file as TinyDB's storages do (docs/performance.md has the measurements).

Readers keep the parsed state and read only the bytes appended since (the file is reopened by
name each time, never held open). A line cut short by a killed writer was never acknowledged:
readers leave it alone, and the next writer cuts it off before appending. Now and then a writer
compacts the journal (one line per live record) into a new file that replaces the old one
atomically, keeping the old one as ``.bak``; readers see the new inode and read it whole.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import orjson

from annotations.errors import LibraryWriteError, SchemaTooNewError
from annotations.storage import (
    FileLock,
    LinkError,
    atomic_write_bytes,
    clean_stale_temp_files,
    cut_torn_tail,
    file_mode,
    fsync_dir,
    open_nofollow,
    open_own_file,
    write_all,
)

FORMAT = "haber-okur-journal"
SCHEMA = 2
COMPACT_MIN_LINES = 2000  # compact when the journal has this many lines and ...
COMPACT_RATIO = 2  # ... at least this many lines per live record


@dataclass(frozen=True)
class Op:
    """One change: put a record (a dict of its stored form) or delete one by id."""

    kind: str
    record: dict[str, Any] | None = None  # put
    deleted: str | None = None  # delete: the id

    def line(self) -> bytes:
        if self.record is not None:
            return orjson.dumps({"put": self.kind, "rec": self.record}) + b"\n"
        return orjson.dumps({"del": self.kind, "id": self.deleted}) + b"\n"


class Stored(Protocol):
    """What a journal holds: a record with an id and a stored (dict) form."""

    @property
    def id(self) -> str: ...

    @property
    def article(self) -> str: ...

    def to_dict(self) -> dict[str, Any]: ...


S = TypeVar("S", bound=Stored)
Decode = Callable[[str, dict[str, Any]], S]


class Journal(Generic[S]):
    """One journal file. Safe across processes (flock around appends and compaction).

    ``decode(kind, dict)`` turns a stored line into a record; it runs once per line read."""

    def __init__(self, path: Path, owner: str, decode: Decode[S], *, private: bool = False) -> None:
        self.path = path
        self.owner = owner
        self.decode = decode
        self.private = private  # only its owner may read it (reading state)
        self.lock = FileLock(path.with_name(path.name + ".lock"))
        self.warnings: list[str] = []
        self._state: dict[str, dict[str, S]] = {}
        self._index: dict[str, dict[str, dict[str, S]]] = {}  # kind -> article -> id -> rec
        self._touched: set[tuple[str, str]] | None = None  # None: read afresh since taken
        self._inode: int | None = None
        self._loaded = False
        self._offset = 0  # bytes consumed (complete lines only)
        self._lines = 0
        self.version = 0  # bumped whenever the state changes (for callers' caches)

    # -- reading ----------------------------------------------------------------------
    def state(self) -> dict[str, dict[str, S]]:
        """``{kind: {id: record}}``, current with the file (read-only for callers)."""
        self.refresh()
        return self._state

    @property
    def loaded(self) -> bool:
        """True once this process has read the journal (or found it absent)."""
        return self._loaded

    def state_now(self, kind: str) -> list[S]:
        """This journal's records of one kind as last read (call :meth:`refresh` first)."""
        return list(self._state.get(kind, {}).values())

    def for_article(self, kind: str, article: str) -> dict[str, S]:
        """This journal's records of one kind on one article (call :meth:`refresh` first)."""
        return self._index.get(kind, {}).get(article, {})

    def take_touched(self) -> set[tuple[str, str]] | None:
        """The (kind, article) pairs changed since the last call; None when the journal was
        read afresh (anything may have changed)."""
        touched, self._touched = self._touched, set()
        return touched

    def find(self, kind: str, record_id: str) -> dict[str, Any] | None:
        """The stored form of one record, found without reading the journal into memory: the
        last line that names it decides (a put: that record; a delete: None)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        needle = orjson.dumps(record_id)
        end = len(data)
        while (at := data.rfind(needle, 0, end)) >= 0:
            start = data.rfind(b"\n", 0, at) + 1
            stop = data.find(b"\n", at)
            if stop < 0:
                return None  # a torn last line: never acknowledged
            with contextlib.suppress(ValueError):
                entry = orjson.loads(data[start:stop])
                if entry.get("put") == kind and entry["rec"].get("id") == record_id:
                    return dict(entry["rec"])
                if entry.get("del") == kind and entry.get("id") == record_id:
                    return None
            end = start
        return None

    def changed_on_disk(self) -> bool:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return self._inode is not None
        return st.st_ino != self._inode or st.st_size != self._offset

    def refresh(self) -> bool:
        """Read what was appended (or the whole file if it was replaced); True if anything
        changed."""
        self._loaded = True
        try:
            handle = open_nofollow(self.path)  # closed below, after the stat
        except LinkError:
            message = f"{self.path} is a link, not a file: it is not read"
            if message not in self.warnings:
                self.warnings.append(message)
            if self._inode is None:
                return False
            self._reset(None)
            return True
        except FileNotFoundError:
            if self._inode is None:
                return False
            self._reset(None)
            return True
        with handle:
            st = os.fstat(handle.fileno())
            if st.st_ino == self._inode and st.st_size == self._offset:
                return False
            if st.st_ino != self._inode or st.st_size < self._offset:
                self._reset(st.st_ino)
            handle.seek(self._offset)
            chunk = handle.read()
        end = chunk.rfind(b"\n") + 1  # a torn last line is left for later (or never)
        if end:
            self._apply(chunk[:end])
            self._offset += end
            self.version += 1
        return bool(end)

    def _reset(self, inode: int | None) -> None:
        self._state, self._inode, self._offset, self._lines = {}, inode, 0, 0
        self._index, self._touched = {}, None
        self.version += 1

    def _apply(self, data: bytes) -> None:
        for raw in data.splitlines():
            self._lines += 1
            if not raw.strip():
                continue
            try:
                entry = orjson.loads(raw)
                if "put" in entry:
                    kind = entry["put"]
                    record = self.decode(kind, entry["rec"])
                    self._forget(kind, record.id)
                    self._state.setdefault(kind, {})[record.id] = record
                    by_article = self._index.setdefault(kind, {})
                    by_article.setdefault(record.article, {})[record.id] = record
                    self._touch(kind, record.article)
                elif "del" in entry:
                    self._forget(entry["del"], entry["id"])
                elif entry.get("format") == FORMAT and int(entry.get("schema", 0)) > SCHEMA:
                    raise SchemaTooNewError(self.path, entry["schema"], SCHEMA)
            except (ValueError, KeyError, TypeError, AttributeError):
                self.warnings.append(
                    f"{self.path}: line {self._lines} could not be read and was skipped"
                )

    def _forget(self, kind: str, record_id: str) -> None:
        old = self._state.get(kind, {}).pop(record_id, None)
        if old is not None:
            self._index[kind][old.article].pop(record_id, None)
            self._touch(kind, old.article)

    def _touch(self, kind: str, article: str) -> None:
        if self._touched is not None:
            self._touched.add((kind, article))

    # -- writing ----------------------------------------------------------------------
    def append(self, ops: Iterable[Op]) -> None:
        """Append changes durably (fsynced before this returns)."""
        data = b"".join(op.line() for op in ops)
        if not data:
            return
        with self.lock.held():
            try:
                mode = file_mode(self.path.parent, private=self.private)
            except OSError as exc:
                raise LibraryWriteError(self.path, exc) from exc
            fd = open_own_file(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, mode)
            try:
                size = cut_torn_tail(fd)  # a killed writer's line, never acknowledged
                prefix = self._header() if size == 0 else b""
                write_all(fd, prefix + data)
                os.fsync(fd)
            except OSError as exc:
                raise LibraryWriteError(self.path, exc) from exc
            finally:
                os.close(fd)
            if size == 0:
                with contextlib.suppress(OSError):
                    fsync_dir(self.path.parent)
            if not self.loaded:
                return  # a command that only appends: nothing to bring up to date
            self.refresh()
            if self._lines >= COMPACT_MIN_LINES and self._lines >= COMPACT_RATIO * self.live():
                self.compact()

    def create(self) -> None:
        """Make the journal (its header only) if it does not exist yet."""
        with self.lock.held():
            if not self.path.exists():
                atomic_write_bytes(self.path, self._header(), mode=file_mode(self.path.parent))

    def live(self) -> int:
        return sum(len(records) for records in self._state.values())

    def compact(self) -> None:
        """Rewrite the journal as one line per live record (old file kept as ``.bak``)."""
        with self.lock.held():
            clean_stale_temp_files(self.path)  # a compaction that was killed
            self.refresh()
            lines = [self._header()]
            for kind, records in self._state.items():
                lines.extend(Op(kind, record.to_dict()).line() for record in records.values())
            backup = self.path.with_name(self.path.name + ".bak")
            with contextlib.suppress(OSError):
                backup.unlink()
            with contextlib.suppress(OSError):
                os.link(self.path, backup)
            mode = file_mode(self.path.parent, private=self.private)
            atomic_write_bytes(self.path, b"".join(lines), mode=mode)
            self.refresh()

    def _header(self) -> bytes:
        return orjson.dumps({"format": FORMAT, "schema": SCHEMA, "owner": self.owner}) + b"\n"
