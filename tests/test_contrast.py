"""Every bundled theme is legible where the reader looks: read from the colours on screen.

The app runs on a sample article; in each state (the text with its entities, a picked entity, a
selection, a passage, a selection over a passage, the selection cursor, the side panel's row and
the library list's cursor row) the rendered cells are judged at truecolor, 256 and 16 colours
(``tests/contrast.py`` says how a terminal of each depth shows them). Text needs 4.5:1 (WCAG AA),
non-text marks (the unread dot, the focused widget's border) 3:1. A failure lists every theme,
element, depth, colour pair and ratio found.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.style import Style
from textual.geometry import Region
from textual.widget import Widget

from annotations.edits import Edits
from annotations.records import Span
from reader.tui.app import ReaderApp
from reader.tui.screens.article import ArticleScreen
from themes import load_themes

from .app_support import make_library
from .contrast import MARK, TEXT, Failure, low_contrast, screen_segments

THEMES = sorted(t.name for t in load_themes().themes)
SAMPLE_ID = "00e97159207a77b9"  # Turkish, with people, organisations, places and keywords
MARKS = frozenset({"●"})  # the unread dot: a mark, not text


def shows(app: ReaderApp, region: Region, test: Callable[[Style], bool]) -> bool:
    """Whether some visible character in ``region`` has a style that passes ``test``."""
    return any(
        segment.style is not None and segment.text.strip() and test(segment.style)
        for _x, _y, segment in screen_segments(app, region)
    )


def row(widget: Widget, index: int) -> Region:
    area = widget.content_region
    return Region(area.x, area.y + index - int(widget.scroll_offset.y), area.width, 1)


def border(widget: Widget) -> list[Region]:
    """The widget's left and right border columns."""
    area = widget.region
    return [Region(area.x, area.y, 1, area.height), Region(area.right - 1, area.y, 1, area.height)]


class Judge:
    """Collects the failures of one theme; a colour pair is told once, where first seen."""

    def __init__(self, app: ReaderApp, theme: str) -> None:
        self.app, self.theme = app, theme
        self.problems: list[str] = []
        self._seen: set[tuple] = set()

    def _add(self, element: str, found: list[Failure]) -> None:
        for failure in found:
            if (failure.depth, failure.fg, failure.bg) not in self._seen:
                self._seen.add((failure.depth, failure.fg, failure.bg))
                self.problems.append(f"{self.theme} {element} {failure}")

    def text(self, element: str, region: Region) -> None:
        self._add(element, low_contrast(self.app, region, minimum=TEXT, skip=MARKS))
        self._add(element, low_contrast(self.app, region, minimum=MARK, only=MARKS))

    def mark(self, element: str, region: Region) -> None:
        self._add(element, low_contrast(self.app, region, minimum=MARK))


@pytest.mark.parametrize("theme", THEMES)
async def test_what_the_reader_looks_at_has_enough_contrast(tmp_path: Path, theme: str):
    library = make_library(tmp_path / "lib")
    Edits(library).tag(SAMPLE_ID, "mediation")  # the list's cursor row shows a tag and a count
    app = ReaderApp(library, theme=theme)
    judge = Judge(app, theme)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"hamas", "enter")  # search marks too
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.article_id == SAMPLE_ID
        view = screen.article_view
        judge.text("article text and entities", view.content_region)
        judge.mark("focused article border", border(view)[0])

        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert screen.picked is not None
        assert shows(app, view.content_region, lambda style: bool(style.reverse))
        judge.text(f"picked entity ({screen.picked.label})", view.content_region)
        await pilot.press("escape")

        await pilot.press("v", "j", "right_parenthesis", "right_parenthesis")
        await pilot.pause()
        assert screen.selection is not None
        judge.text("selection", view.content_region)
        assert shows(app, view.content_region, lambda style: bool(style.reverse))
        view.set_selection(screen.selection, cursor=screen.selection[1] - 1)
        await pilot.pause()
        judge.text("selection cursor", view.content_region)

        await pilot.press("enter", *"mediation", "enter")  # label, then no note
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert [s.quote for s in library.records_for(Span, SAMPLE_ID)]
        assert screen.selection is None
        backgrounds = {
            str(s.style.bgcolor) for _x, _y, s in screen_segments(app, view.content_region)
        }
        assert len(backgrounds) >= 3  # the text's, the search hits' and the passage's
        judge.text("passage", view.content_region)
        await pilot.press("v", "j", "right_parenthesis", "right_parenthesis", "right_parenthesis")
        await pilot.pause()
        judge.text("selection over a passage", view.content_region)
        await pilot.press("escape")

        await pilot.press("tab")  # the side panel, shown at 120 columns
        await pilot.pause()
        panel = screen.panel
        assert panel.has_focus and panel.highlighted is not None
        judge.text("side panel's highlighted row", row(panel, panel.highlighted))
        judge.mark("focused side panel border", border(panel)[1])
        await pilot.press("escape")  # back to the text: the panel's row is blurred
        await pilot.pause()
        assert not panel.has_focus and panel.highlighted is not None
        judge.text("side panel's highlighted row (blurred)", row(panel, panel.highlighted))

        for _ in range(4):  # the escape ladder: panel, picked entity, article
            if app.screen is screen:
                await pilot.press("escape")
                await pilot.pause()
        listing = app.screen.query_one("ArticleList")
        assert listing.has_focus and listing.current["id"] == SAMPLE_ID
        judge.text("list cursor row (focused)", row(listing, listing.cursor))
        judge.mark("focused list border", border(listing)[0])
        await pilot.press("j")
        await pilot.pause()
        judge.text("list cursor row (unread)", row(listing, listing.cursor))
    assert not judge.problems, "\n".join(judge.problems)
