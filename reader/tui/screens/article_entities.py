"""Entities and records on the article on screen: move between entities, relabel or remove them
everywhere, filter the library by one; edit or delete passages and notes from the side panel."""

from __future__ import annotations

from typing import Any

from textual.actions import SkipAction

from annotations import records
from reader.core.annotating import taxonomy
from reader.tui.screens.prompts import ChoicePrompt, TextPrompt
from reader.tui.shorten import shorten as _short
from reader.tui.undo import Change

LABEL_CHOICES = [
    ("PERSON", "PERSON  person"),
    ("ORG", "ORG  organisation"),
    ("LOC", "LOC  place"),
    ("ENT", "ENT  other name"),
]


class EntityActions:
    """Mixed into ArticleScreen: entity and record actions (bindings live on the screen)."""

    def action_entity(self, delta: int) -> None:
        if self.selection:
            raise SkipAction()
        if not self.entities:
            self.notify("No entities in this article", timeout=2)
            return
        view = self.article_view
        here = self.picked.start if self.picked else view.top_offset() - 1
        if delta > 0:
            nxt = next((e for e in self.entities if e.start > here), self.entities[0])
        else:
            nxt = next((e for e in reversed(self.entities) if e.start < here), self.entities[-1])
        self.picked = nxt
        self.panel.select_item("entity", nxt.text)
        self._show_selection()

    def _picked_panel_item(self):
        return self.panel_item

    def action_relabel(self) -> None:
        item = self._picked_panel_item()
        if item is not None and item.kind == "span":
            self._relabel_span(item.record)
            return
        if not self.picked or self.selection:
            raise SkipAction()
        entity = self.picked
        self.app.push_screen(
            ChoicePrompt(f"Label for “{entity.text}” (everywhere)", LABEL_CHOICES),
            lambda label: label and self._correct("relabel", entity.text, label),
        )

    def action_remove(self) -> None:
        item = self._picked_panel_item()
        if item is not None and item.kind in ("span", "note"):
            self._delete_record(item.kind + "s", item.record)
            return
        if not self.picked or self.selection:
            raise SkipAction()
        self._correct("remove", self.picked.text, None)

    def _relabel_span(self, span: dict[str, Any]) -> None:
        known = taxonomy().tag_keys()
        self.app.push_screen(
            ChoicePrompt(
                f"New label for “{_short(span['quote'])}”", [(k, k) for k in known], allow_new=True
            ),
            lambda label: label and self._update_record("spans", span, label=label),
        )

    def action_edit_note(self) -> None:
        item = self._picked_panel_item()
        if item is None or item.kind not in ("span", "note"):
            raise SkipAction()
        field = "note" if item.kind == "span" else "text"
        self.app.push_screen(
            TextPrompt(
                "Edit the note (empty removes it)" if field == "note" else "Edit note",
                item.record.get(field) or "",
            ),
            lambda text: (
                text is not None
                and self._update_record(item.kind + "s", item.record, **{field: text.strip()})
            ),
        )

    def _update_record(self, table: str, record: dict[str, Any], **fields: str) -> None:
        from annotations.library import now
        from annotations.sanitize import clean

        if table == "notes" and not fields.get("text"):
            self._delete_record(table, record)
            return
        updated = {**record, **{k: clean(v) for k, v in fields.items()}, "updated": now()}
        if table == "spans" and not updated.get("note"):
            updated.pop("note", None)
        if self._write(lambda: self.library.upsert(table, updated)) is None:
            return
        self.app.undo.record(f"edit {table[:-1]}", [Change(table, record, updated)])
        self.notify(f"Updated the {table[:-1]}", timeout=2)
        self.refresh_annotations()

    def _correct(self, action: str, surface: str, label: str | None) -> None:
        record = records.entity_correction(
            self.article_id, action, surface, label, self.library.annotator
        )
        if self._write(lambda: self.library.insert_new("entities", [record])) is None:
            return
        self.app.undo.record(f"entity {action} {surface}", [Change("entities", None, record)])
        verb = {"remove": "not an entity", "relabel": f"now {label}", "add": f"marked {label}"}
        self.notify(f"“{surface}”: {verb[action]}, everywhere", timeout=3, markup=False)
        self.picked = None
        self.refresh_annotations()
        self._show_selection()

    def action_filter_entity(self) -> None:
        if not self.picked or self.selection:
            raise SkipAction()
        surface = self.picked.text
        self._save_reading()
        self.dismiss()
        self.app.filter_library_by_entity(surface)

    def _delete_record(self, table: str, record: dict[str, Any] | None) -> None:
        if record is None:
            return
        if self._write(lambda: self.library.delete(table, record["id"])) is None:
            return
        self.app.undo.record(f"delete {table[:-1]}", [Change(table, record, None)])
        self.notify(f"Deleted the {table[:-1]}", timeout=2)
        self.refresh_annotations()
