"""Everyone's annotations: one journal per annotator in the library's ``annotations/`` folder.

Each annotator's processes write only that annotator's file; everybody reads the union. A
running app stats the files (one per annotator) to notice others' changes and reads only the
bytes they appended.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from annotations.journal import Journal, Op
from annotations.records import KINDS, Record

SUFFIX = ".jsonl"
R = TypeVar("R", bound=Record)


def file_name(annotator: str) -> str:
    """A safe, reversible file name for an annotator name (letters, digits, ``._-`` kept)."""
    name = unicodedata.normalize("NFC", annotator)
    out = []
    for char in name:
        if char.isalnum() or char in "_-" or (char == "." and out):
            out.append(char)
        else:
            out.append("".join(f"%{b:02X}" for b in char.encode("utf-8")))
    return "".join(out) + SUFFIX


class AnnotationStore:
    """The ``annotations/`` folder of a library."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._journals: dict[str, Journal] = {}
        self._listed: tuple[int, int] | None = None
        self._cache: dict[str, tuple[Any, Any]] = {}

    def journal(self, annotator: str) -> Journal:
        """The journal an annotator writes (made on first write)."""
        name = file_name(annotator)
        journal = self._journals.get(name)
        if journal is None:
            journal = self._journals[name] = Journal(self.folder / name, annotator, decode)
        return journal

    def journals(self) -> list[Journal]:
        """Every annotator's journal (the folder is listed again when it changed)."""
        try:
            st = os.stat(self.folder)
        except FileNotFoundError:
            return list(self._journals.values())
        if (st.st_ino, st.st_mtime_ns) != self._listed:
            for entry in os.scandir(self.folder):
                if entry.name.endswith(SUFFIX) and entry.name not in self._journals:
                    self._journals[entry.name] = Journal(Path(entry.path), "", decode)
            self._listed = (st.st_ino, st.st_mtime_ns)
        return [self._journals[name] for name in sorted(self._journals)]

    def write(self, annotator: str, ops: Iterable[Op]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.journal(annotator).append(ops)

    # -- reading ----------------------------------------------------------------------
    def version(self) -> tuple[tuple[str, int], ...]:
        """Changes whenever any journal changes (each is brought up to date)."""
        out = []
        for journal in self.journals():
            journal.refresh()
            out.append((journal.path.name, journal.version))
        return tuple(out)

    def changed_on_disk(self) -> bool:
        journals = self.journals()
        try:
            listed = os.stat(self.folder)
            if (listed.st_ino, listed.st_mtime_ns) != self._listed:
                return True
        except FileNotFoundError:
            pass
        return any(journal.changed_on_disk() for journal in journals)

    def records(self, kind: type[R]) -> list[R]:
        """Every record of a kind, from every journal, oldest first (one per id)."""
        return self.derived(f"records:{kind.KIND}", lambda: _union(self, kind))

    def derived(self, name: str, build: Any) -> Any:
        """``build()``, cached until a journal changes."""
        version = self.version()
        hit = self._cache.get(name)
        if hit is not None and hit[0] == version:
            return hit[1]
        value = build()
        self._cache[name] = (version, value)
        return value

    @property
    def warnings(self) -> list[str]:
        return [w for journal in self._journals.values() for w in journal.warnings]


def _union(store: AnnotationStore, kind: type[R]) -> list[R]:
    by_id: dict[str, R] = {}
    for journal in store.journals():
        for record in journal.state().get(kind.KIND, {}).values():
            have = by_id.get(record.id)
            if have is None or (_stamp(record) > _stamp(have)):
                by_id[record.id] = record
    return sorted(by_id.values(), key=lambda r: (r.created, r.id))


def decode(kind: str, data: dict[str, Any]) -> Record:
    return KINDS[kind].from_dict(data)


def _stamp(record: Record) -> str:
    return getattr(record, "updated", None) or record.created


__all__ = ["AnnotationStore", "KINDS", "file_name"]
