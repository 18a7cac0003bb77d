"""The article screen: header, the text with entities and marks, next/previous, position."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer

from annotations.model import Article
from reader.highlights import keyword_marks
from reader.widgets.article_header import ArticleHeader
from reader.widgets.article_view import ArticleView


class ArticleScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="article.back"),
        Binding("n", "step(1)", "Next", id="article.next"),
        Binding("p", "step(-1)", "Previous", id="article.previous"),
        Binding("question_mark", "app.help", "Help", id="article.help"),
    ]

    def __init__(self, article_id: str, order: list[str]) -> None:
        super().__init__()
        self.article_id = article_id
        self.order = order
        self.article: Article = self.app.library.load_article(article_id)
        self._position = 0

    @property
    def library(self):
        return self.app.library

    def compose(self) -> ComposeResult:
        yield ArticleHeader(id="article-header")
        yield ArticleView(self.article, id="article-view")
        yield Footer()

    def on_mount(self) -> None:
        view = self.query_one(ArticleView)
        view.border_title = Content(self.article.title)  # literal text, never markup
        self.refresh_annotations()
        reading = self.library.reading(self.article_id)
        if reading and reading.get("position"):
            self._position = int(reading["position"])
            view.scroll_to_offset(self._position)
        self._save_reading()
        view.focus()

    def refresh_annotations(self) -> None:
        """Re-read tags and marks (after our own change or another process's)."""
        tags = self.library.tags_by_article().get(self.article_id, [])
        self.query_one(ArticleHeader).show(self.article, tags)
        self.query_one(ArticleView).set_marks(self.marks())
        self._update_subtitle()

    def marks(self):
        return keyword_marks(self.article.text, self.article.keywords)

    def _update_subtitle(self) -> None:
        view = self.query_one(ArticleView)
        if self.article_id in self.order:
            where = self.order.index(self.article_id) + 1
            view.border_subtitle = f"{where} / {len(self.order)}"

    @on(ArticleView.Scrolled)
    def _scrolled(self, event: ArticleView.Scrolled) -> None:
        self._position = event.offset

    def _save_reading(self) -> None:
        from annotations.errors import LibraryError

        try:
            self.library.set_reading(self.article_id, read=True, position=self._position)
        except LibraryError as exc:
            self.app.report_error(exc)

    def palette_commands(self) -> list[tuple[str, str, object]]:
        """Commands of this screen for the palette (annotation commands join here)."""
        return []

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
        self.app.switch_article(self.order[index], self.order)
