"""Undo and redo of annotation changes, across the session (every article)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotations.library import Library


@dataclass(frozen=True)
class Change:
    """One record of one table, before and after (None: absent)."""

    table: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class Step:
    description: str
    changes: list[Change]


def _put(library: Library, table: str, old: dict | None, new: dict | None) -> None:
    if new is None and old is not None:
        library.delete(table, old["id"])
    elif new is not None and old is None:
        library.insert_new(table, [new])
    elif new is not None:
        library.upsert(table, new)


@dataclass
class UndoStack:
    done: list[Step] = field(default_factory=list)
    undone: list[Step] = field(default_factory=list)

    def record(self, description: str, changes: list[Change]) -> None:
        if changes:
            self.done.append(Step(description, changes))
            self.undone.clear()

    def undo(self, library: Library) -> Step | None:
        if not self.done:
            return None
        step = self.done.pop()
        for change in reversed(step.changes):
            _put(library, change.table, change.after, change.before)
        self.undone.append(step)
        return step

    def redo(self, library: Library) -> Step | None:
        if not self.undone:
            return None
        step = self.undone.pop()
        for change in step.changes:
            _put(library, change.table, change.before, change.after)
        self.done.append(step)
        return step
