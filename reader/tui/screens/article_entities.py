"""Entities and records on the article on screen: move between entities, relabel or remove them
everywhere, filter the library by one; edit or delete passages and notes from the side panel.
Every change goes through the edits service (``self.app.edit``)."""

from __future__ import annotations

from textual.actions import SkipAction

from annotations.labels import ENTITY_LABELS
from annotations.records import Note, Span
from reader.core.annotating import taxonomy
from reader.tui.screens.article_state import ArticleScreenState
from reader.tui.screens.prompts import ChoicePrompt, TextPrompt
from reader.tui.shorten import shorten as _short

LABEL_CHOICES = [(label, f"{label}  {name}") for label, (name, _) in ENTITY_LABELS.items()]


class EntityActions(ArticleScreenState):
    """Mixed into ArticleScreen: entity and record actions (bindings live on the screen)."""

    def action_entity(self, delta: int) -> None:
        if self.selection:
            raise SkipAction()
        if not self.entities:
            self.notify("No entities in this article", timeout=2)
            return
        here = self.picked.start if self.picked else self.article_view.top_offset() - 1
        if delta > 0:
            nxt = next((e for e in self.entities if e.start > here), self.entities[0])
        else:
            nxt = next((e for e in reversed(self.entities) if e.start < here), self.entities[-1])
        self.picked = nxt
        self.panel.select_item("entity", nxt.text)
        self._show_selection()

    def _picked_record(self) -> Span | Note | None:
        item = self.panel_item
        record = item.record if item is not None else None
        return record if isinstance(record, Span | Note) else None

    def action_relabel(self) -> None:
        record = self._picked_record()
        if isinstance(record, Span):
            self._relabel_span(record)
            return
        if not self.picked or self.selection:
            raise SkipAction()
        entity = self.picked

        def chosen(label: str | None) -> None:
            if label:
                self._correct("relabel", entity.text, label)

        self.app.push_screen(
            ChoicePrompt(f"Label for “{_short(entity.text)}” (everywhere)", LABEL_CHOICES), chosen
        )

    def action_remove(self) -> None:
        record = self._picked_record()
        if isinstance(record, Span):
            self.app.edit(lambda edits: edits.delete_span(record.id), "Deleted the passage")
            return
        if isinstance(record, Note):
            self.app.edit(lambda edits: edits.delete_note(record.id), "Deleted the note")
            return
        if not self.picked or self.selection:
            raise SkipAction()
        self._correct("remove", self.picked.text, None)

    def _relabel_span(self, span: Span) -> None:
        known = taxonomy().tag_keys()

        def chosen(label: str | None) -> None:
            if label:
                self.app.edit(lambda e: e.edit_span(span.id, label=label), "Updated the passage")

        self.app.push_screen(
            ChoicePrompt(
                f"New label for “{_short(span.quote)}”", [(k, k) for k in known], allow_new=True
            ),
            chosen,
        )

    def action_edit_note(self) -> None:
        record = self._picked_record()
        if isinstance(record, Span):

            def span_note(text: str | None) -> None:
                if text is not None:
                    self.app.edit(lambda e: e.edit_span(record.id, note=text), "Updated the note")

            self.app.push_screen(
                TextPrompt("Edit the note (empty removes it)", record.note or ""), span_note
            )
        elif isinstance(record, Note):

            def note_text(text: str | None) -> None:
                if text is not None:
                    self.app.edit(lambda e: e.edit_note(record.id, text), "Updated the note")

            self.app.push_screen(TextPrompt("Edit note (empty deletes it)", record.text), note_text)
        else:
            raise SkipAction()

    def _correct(self, action: str, surface: str, label: str | None) -> None:
        verb = {"remove": "not an entity", "relabel": f"now {label}", "add": f"marked {label}"}
        self.picked = None
        self.app.edit(
            lambda edits: edits.correct_entity(self.article_id, action, surface, label),
            f"“{surface}”: {verb[action]}, everywhere",
        )
        self._show_selection()

    def action_filter_entity(self) -> None:
        if not self.picked or self.selection:
            raise SkipAction()
        surface = self.picked.text
        self._save_reading()
        self.dismiss()
        self.app.filter_library_by_entity(surface)
