"""Everyone's annotations: one journal per annotator in the library's ``annotations/`` folder.

Each annotator's processes write only that annotator's file; everybody reads the union. A
running app stats the files (one per annotator) to notice others' changes and reads only the
bytes they appended.
"""

from __future__ import annotations

import os
import pwd
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from annotations.journal import Journal, Op
from annotations.records import KINDS, Record
from annotations.storage import make_folder

SUFFIX = ".jsonl"
R = TypeVar("R", bound=Record)
T = TypeVar("T")


def safe_name(annotator: str) -> str:
    """A safe, reversible file name stem for a person's name (letters, digits, ``._-`` kept;
    anything else, and a leading dot, written as %XX)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", annotator):
        if char.isalnum() or char in "_-" or (char == "." and out):
            out.append(char)
        else:
            out.append("".join(f"%{b:02X}" for b in char.encode("utf-8")))
    return "".join(out)


def file_name(annotator: str) -> str:
    return safe_name(annotator) + SUFFIX


class AnnotationStore:
    """The ``annotations/`` folder of a library."""

    def __init__(self, folder: Path, *, verify: bool = False) -> None:
        self.folder = folder
        self.verify = verify  # a team library: trust a file only as far as its owner goes
        self.skipped: list[str] = []
        self._journals: dict[str, Journal[Record]] = {}
        self._listed: tuple[int, int] | None = None
        self.lock = threading.RLock()  # the app reads in a worker and on the UI thread
        self._views: dict[tuple[str, str], _View] = {}
        self._all: dict[str, list[Record]] = {}
        self._kinds_changed: set[str] = set(KINDS)

    def journal(self, annotator: str) -> Journal[Record]:
        """The journal an annotator writes (made on first write)."""
        name = file_name(annotator)
        with self.lock:
            journal = self._journals.get(name)
            if journal is None:
                journal = self._journals[name] = Journal(self.folder / name, annotator, decode)
            return journal

    def journals(self) -> list[Journal[Record]]:
        """Every annotator's journal (the folder is listed again when it changed)."""
        with self.lock:
            try:
                st = os.stat(self.folder)
            except FileNotFoundError:
                return list(self._journals.values())
            if (st.st_ino, st.st_mtime_ns) != self._listed:
                for entry in os.scandir(self.folder):
                    if entry.name.endswith(SUFFIX) and entry.name not in self._journals:
                        owner = self._owner(entry)
                        if owner is not None:
                            path = Path(entry.path)
                            self._journals[entry.name] = Journal(path, owner, decode)
                self._listed = (st.st_ino, st.st_mtime_ns)
            return [self._journals[name] for name in sorted(self._journals)]

    def _owner(self, entry: os.DirEntry[str]) -> str | None:
        """Whose journal this is. In a team library the file's owner (by uid) must be the
        person it is named after, or it is skipped: nobody can write as someone else."""
        if not self.verify:
            return ""
        try:
            owner = pwd.getpwuid(entry.stat(follow_symlinks=False).st_uid).pw_name
        except (KeyError, OSError):
            owner = None
        if owner is None or file_name(owner) != entry.name:
            self.skipped.append(
                f"{entry.path} is not owned by the person it is named after "
                f"(owner: {owner or 'unknown'}); its records are not shown"
            )
            return None
        return owner

    def write(self, annotator: str, ops: Iterable[Op]) -> None:
        make_folder(self.folder)
        self.journal(annotator).append(ops)

    # -- reading ----------------------------------------------------------------------
    def sync(self) -> None:
        """Bring every journal up to date and the per-article views with it: only the
        articles whose records changed are recomputed (a journal read afresh resets all)."""
        with self.lock:
            for journal in self.journals():
                journal.refresh()
                touched = journal.take_touched()
                if touched is None:
                    self._views.clear()
                    self._kinds_changed.update(KINDS)
                    continue
                for kind, article in touched:
                    self._kinds_changed.add(kind)
                    for (view_kind, _), view in self._views.items():
                        if view_kind == kind:
                            view.stale.add(article)

    def for_article(self, kind: type[R], article: str) -> list[R]:
        """One article's records of a kind, everyone's, oldest first (one per id)."""
        with self.lock:
            self.sync()
            return self._merged(kind, article)

    def _merged(self, kind: type[R], article: str) -> list[R]:
        return self._newest(
            kind, ((j, j.for_article(kind.KIND, article).values()) for j in self.journals())
        )

    def _newest(
        self, kind: type[R], sources: Iterable[tuple[Journal[Record], Iterable[Record]]]
    ) -> list[R]:
        """One record per id (the newest version) from the trusted records of each journal,
        oldest first."""
        by_id: dict[str, R] = {}
        for journal, records in sources:
            for record in records:
                # isinstance always holds (the journal decoded it as its kind): for the types
                if isinstance(record, kind) and self._trusted(journal, record):
                    have = by_id.get(record.id)
                    if have is None or _stamp(record) > _stamp(have):
                        by_id[record.id] = record
        return sorted(by_id.values(), key=lambda r: (r.created, r.id))

    def per_article(
        self, kind: type[R], name: str, summary: Callable[[list[R]], T]
    ) -> dict[str, T]:
        """``{article: summary(records)}`` for every article with records of ``kind``, kept
        up to date incrementally (read-only for callers)."""
        with self.lock:
            self.sync()
            view = self._views.get((kind.KIND, name))
            if view is None:
                articles = {r.article for j in self.journals() for r in j.state_now(kind.KIND)}
                view = self._views[(kind.KIND, name)] = _View({}, articles)
            for article in view.stale:
                records = self._merged(kind, article)
                if records:
                    view.data[article] = summary(records)
                else:
                    view.data.pop(article, None)
            view.stale.clear()
            return view.data

    def records(self, kind: type[R]) -> list[R]:
        """Every record of a kind, from every journal, oldest first (one per id)."""
        with self.lock:
            self.sync()
            hit = self._all.get(kind.KIND)
            if hit is None or kind.KIND in self._kinds_changed:
                hit = self._all[kind.KIND] = _union(self, kind)
                self._kinds_changed.discard(kind.KIND)
            return cast("list[R]", hit)  # the list kept under kind.KIND holds that kind

    def changed_on_disk(self) -> bool:
        if not self.lock.acquire(blocking=False):
            return False  # being read right now (a worker): asked again in a second
        try:
            return self._changed_on_disk()
        finally:
            self.lock.release()

    def _changed_on_disk(self) -> bool:
        journals = self.journals()
        try:
            listed = os.stat(self.folder)
            if (listed.st_ino, listed.st_mtime_ns) != self._listed:
                return True
        except FileNotFoundError:
            pass
        return any(journal.changed_on_disk() for journal in journals)

    def _trusted(self, journal: Journal[Record], record: Record) -> bool:
        """In a team library a journal speaks only for its owner (and what they imported)."""
        # every kind has imported_by, but the base Record does not declare it
        importer = getattr(record, "imported_by", None)
        return not self.verify or journal.owner in (record.annotator, importer)

    @property
    def warnings(self) -> list[str]:
        return self.skipped + [w for j in self._journals.values() for w in j.warnings]


@dataclass
class _View:
    data: dict[str, Any]
    stale: set[str] = field(default_factory=set)  # articles to recompute


def _union(store: AnnotationStore, kind: type[R]) -> list[R]:
    return store._newest(kind, ((j, j.state_now(kind.KIND)) for j in store.journals()))


def decode(kind: str, data: dict[str, Any]) -> Record:
    return KINDS[kind].from_dict(data)


def _stamp(record: Record) -> str:
    return getattr(record, "updated", None) or record.created


__all__ = ["AnnotationStore", "KINDS", "file_name"]
