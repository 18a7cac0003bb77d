"""The article body: a line-API scroll view that lays out and styles only what is visible."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotations.model import Article
from annotations.sanitize import cap_marks
from reader.core.highlights import Mark
from reader.tui.textlayout import Line, layout, line_at

MAX_MARK_LENGTH = 400  # marks longer than this (spans) are kept apart and scanned linearly
# the order styles are laid on a character (later wins): entities and keywords, passages, search
# hits, the selection, the cursor
LAYERS = {"span": 1, "search": 2, "selection": 3, "cursor": 4}


class ArticleView(ScrollView, can_focus=True):
    """Shows an article's canonical text, wrapped to the width, with marks styled by kind."""

    COMPONENT_CLASSES = {
        "article-view--title",
        "article-view--lede",
        "article-view--subheading",
        "article-view--paragraph",
        "article-view--person",
        "article-view--org",
        "article-view--loc",
        "article-view--other",
        "article-view--keyword",
        "article-view--span",
        "article-view--search",
        "article-view--selection",
        "article-view--cursor",
    }
    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", show=False, id="view.down"),
        Binding("k,up", "scroll_up", "Up", show=False, id="view.up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="view.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="view.bottom"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="view.page_down"),
        Binding("b,pageup", "page_up", "Page up", show=False, id="view.page_up"),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False, id="view.half_down"),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False, id="view.half_up"),
    ]

    class Scrolled(Message):
        """The top line changed (to remember the reading position)."""

        def __init__(self, offset: int) -> None:
            super().__init__()
            self.offset = offset

    def __init__(self, article: Article, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article = article
        self.text = article.text
        self.blocks = article.blocks
        self.lines: list[Line] = []
        self._marks: list[Mark] = []
        self._mark_starts: list[int] = []
        self._long_marks: list[Mark] = []
        self._width = 0
        self._strips: dict[int, Strip] = {}
        self.selection: tuple[int, int] | None = None
        self.cursor: int | None = None
        self._pending_offset = 0

    # -- content ------------------------------------------------------------------------
    def set_marks(self, marks: list[Mark]) -> None:
        short = sorted(
            (m for m in marks if m.end - m.start <= MAX_MARK_LENGTH), key=lambda m: (m.start, m.end)
        )
        self._marks = short
        self._mark_starts = [m.start for m in short]
        self._long_marks = [m for m in marks if m.end - m.start > MAX_MARK_LENGTH]
        self.redraw()

    def set_selection(self, selection: tuple[int, int] | None, cursor: int | None = None) -> None:
        self.selection, self.cursor = selection, cursor
        self.redraw()

    def redraw(self) -> None:
        self._strips.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    # -- layout -------------------------------------------------------------------------
    def on_resize(self) -> None:
        self._relayout()

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        if width <= 0 or width == self._width:
            return
        top = self.top_offset() if self.lines else self._pending_offset
        self._width = width
        self.lines = layout(self.text, self.blocks, width)
        self.virtual_size = Size(width, len(self.lines))
        self._strips.clear()
        target = line_at(self.lines, top)
        if target:  # after the new virtual size is applied, or the scroll is clamped to 0
            self.call_after_refresh(self.scroll_to, y=target, animate=False)

    def top_offset(self) -> int:
        """Offset of the first visible character (stable across widths)."""
        if not self.lines:
            return self._pending_offset
        index = min(int(self.scroll_offset.y), len(self.lines) - 1)
        return self.lines[index].start

    def scroll_to_offset(self, offset: int, *, center: bool = False) -> None:
        if not self.lines:
            self._pending_offset = offset
            return
        index = line_at(self.lines, offset)
        if center:
            index = max(0, index - self.size.height // 2)
        self.scroll_to(y=index, animate=False)

    def ensure_offset_visible(self, offset: int) -> None:
        if not self.lines:
            return
        index = line_at(self.lines, offset)
        top = int(self.scroll_offset.y)
        if index < top or index >= top + self.size.height:
            self.scroll_to(y=max(0, index - self.size.height // 3), animate=False)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.lines:
            self.post_message(self.Scrolled(self.top_offset()))

    # -- actions ------------------------------------------------------------------------
    def action_half_page(self, direction: int) -> None:
        self.scroll_relative(y=direction * max(1, self.size.height // 2), animate=False)

    # -- rendering ----------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        if index >= len(self.lines):
            return Strip.blank(self.size.width, self.rich_style)
        strip = self._strips.get(index)
        if strip is None:
            strip = self._render_index(index)
            if len(self._strips) > 2000:
                self._strips.clear()
            self._strips[index] = strip
        return strip.crop(int(self.scroll_offset.x), int(self.scroll_offset.x) + self.size.width)

    def _render_index(self, index: int) -> Strip:
        line = self.lines[index]
        base = (
            self.rich_style
            + self.get_component_rich_style(f"article-view--{line.kind}", partial=True)
            if line.kind != "blank"
            else self.rich_style
        )
        width = max(self._width, self.size.width)
        if line.start == line.end:
            return Strip([Segment(" " * width, self.rich_style)], width)
        ranges = self._styled_ranges(line)
        cuts = sorted({line.start, line.end, *(p for a, b, _ in ranges for p in (a, b))})
        segments = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            style = base
            for start, end, extra in ranges:
                if start <= a and b <= end:
                    style = style + extra
            segments.append(Segment(cap_marks(self.text[a:b]), style))
        strip = Strip(segments)
        return strip.extend_cell_length(width, self.rich_style)

    def _styled_ranges(self, line: Line) -> list[tuple[int, int, Style]]:
        """(start, end, style) of the marks, selection and cursor on ``line``, clipped."""
        found: list[tuple[int, int, str]] = []
        first = bisect_left(self._mark_starts, line.start - MAX_MARK_LENGTH)
        last = bisect_right(self._mark_starts, line.end)
        for mark in self._marks[first:last]:
            if mark.end > line.start and mark.start < line.end:
                found.append((mark.start, mark.end, mark.kind))
        for mark in self._long_marks:
            if mark.end > line.start and mark.start < line.end:
                found.insert(0, (mark.start, mark.end, mark.kind))
        if self.selection is not None:
            a, b = self.selection
            if b > line.start and a < line.end:
                found.append((a, b, "selection"))
        if self.cursor is not None and line.start <= self.cursor < max(line.end, line.start + 1):
            found.append((self.cursor, self.cursor + 1, "cursor"))
        found.sort(key=lambda item: LAYERS.get(item[2], 0))  # a hit's colours win over a name's
        return [
            (
                max(a, line.start),
                min(b, line.end),
                self.get_component_rich_style(f"article-view--{kind}", partial=True),
            )
            for a, b, kind in found
            if min(b, line.end) > max(a, line.start)
        ]
