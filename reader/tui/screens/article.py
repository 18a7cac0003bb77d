"""The article screen: the text with entities and passages, the side panel, and every
annotation action (tags, passages, notes, entity corrections), each saved at once and undoable.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen

from annotations.errors import LibraryError
from annotations.labels import ENT, LOC, ORG, PERSON
from annotations.library import Library
from annotations.model import Article
from annotations.records import Note, Span
from annotations.sanitize import cap_marks
from annotations.taxonomy import suggest_tags
from reader.core.annotating import article_entities, taxonomy
from reader.core.highlights import Mark, keyword_marks, search_marks
from reader.entities import Entity
from reader.entities.models import current
from reader.tui import selection as sel
from reader.tui.keys import with_key
from reader.tui.screens.article_entities import EntityActions
from reader.tui.screens.article_passages import PassageActions
from reader.tui.screens.article_tags import TagActions
from reader.tui.widgets.annotation_panel import AnnotationPanel, Item
from reader.tui.widgets.article_header import ArticleHeader
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.footer import FittedFooter

ENTITY_KINDS = {PERSON: "person", ORG: "org", LOC: "loc", ENT: "other"}  # highlight styles
BIG_ARTICLE = 200_000  # characters: entities are found in a worker above this (rules)
BIG_ARTICLE_MODEL = 20_000  # the same with a model in force (about 0.2 MB/s, not 1-3)
PANEL_MIN_WIDTH = 110  # the side panel shows by default on terminals at least this wide
READ_AFTER = 3.0  # seconds on screen before an article counts as read (or the reader scrolls)


class ArticleScreen(TagActions, EntityActions, PassageActions, Screen[None]):
    BINDINGS = [
        Binding("escape", "escape", "Back", id="article.back"),
        Binding("q", "back", "Back", show=False, id="article.quit"),
        Binding("n", "step(1)", "Next", show=False, id="article.next"),
        Binding("p", "step(-1)", "Prev", show=False, id="article.previous"),
        Binding("t", "tag", "Tag", id="article.tag"),
        Binding("d", "untag", "Untag", show=False, id="article.untag"),
        Binding("a", "accept_suggestions", "Accept suggested", show=False, id="article.accept"),
        Binding("1", "quick_tag(1)", "Toggle taxonomy tag 1 … 9", show=False, id="article.tag1"),
        *[
            Binding(str(n), f"quick_tag({n})", "", show=False, id=f"article.tag{n}")
            for n in range(2, 10)
        ],
        Binding("v", "select", "Select", id="article.select"),
        Binding("N", "note", "Note", show=False, id="article.note"),
        Binding(
            "right_square_bracket", "entity(1)", "Next entity", show=False, id="article.next_entity"
        ),
        Binding(
            "left_square_bracket",
            "entity(-1)",
            "Prev entity",
            show=False,
            id="article.previous_entity",
        ),
        Binding("e", "toggle_panel", "Panel", id="article.panel"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="article.unread"),
        Binding("D", "toggle_done", "Done", id="article.done"),
        Binding("u", "undo", "Undo", show=False, id="article.undo"),
        Binding("ctrl+r", "redo", "Redo", show=False, id="article.redo"),
        Binding("question_mark", "app.help", "Help", id="article.help"),
        # with an entity picked ([ ] or the panel)
        Binding("L", "relabel", "Relabel", id="entity.relabel"),
        Binding("x", "remove", "Remove", id="entity.remove"),
        Binding("f", "filter_entity", "Filter", id="entity.filter"),
        Binding("c", "edit_note", "Edit note", id="panel.edit_note"),
        # while selecting a passage (priority: they win over the view's scrolling keys)
        Binding("w", "grow_word(1)", "+word", priority=True, id="select.word"),
        Binding("W,b", "grow_word(-1)", "-word", show=False, priority=True, id="select.unword"),
        Binding(
            "right_parenthesis",
            "grow_sentence(1)",
            "+sentence",
            priority=True,
            id="select.sentence",
        ),
        Binding(
            "left_parenthesis",
            "grow_sentence(-1)",
            "-sentence",
            show=False,
            priority=True,
            id="select.unsentence",
        ),
        Binding(
            "right_curly_bracket",
            "grow_paragraph",
            "+paragraph",
            show=False,
            priority=True,
            id="select.paragraph",
        ),
        Binding("V", "whole_paragraph", "Paragraph", priority=True, id="select.whole"),
        Binding(
            "j,down", "move_start(1)", "Next sentence", show=False, priority=True, id="select.down"
        ),
        Binding(
            "k,up", "move_start(-1)", "Prev sentence", show=False, priority=True, id="select.up"
        ),
        Binding("l", "move_word(1)", "Next word", show=False, priority=True, id="select.right"),
        Binding("h", "move_word(-1)", "Prev word", show=False, priority=True, id="select.left"),
        Binding("enter", "label_selection", "Label", priority=True, id="select.label"),
        Binding("E", "mark_entity", "Entity", priority=True, id="select.entity"),
    ]
    SELECTING = {
        "grow_word",
        "grow_sentence",
        "grow_paragraph",
        "whole_paragraph",
        "move_start",
        "move_word",
        "label_selection",
        "mark_entity",
    }
    ENTITY = {"relabel", "remove", "filter_entity"}

    def __init__(self, article_id: str, order: list[str], search: str = "") -> None:
        super().__init__()
        self.article_id = article_id
        self.order = order
        self.search = search
        self.article: Article = self.app.library.load_article(article_id)
        self.text = self.article.text
        self._position = 0
        self._opened_at = 0  # where this visit started: scrolling away from it is reading
        reading = self.app.library.reading(article_id)
        self.read = bool(reading and reading.read)
        self.done = False  # marked done by this annotator: read with the annotations
        self._read_chosen = False  # m was pressed: no more marking read by itself this visit
        self.entities: list[Entity] = []
        self.picked: Entity | None = None  # the entity [ ] or the panel points at
        self.selection: tuple[int, int] | None = None  # the passage being selected
        self.suggested: list[str] = []
        self.selector = sel.Selector(self.text, self.article.blocks)
        # Built here, not looked up: check_action (asked by the footer at any time, also while
        # this screen composes or leaves) must answer from state, never from a query.
        self.article_header = ArticleHeader(id="article-header")
        self.article_view = ArticleView(self.article, id="article-view")
        self.panel = AnnotationPanel(id="annotation-panel")
        self.panel_item: Item | None = None  # the panel row in use (the panel has focus)

    @property
    def library(self) -> Library:
        return self.app.library

    def compose(self) -> ComposeResult:
        yield self.article_header
        with Horizontal(id="article-body"):
            yield self.article_view
            yield self.panel
        yield FittedFooter()

    def on_mount(self) -> None:
        view = self.article_view
        view.border_title = Content(cap_marks(self.article.title))  # literal, never markup
        panel = self.panel
        panel.border_title = "Entities · passages · notes"
        panel.display = self.app.size.width >= PANEL_MIN_WIDTH
        self.suggested = suggest_tags(self.text, taxonomy())
        if self._big():
            self.find_entities_in_worker()
        else:
            self.entities = article_entities(self.library, self.article)
        self.refresh_annotations()
        reading = self.library.reading(self.article_id)
        if reading and reading.position:
            self._position = self._opened_at = reading.position
            view.scroll_to_offset(self._position)
        self.set_timer(READ_AFTER, self._seen)  # passing through (n, n, …) marks nothing read
        view.focus()

    def _big(self) -> bool:
        """Whether finding entities could hold the screen up: then it is done in a worker."""
        limit = BIG_ARTICLE if current().model is None else BIG_ARTICLE_MODEL
        return len(self.text) > limit

    @work(thread=True, exclusive=True, group="entities")
    def find_entities_in_worker(self) -> None:
        found = article_entities(self.library, self.article)
        self.app.call_from_thread(self._entities_ready, found)

    def _entities_ready(self, found: list[Entity]) -> None:
        self.entities = found
        self.refresh_annotations()

    # -- what is shown --------------------------------------------------------------------
    def refresh_annotations(self) -> None:
        """Re-read tags, passages, notes and corrections (ours or another process's)."""
        library = self.library
        if not self._big():
            self.entities = article_entities(library, self.article)
        tags = library.tags_by_article().get(self.article_id, [])
        suggested = [t for t in self.suggested if t not in tags]
        self.article_header.show(self.article, tags, suggested)
        spans = library.records_for(Span, self.article_id)
        notes = library.records_for(Note, self.article_id)
        self.panel.show(self.entities, spans, notes)
        self.panel.border_title = f"Entities ({current().short()}) · passages · notes"
        self.article_view.set_marks(self.marks(spans))
        self.done = self.app.edits.is_done(self.article_id)  # undo may have changed it
        self._update_subtitle()

    def marks(self, spans: list[Span]) -> list[Mark]:
        marks = [Mark(e.start, e.end, ENTITY_KINDS.get(e.label, "other")) for e in self.entities]
        taken = [(m.start, m.end) for m in marks]
        if len(taken) < 5000:
            marks += [
                k
                for k in keyword_marks(self.text, self.article.keywords)
                if not any(a < k.end and k.start < b for a, b in taken)
            ]
        marks += [Mark(s.start, s.end, "span") for s in spans if not s.orphaned]
        if self.search:
            marks += search_marks(self.text, self.search)
        return marks

    def _update_subtitle(self) -> None:
        view = self.article_view
        parts = []
        if self.article_id in self.order:
            parts.append(f"{self.order.index(self.article_id) + 1} / {len(self.order)}")
        if self.selection:
            parts.insert(0, f"selecting {self.selection[1] - self.selection[0]} chars")
        elif self.picked:
            parts.insert(0, f"{self.picked.label}: {self.picked.text}")
        if self.done:
            parts.append("✓ done")
        parts.append(f"entities: {current().name}")  # rules, or model (the panel says when)
        view.border_subtitle = Content("  ·  ".join(parts))

    def _show_selection(self) -> None:
        view = self.article_view
        if self.selection:
            view.set_selection(self.selection)
            view.ensure_offset_visible(self.selection[1])
        elif self.picked:
            view.set_selection((self.picked.start, self.picked.end))
            view.ensure_offset_visible(self.picked.start)
        else:
            view.set_selection(None)
        self._update_subtitle()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show the keys of the current mode in the footer."""
        if action in self.SELECTING:
            return bool(self.selection)
        if self.selection and action != "escape":
            return False  # while selecting, only the selection's keys (the footer is small)
        item = self.panel_item
        kind = item.kind if item is not None else None
        record_item = kind in ("span", "note")
        if action == "edit_note":
            return record_item
        if action in ("remove", "relabel") and record_item:
            return action == "remove" or kind == "span"
        if action in self.ENTITY:
            return bool(self.picked and not self.selection)
        return True

    # -- reading ------------------------------------------------------------------------
    @on(ArticleView.Scrolled)
    def _scrolled(self, event: ArticleView.Scrolled) -> None:
        self._position = event.offset
        if event.offset != self._opened_at:
            self._seen()

    def _seen(self) -> None:
        """Three seconds on screen, or a scroll: the article is read (unless m said otherwise)."""
        if not self.read and not self._read_chosen:
            self.read = True
            self._save_reading()

    def _save_reading(self) -> None:
        """Reading state is this annotator's own file: nobody else reloads it."""
        try:
            self.app.edits.mark_read(self.article_id, read=self.read, position=self._position)
        except (LibraryError, OSError) as exc:
            self.app.report_error(exc)

    def action_toggle_read(self) -> None:
        self.read = not self.read
        self._read_chosen = True
        self._save_reading()
        self.notify("Marked read" if self.read else "Marked unread", timeout=1.5)

    def action_toggle_done(self) -> None:
        """Done: what you did not tag here, you said no to (agreement counts it)."""
        wanted = not self.done
        change = self.app.edit(
            lambda edits: edits.set_done(self.article_id, wanted),
            "Marked done" if wanted else "Marked not done",
        )
        if change is not None:
            self.done = wanted
            self._update_subtitle()

    def action_escape(self) -> None:
        """Escape backs out one level: selection, the focused side panel (back to the text,
        the panel stays shown), picked entity, then the article."""
        if self.selection:
            self.selection = None
            self._show_selection()
        elif self.panel.has_focus:
            self.article_view.focus()
        elif self.picked:
            self.picked = None
            self._show_selection()
        else:
            self.action_back()

    def action_back(self) -> None:
        self._save_reading()
        self.dismiss()

    def action_step(self, delta: int) -> None:
        if self.article_id not in self.order:
            return
        index = self.order.index(self.article_id) + delta
        if not 0 <= index < len(self.order):
            self.notify("No more articles this way", timeout=1.5)
            return
        self._save_reading()
        self.app.switch_article(self.order[index], self.order, self.search)

    def action_toggle_panel(self) -> None:
        panel = self.panel
        panel.display = not panel.display
        (panel if panel.display else self.article_view).focus()

    # -- side panel and undo -------------------------------------------------------------
    @on(events.DescendantFocus)
    @on(events.DescendantBlur)
    def _panel_focus_changed(self) -> None:
        self._panel_moved()

    @on(AnnotationPanel.OptionHighlighted)
    def _panel_moved(self) -> None:
        """Keep ``panel_item`` (what the panel's keys act on) and the text's highlight in step
        with the panel's cursor while the panel has focus."""
        item = self.panel.current if self.panel.has_focus else None
        self.panel_item = item
        if item is None:
            self.refresh_bindings()
            return
        if item.kind == "entity":
            if not (self.picked and self.picked.text == item.key):  # [ ] chose this mention
                self.picked = next((e for e in self.entities if e.text == item.key), None)
        elif isinstance(item.record, Span) and not item.record.orphaned:
            self.picked = None
            self.article_view.set_selection((item.record.start, item.record.end))
            self.article_view.ensure_offset_visible(item.record.start)
            self._update_subtitle()
            self.refresh_bindings()
            return
        else:
            self.picked = None
        self._show_selection()

    @on(AnnotationPanel.OptionSelected)
    def _panel_chosen(self) -> None:
        """Enter on a row: go to it in the text (an entity's first mention, a passage)."""
        self._panel_moved()
        self.article_view.focus()

    def action_undo(self) -> None:
        self.app.action_undo()

    def action_redo(self) -> None:
        self.app.action_redo()

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        def keyed(text: str, binding_id: str) -> str:
            return with_key(self, text, binding_id)

        return [
            ("article: tag", keyed("Add a tag", "article.tag"), self.action_tag),
            (
                "article: remove a tag",
                keyed("Remove one of your tags", "article.untag"),
                self.action_untag,
            ),
            (
                "article: accept suggested tags",
                keyed("Tag with every suggestion", "article.accept"),
                self.action_accept_suggestions,
            ),
            (
                "article: note",
                keyed("Write a note on the article", "article.note"),
                self.action_note,
            ),
            (
                "article: select a passage",
                keyed("Start selecting", "article.select"),
                self.action_select,
            ),
            (
                "article: next entity",
                keyed("Jump to the next entity", "article.next_entity"),
                lambda: self.action_entity(1),
            ),
            (
                "article: mark read / unread",
                keyed("Toggle the read mark", "article.unread"),
                self.action_toggle_read,
            ),
            (
                "article: mark done / not done",
                keyed("Done: agreement counts the article for you", "article.done"),
                self.action_toggle_done,
            ),
            (
                "article: toggle side panel",
                keyed("Entities, passages, notes", "article.panel"),
                self.action_toggle_panel,
            ),
            (
                "edit: undo",
                keyed("Undo the last annotation change", "article.undo"),
                self.action_undo,
            ),
            ("edit: redo", keyed("Redo", "article.redo"), self.action_redo),
        ]
