"""Tags and notes on the article on screen: the prompt with completion, quick keys, suggestions,
removal, notes. Each change is saved at once and recorded for undo."""

from __future__ import annotations

from typing import Any

from annotations import records
from reader.core.annotating import tag_choices, taxonomy
from reader.tui.screens.prompts import ChoicePrompt, TextPrompt
from reader.tui.undo import Change


class TagActions:
    """Mixed into ArticleScreen: its tag and note actions (bindings live on the screen)."""

    def _my_tags(self) -> list[dict[str, Any]]:
        who = self.library.annotator
        return [
            r
            for r in self.library.annotations_for("tags", self.article_id)
            if r["annotator"] == who
        ]

    def _add_tags(self, names: list[str]) -> None:
        have = {r["tag"] for r in self._my_tags()}
        changes = []
        for name in names:
            if name and name not in have:
                record = self._write(lambda n=name: self.library.add_tag(self.article_id, n))
                if record is not None:  # None: a failed write (reported) or tagged meanwhile
                    changes.append(Change("tags", None, record))
        if changes:
            self.app.undo.record(f"tag {', '.join(c.after['tag'] for c in changes)}", changes)
            self.notify(
                f"Tagged: {', '.join(c.after['tag'] for c in changes)}", timeout=2, markup=False
            )
        self.refresh_annotations()

    def _remove_tag(self, name: str) -> None:
        removed = self._write(lambda: self.library.remove_tag(self.article_id, name)) or []
        changes = [Change("tags", record, None) for record in removed]
        self.app.undo.record(f"untag {name}", changes)
        if changes:
            self.notify(f"Removed tag: {name}", timeout=2, markup=False)
        self.refresh_annotations()

    def action_tag(self) -> None:
        from annotations.sanitize import clean_line

        self.app.push_screen(
            ChoicePrompt(
                "Tag this article",
                tag_choices(self.library),
                allow_new=True,
                placeholder="tag name (new ones allowed)",
                hint="Enter saves · Escape cancels",
            ),
            lambda tag: tag and self._add_tags([clean_line(tag)]),
        )

    def action_untag(self) -> None:
        mine = sorted({r["tag"] for r in self._my_tags()})
        if not mine:
            self.notify("You have not tagged this article", timeout=2)
            return
        self.app.push_screen(
            ChoicePrompt("Remove which tag?", [(t, t) for t in mine]),
            lambda tag: tag and self._remove_tag(tag),
        )

    def action_quick_tag(self, number: int) -> None:
        keys = taxonomy().tag_keys()
        if number > len(keys):
            return
        name = keys[number - 1]
        if name in {r["tag"] for r in self._my_tags()}:
            self._remove_tag(name)
        else:
            self._add_tags([name])

    def action_accept_suggestions(self) -> None:
        tags = self.library.tags_by_article().get(self.article_id, [])
        todo = [t for t in self.suggested if t not in tags]
        if not todo:
            self.notify("No suggestions left to accept", timeout=2)
            return
        self._add_tags(todo)

    def action_note(self) -> None:
        self.app.push_screen(TextPrompt("Note on this article"), self._save_note)

    def _save_note(self, body: str | None) -> None:
        if not body or not body.strip():
            return
        record = records.note(self.article_id, body, self.library.annotator)
        if self._write(lambda: self.library.insert_new("notes", [record])) is not None:
            self.app.undo.record("note", [Change("notes", None, record)])
            self.notify("Note saved", timeout=2)
        self.refresh_annotations()
