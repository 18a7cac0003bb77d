"""The edits service: every annotation change the app and the command line make.

Each operation validates its input, writes durably to the annotator's own journal, and returns
the :class:`Change` it made (None when there was nothing to do). Changes go on an undo stack
that lives here, so undo and redo work the same from any screen, and a write that fails leaves
both stacks as they were: no step is lost.

An annotator changes only their own records: a record of someone else's can be read, never
edited or deleted (:class:`NotYours`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from annotations.errors import LibraryError
from annotations.journal import Op
from annotations.library import Library
from annotations.records import (
    DoneMark,
    EntityCorrection,
    Gold,
    Note,
    Record,
    Span,
    Tag,
    now,
)
from annotations.sanitize import clean, clean_line

R = TypeVar("R", bound=Record)


class EditError(LibraryError):
    """An edit that cannot be made (bad input, or a record that is not the annotator's)."""


class NotYours(EditError):
    """The record belongs to another annotator."""


@dataclass(frozen=True)
class Swap:
    """One record before and after a change (None: absent)."""

    before: Record | None
    after: Record | None

    @property
    def record(self) -> Record:
        found = self.after or self.before
        assert found is not None
        return found


@dataclass(frozen=True)
class Change:
    """What one operation did: a description for people, and the records it swapped."""

    description: str
    swaps: tuple[Swap, ...]

    def records(self) -> list[Record]:
        return [s.record for s in self.swaps]

    def inverse(self) -> Change:
        swaps = tuple(Swap(s.after, s.before) for s in reversed(self.swaps))
        return Change(self.description, swaps)


@dataclass
class UndoStack:
    done: list[Change] = field(default_factory=list)
    undone: list[Change] = field(default_factory=list)


class Edits:
    """Annotation operations for one annotator on one library."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.stack = UndoStack()

    @property
    def annotator(self) -> str:
        return self.library.annotator

    # -- tags ---------------------------------------------------------------------------
    def tag(self, article_id: str, *names: str) -> Change | None:
        """Tag the article with each name it does not carry yet (from this annotator)."""
        wanted = [Tag.new(article_id, n, self.annotator) for n in _names(names, "tag")]
        fresh = [t for t in wanted if self.library.own(Tag, t.id) is None]  # ids are stable
        return self._apply(f"tag {', '.join(t.tag for t in fresh)}", [Swap(None, t) for t in fresh])

    def untag(self, article_id: str, *names: str) -> Change | None:
        wanted = set(_names(names, "tag"))
        gone = [Swap(t, None) for t in self.my_records(Tag, article_id) if t.tag in wanted]
        return self._apply(f"untag {', '.join(sorted(wanted))}", gone)

    def toggle_tag(self, article_id: str, name: str) -> Change | None:
        if any(t.tag == clean_line(name) for t in self.my_records(Tag, article_id)):
            return self.untag(article_id, name)
        return self.tag(article_id, name)

    # -- passages -----------------------------------------------------------------------
    def add_span(
        self, article_id: str, text: str, start: int, end: int, label: str, note: str = ""
    ) -> Change:
        try:
            label = _name(label, "label")
            span = Span.new(article_id, text, start, end, label, self.annotator, note)
        except ValueError as exc:
            raise EditError(str(exc)) from exc
        return self._must(f"passage {span.label}", [Swap(None, span)])

    def edit_span(
        self, span_id: str, *, label: str | None = None, note: str | None = None
    ) -> Change | None:
        span = self._mine(Span, span_id)
        changes: dict[str, object] = {}
        if label is not None and _name(label, "label") != span.label:
            changes["label"] = _name(label, "label")
        if note is not None and (clean(note).strip() or None) != span.note:
            changes["note"] = clean(note).strip() or None
        if not changes:
            return None
        return self._apply("edit passage", [Swap(span, span.replace(**changes, updated=now()))])

    def delete_span(self, span_id: str) -> Change:
        return self._must("delete passage", [Swap(self._mine(Span, span_id), None)])

    # -- notes --------------------------------------------------------------------------
    def add_note(self, article_id: str, body: str) -> Change | None:
        if not clean(body).strip():
            return None
        return self._apply("note", [Swap(None, Note.new(article_id, body, self.annotator))])

    def edit_note(self, note_id: str, body: str) -> Change | None:
        """A new text for the note; an empty one deletes it."""
        note = self._mine(Note, note_id)
        text = clean(body).strip()
        if not text:
            return self.delete_note(note_id)
        if text == note.text:
            return None
        return self._apply("edit note", [Swap(note, note.replace(text=text, updated=now()))])

    def delete_note(self, note_id: str) -> Change:
        return self._must("delete note", [Swap(self._mine(Note, note_id), None)])

    # -- entities -----------------------------------------------------------------------
    def correct_entity(
        self, article_id: str, action: str, surface: str, label: str | None = None
    ) -> Change:
        """Add, relabel or remove a surface form everywhere (the newest decision wins)."""
        if not clean_line(surface):
            raise EditError("an entity needs some text")
        try:
            record = EntityCorrection.new(article_id, action, surface, label, self.annotator)
        except ValueError as exc:
            raise EditError(str(exc)) from exc
        return self._must(f"entity {action} {record.text}", [Swap(None, record)])

    # -- done marks ---------------------------------------------------------------------
    def set_done(self, article_id: str, done: bool = True) -> Change | None:
        have = self.library.own(DoneMark, DoneMark.new(article_id, self.annotator).id)
        if done and have is None:
            return self._apply("mark done", [Swap(None, DoneMark.new(article_id, self.annotator))])
        if not done and have is not None:
            return self._apply("mark not done", [Swap(have, None)])
        return None

    def is_done(self, article_id: str) -> bool:
        return self.library.own(DoneMark, DoneMark.new(article_id, self.annotator).id) is not None

    # -- gold decisions (annotations/adjudication.py checks who may make them) -------------
    def decide(self, description: str, decisions: list[Gold]) -> Change | None:
        """Record curator decisions (the newest per item across curators is the gold layer);
        one undo step."""
        swaps = []
        for decision in decisions:
            if decision.annotator != self.annotator:
                raise NotYours(f"a decision is made by its curator, not {decision.annotator}")
            swaps.append(Swap(self.library.own(Gold, decision.id), decision))
        return self._apply(description, swaps)

    # -- reading state (not undoable: it is where you are, not what you said) -------------
    def mark_read(self, article_id: str, read: bool = True, position: int | None = None) -> None:
        have = self.library.reading(article_id)
        where = position if position is not None else (have.position if have else 0)
        self.library.set_reading(article_id, read=read, position=where)

    # -- undo ---------------------------------------------------------------------------
    def undo(self) -> Change | None:
        """Undo the newest change; on a failed write it stays undoable (and the error rises)."""
        if not self.stack.done:
            return None
        change = self.stack.done[-1]
        self._write(change.inverse())
        self.stack.done.pop()
        self.stack.undone.append(change)
        return change

    def redo(self) -> Change | None:
        if not self.stack.undone:
            return None
        change = self.stack.undone[-1]
        self._write(change)
        self.stack.undone.pop()
        self.stack.done.append(change)
        return change

    # -- helpers ------------------------------------------------------------------------
    def my_records(self, kind: type[R], article_id: str) -> list[R]:
        """This annotator's records of a kind on an article (their journal only)."""
        return self.library.own_for_article(kind, article_id)

    def _mine(self, kind: type[R], record_id: str) -> R:
        record = self.library.own(kind, record_id)
        if record is not None:
            return record
        theirs = next((r for r in self.library.records(kind) if r.id == record_id), None)
        if theirs is not None:
            raise NotYours(f"this {kind.KIND} is {theirs.annotator}'s: only they can change it")
        raise EditError(f"no {kind.KIND} with id {record_id}")

    def _must(self, description: str, swaps: list[Swap]) -> Change:
        change = self._apply(description, swaps)
        assert change is not None
        return change

    def _apply(self, description: str, swaps: list[Swap]) -> Change | None:
        if not swaps:
            return None
        change = Change(description, tuple(swaps))
        self._write(change)
        self.stack.done.append(change)
        self.stack.undone.clear()
        return change

    def _write(self, change: Change) -> None:
        ops = [
            Op(s.after.KIND, s.after.to_dict())
            if s.after is not None
            else Op(s.record.KIND, deleted=s.record.id)
            for s in change.swaps
        ]
        self.library.write(ops)


def _names(values: tuple[str, ...], what: str) -> list[str]:
    """Cleaned, each once, in the order given."""
    return list(dict.fromkeys(_name(v, what) for v in values))


def _name(value: str, what: str) -> str:
    name = clean_line(value)
    if not name:
        raise EditError(f"a {what} needs a name")
    return name
