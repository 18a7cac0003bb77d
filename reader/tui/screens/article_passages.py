"""Selecting a passage by keyboard and labelling it (or marking it as an entity)."""

from __future__ import annotations

from textual.actions import SkipAction

from annotations.records import Span
from reader.core.annotating import taxonomy
from reader.tui.screens.article_entities import LABEL_CHOICES
from reader.tui.screens.article_state import ArticleScreenState
from reader.tui.screens.prompts import ChoicePrompt, TextPrompt
from reader.tui.shorten import shorten as _short


class PassageActions(ArticleScreenState):
    """Mixed into ArticleScreen: the selection's actions (bindings live on the screen, gated by
    ``check_action`` and ``SkipAction`` so the keys scroll when nothing is selected)."""

    def _current_selection(self) -> tuple[int, int]:
        if not self.selection:
            raise SkipAction()
        return self.selection

    def action_select(self) -> None:
        if self.selection:
            raise SkipAction()
        if self.picked:
            self.selection = (self.picked.start, self.picked.end)
            self.picked = None
        else:
            self.selection = self.selector.first_word(self.article_view.top_offset())
        self._show_selection()

    def _move(self, method: str, *args: int) -> None:
        """Apply one of the Selector's moves to the current selection."""
        start, end = getattr(self.selector, method)(self._current_selection(), *args)
        if end > start:
            self.selection = (start, end)
            self._show_selection()

    def action_grow_word(self, delta: int) -> None:
        self._move("grow_word", delta)

    def action_grow_sentence(self, delta: int) -> None:
        self._move("grow_sentence", delta)

    def action_grow_paragraph(self) -> None:
        self._move("grow_paragraph")

    def action_whole_paragraph(self) -> None:
        self._move("whole_paragraph")

    def action_move_start(self, delta: int) -> None:
        self._move("move_sentence", delta)

    def action_move_word(self, delta: int) -> None:
        self._move("move_word", delta)

    def action_label_selection(self) -> None:
        start, end = self._current_selection()
        known = taxonomy().tag_keys()
        used = sorted({s.label for s in self.library.records(Span)} - set(known))
        choices = [(k, k) for k in known] + [(u, u) for u in used]

        def chosen(label: str | None) -> None:
            if label:
                self.app.push_screen(
                    TextPrompt(f"Note on the passage ({label}), or Enter for none"),
                    lambda note: self._save_span(start, end, label, note),
                )

        self.app.push_screen(
            ChoicePrompt(
                f"Label for “{_short(self.text[start:end])}”",
                choices,
                allow_new=True,
                hint="Enter: then an optional note",
            ),
            chosen,
        )

    def _save_span(self, start: int, end: int, label: str, note: str | None) -> None:
        if note is None:  # Escape at the note: keep the selection, save nothing
            return
        change = self.app.edit(
            lambda edits: edits.add_span(self.article_id, self.text, start, end, label, note),
            f"Passage saved: {label}",
        )
        if change is not None:
            self.selection = None
            self._show_selection()

    def action_mark_entity(self) -> None:
        start, end = self._current_selection()
        surface = self.text[start:end].strip()

        def chosen(label: str | None) -> None:
            if label:
                self._mark(surface, label)

        self.app.push_screen(ChoicePrompt(f"Mark “{_short(surface)}” as", LABEL_CHOICES), chosen)

    def _mark(self, surface: str, label: str) -> None:
        self.selection = None
        self._correct("add", surface, label)
