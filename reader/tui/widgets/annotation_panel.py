"""The side panel of an article: its entities by type (with counts), passages and notes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from annotations.labels import ENTITY_LABELS
from annotations.records import Note, Span
from reader.entities import Entity
from reader.tui.shorten import shorten as _short

LABEL_NAMES = {label: plural for label, (_, plural) in ENTITY_LABELS.items()}


@dataclass(frozen=True)
class Item:
    """What a row of the panel stands for."""

    kind: str  # "entity" | "span" | "note"
    key: str  # entity surface text, or record id
    label: str = ""
    record: Span | Note | None = None


class AnnotationPanel(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[Item | None] = []

    def show(
        self,
        entities: list[Entity],
        spans: list[Span],
        notes: list[Note],
    ) -> None:
        """Rebuild the rows, keeping the highlighted row where it still exists."""
        current = self.current
        self.clear_options()
        self.items = []
        counts = Counter((e.text, e.label) for e in entities)
        for label, title in LABEL_NAMES.items():
            rows = sorted(
                ((t, n) for (t, lab), n in counts.items() if lab == label),
                key=lambda r: (-r[1], r[0]),
            )
            if not rows:
                continue
            self._heading(f"{title} ({len(rows)})")
            for surface, count in rows:
                text = Text("  ")
                text.append(surface, style="bold")
                text.append(f"  ×{count}", style="italic")
                self._row(text, Item("entity", surface, label))
        if spans:
            self._heading(f"Passages ({len(spans)})")
            for span in spans:
                text = Text("  ")
                text.append(f"[{span.label}] ", style="bold")
                text.append(_short(span.quote, 60))
                if span.orphaned:
                    text.append("  (not found)", style="italic")
                if span.note:
                    text.append(f"  ✎ {_short(span.note, 40)}", style="italic")
                text.append(f"  — {span.annotator}", style="italic")
                self._row(text, Item("span", span.id, span.label, span))
        if notes:
            self._heading(f"Notes ({len(notes)})")
            for note in notes:
                text = Text(f"  ✎ {_short(note.text, 70)}")
                text.append(f"  — {note.annotator}", style="italic")
                self._row(text, Item("note", note.id, "", note))
        if not self.items:
            self._heading("No entities, passages or notes")
        if current is not None:
            self.select_item(current.kind, current.key)

    def _heading(self, title: str) -> None:
        self.add_option(Option(Text(title, style="bold underline"), disabled=True))
        self.items.append(None)

    def _row(self, text: Text, item: Item) -> None:
        self.add_option(Option(text))
        self.items.append(item)

    @property
    def current(self) -> Item | None:
        index = self.highlighted
        return self.items[index] if index is not None and index < len(self.items) else None

    def select_item(self, kind: str, key: str) -> None:
        for index, item in enumerate(self.items):
            if item is not None and item.kind == kind and item.key == key:
                self.highlighted = index
                return
