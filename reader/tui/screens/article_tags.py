"""Tags and notes on the article on screen: the prompt with completion, quick keys, suggestions,
removal, notes. The edits service saves each change at once and keeps it for undo."""

from __future__ import annotations

from annotations.records import Tag
from annotations.sanitize import clean_line
from reader.core.annotating import tag_choices, taxonomy
from reader.tui.screens.article_state import ArticleScreenState
from reader.tui.screens.prompts import ChoicePrompt, TextPrompt


class TagActions(ArticleScreenState):
    """Mixed into ArticleScreen: its tag and note actions (bindings live on the screen)."""

    def _my_tags(self) -> list[str]:
        return sorted(t.tag for t in self.app.edits.my_records(Tag, self.article_id))

    def _add_tags(self, names: list[str]) -> None:
        self.app.edit(
            lambda edits: edits.tag(self.article_id, *names), f"Tagged: {', '.join(names)}"
        )

    def _remove_tag(self, name: str) -> None:
        self.app.edit(lambda edits: edits.untag(self.article_id, name), f"Removed tag: {name}")

    def action_tag(self) -> None:
        def chosen(tag: str | None) -> None:
            if tag and clean_line(tag):
                self._add_tags([clean_line(tag)])

        self.app.push_screen(
            ChoicePrompt(
                "Tag this article",
                tag_choices(self.library),
                allow_new=True,
                placeholder="tag name (new ones allowed)",
                hint="{cancel}",  # the cancel key in force
            ),
            chosen,
        )

    def action_untag(self) -> None:
        mine = self._my_tags()
        if not mine:
            self.notify("You have not tagged this article", timeout=2)
            return

        def chosen(tag: str | None) -> None:
            if tag:
                self._remove_tag(tag)

        self.app.push_screen(ChoicePrompt("Remove which tag?", [(t, t) for t in mine]), chosen)

    def action_quick_tag(self, number: int) -> None:
        keys = taxonomy().tag_keys()
        if number > len(keys):
            return
        name = keys[number - 1]
        if name in self._my_tags():
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
        if body and body.strip():
            self.app.edit(lambda edits: edits.add_note(self.article_id, body), "Note saved")
