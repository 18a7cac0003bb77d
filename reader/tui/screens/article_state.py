"""The article screen as its action mixins (tags, entities, passages) see it: for the type checker.

ArticleScreen's state and a few of its methods are used by TagActions, EntityActions and
PassageActions, which it mixes in. For mypy they derive from :class:`ArticleScreenState`, a
Screen that declares those; at run time it is ``object``, so the mixins stay plain classes and
ArticleScreen's bases are what they were.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual import getters
    from textual.screen import Screen

    from annotations.library import Library
    from reader.entities import Entity
    from reader.tui.app import ReaderApp
    from reader.tui.selection import Selector
    from reader.tui.widgets.annotation_panel import AnnotationPanel, Item
    from reader.tui.widgets.article_view import ArticleView

    class ArticleScreenState(Screen[None]):
        app = getters.app(ReaderApp)
        article_id: str
        text: str
        entities: list[Entity]
        picked: Entity | None
        selection: tuple[int, int] | None
        suggested: list[str]
        selector: Selector
        article_view: ArticleView
        panel: AnnotationPanel
        panel_item: Item | None

        @property
        def library(self) -> Library: ...

        def _show_selection(self) -> None: ...

        def _save_reading(self) -> None: ...

        def _correct(self, action: str, surface: str, label: str | None) -> None: ...

else:
    ArticleScreenState = object
