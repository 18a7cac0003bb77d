"""Everyone's annotations: one journal per annotator in the library's ``annotations/`` folder.

Each annotator's processes write only that annotator's file; everybody reads the union. A
running app stats the files (one per annotator) to notice others' changes and reads only the
bytes they appended.
"""

from __future__ import annotations

import os
import pwd
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from annotations.journal import Journal, Op
from annotations.records import KINDS, Record
from annotations.storage import make_folder

SUFFIX = ".jsonl"
R = TypeVar("R", bound=Record)


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
                    owner = self._owner(entry)
                    if owner is not None:
                        self._journals[entry.name] = Journal(Path(entry.path), owner, decode)
            self._listed = (st.st_ino, st.st_mtime_ns)
        return [self._journals[name] for name in sorted(self._journals)]

    def _owner(self, entry: os.DirEntry[str]) -> str | None:
        """Whose journal this is. In a team library the file's owner (by uid) must be the
        person it is named after, or it is skipped: nobody can write as someone else."""
        if not self.verify:
            return ""
        try:
            owner = pwd.getpwuid(entry.stat().st_uid).pw_name
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
        return self.skipped + [w for j in self._journals.values() for w in j.warnings]


def _union(store: AnnotationStore, kind: type[R]) -> list[R]:
    by_id: dict[str, R] = {}
    for journal in store.journals():
        for record in journal.state().get(kind.KIND, {}).values():
            if store.verify and journal.owner not in (record.annotator, record.imported_by):
                continue  # a record claiming to be someone else's
            have = by_id.get(record.id)
            if have is None or (_stamp(record) > _stamp(have)):
                by_id[record.id] = record
    return sorted(by_id.values(), key=lambda r: (r.created, r.id))


def decode(kind: str, data: dict[str, Any]) -> Record:
    return KINDS[kind].from_dict(data)


def _stamp(record: Record) -> str:
    return getattr(record, "updated", None) or record.created


__all__ = ["AnnotationStore", "KINDS", "file_name"]
