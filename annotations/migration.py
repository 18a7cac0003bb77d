"""From the first release's layout (everyone's records in one ``annotations.json``) to one
journal per annotator and a private reading-state file each.

Runs once, on the first open of such a library, under the old file's lock. In a team library
each member migrates only their own records (only they may write their files): the old file
stays until everyone has opened the library, and the others' records wait in it. Every record is
accounted for: written to its annotator's journal, or counted as an exact duplicate of one that
was (same kind, article, annotator and meaning). The old file is kept beside the library as
``annotations.json.v1`` (with its ``.bak``). A migration cut short is run again on the next open:
writing a record twice puts the same id twice, which is harmless.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from typing import TYPE_CHECKING, Any

from annotations.annotation_store import file_name
from annotations.errors import LibraryError
from annotations.journal import Journal, Op
from annotations.records import KINDS, ReadingState
from annotations.storage import AtomicJSONStorage, make_folder

if TYPE_CHECKING:
    from annotations.library import Library

LEGACY_TABLES = {"tags": "tag", "spans": "span", "notes": "note", "entities": "entity"}
KEPT_AS = "annotations.json.v1"


def migrate(library: Library) -> str | None:
    """Migrate the library's legacy file; returns the message for the user (None: nothing to
    do). A failure leaves the old file in place and says why."""
    legacy = library.folder / "annotations.json"
    storage = AtomicJSONStorage(legacy, "annotations", 1)
    mine = library.annotation_store.journal(library.annotator)
    only = library.annotator if library.team else None
    try:
        with storage.lock.held():
            if not legacy.exists() or (only and mine.path.exists()):
                return None  # migrated meanwhile (in a team library: your part of it)
            data = storage.read() or {}
            counts = _write_journals(library, data, only)
            if only:  # the others' records wait in the old file for their owners to open it
                mine.create()
                return _team_message(legacy, counts, data, only)
            kept = legacy.with_name(KEPT_AS)
            os.replace(legacy, kept)
            with contextlib.suppress(OSError):
                os.replace(storage.backup_path, kept.with_name(KEPT_AS + ".bak"))
    except (LibraryError, OSError) as exc:
        return f"{legacy} could not be migrated to the new layout ({exc}); it is unchanged"
    library.annotation_store.journals()  # list the new files
    moved = sum(counts["moved"].values())
    details = ", ".join(f"{n} {kind}" for kind, n in sorted(counts["moved"].items())) or "none"
    message = (
        f"Migrated {moved} annotation records ({details}) and {counts['reading']} reading "
        f"states from {legacy} to one file per annotator; the old file is kept as {kept}"
    )
    if counts["duplicates"]:
        message += f"; {counts['duplicates']} exact duplicates became one record"
    if counts["skipped"]:
        message += f"; {counts['skipped']} damaged records were left in the old file"
    return message


def _team_message(legacy: Any, counts: dict[str, Any], data: dict[str, Any], me: str) -> str:
    others = sorted(
        {
            str(doc.get("annotator"))
            for table in LEGACY_TABLES
            for doc in (data.get(table) or {}).values()
            if doc.get("annotator") != me
        }
    )
    message = (
        f"Migrated your {sum(counts['moved'].values())} annotation records and "
        f"{counts['reading']} reading states from {legacy} to your own files"
    )
    if others:
        message += (
            f"; the records of {', '.join(others)} stay in it, not shown, until each of them "
            "opens the library (only they can write their own files)"
        )
    return message


def _write_journals(library: Library, data: dict[str, Any], only: str | None) -> dict[str, Any]:
    """Write every record (``only``: that annotator's) to its annotator's journal."""
    ops: dict[str, list[Op]] = {}
    seen: set[tuple[Any, ...]] = set()
    moved: Counter[str] = Counter()
    duplicates = skipped = 0
    for table, kind in LEGACY_TABLES.items():
        cls = KINDS[kind]
        rows = sorted((data.get(table) or {}).values(), key=lambda d: d.get("created") or "")
        for doc in rows:
            try:
                record = cls.from_dict(doc)
            except TypeError:
                skipped += 1
                continue
            if only is not None and record.annotator != only:
                continue
            key = (kind, record.article, *record.meaning())
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            ops.setdefault(record.annotator, []).append(Op(kind, record.to_dict()))
            moved[kind] += 1
    for annotator, changes in ops.items():
        library.annotation_store.write(annotator, changes)
    reading = 0
    states: dict[str, list[Op]] = {}
    for doc in (data.get("reading") or {}).values():
        if only is not None and doc.get("annotator") != only:
            continue
        with contextlib.suppress(KeyError, TypeError, ValueError):
            state = ReadingState.from_dict(doc)
            states.setdefault(str(doc["annotator"]), []).append(Op("reading", state.to_dict()))
            reading += 1
    for annotator, changes in states.items():
        journal = (
            library.state
            if annotator == library.annotator
            else Journal(
                library.state.path.with_name(file_name(annotator)),
                annotator,
                ReadingState.decode,
                private=True,
            )
        )
        make_folder(journal.path.parent)
        journal.append(changes)
    return {"moved": moved, "duplicates": duplicates, "skipped": skipped, "reading": reading}
