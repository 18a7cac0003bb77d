"""The library list: a line-API view over article metadata; draws only the visible rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Click, Key
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotations.sanitize import strip_controls
from reader.tui.shorten import fit, fit_items

DATE_WIDTH = 10
SOURCE_WIDTH = 14


class ArticleList(ScrollView, can_focus=True):
    """Rows of (metadata, tags, read, annotation count); a cursor; Enter opens."""

    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--read",
        "article-list--date",
        "article-list--source",
        "article-list--tags",
        "article-list--count",
    }
    BINDINGS = [
        Binding("j,down", "move(1)", "Down", show=False, id="list.down"),
        Binding("k,up", "move(-1)", "Up", show=False, id="list.up"),
        Binding("g,home", "first", "First", show=False, id="list.first"),
        Binding("G,end", "last", "Last", show=False, id="list.last"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="list.page_down"),
        Binding("pageup,b", "page(-1)", "Page up", show=False, id="list.page_up"),
        Binding("ctrl+d", "half(1)", "Half page down", show=False, id="list.half_down"),
        Binding("ctrl+u", "half(-1)", "Half page up", show=False, id="list.half_up"),
        Binding("enter,l", "open", "Open", id="list.open"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class Opened(Message):
        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class SearchRequested(Message):
        """ "/" was pressed: the keys that follow are the search, until the box has focus."""

    class TypedAhead(Message):
        def __init__(self, key: str, character: str | None) -> None:
            super().__init__()
            self.key = key
            self.character = character

    class Highlighted(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[dict[str, Any]] = []
        self.tags: dict[str, list[str]] = {}
        self.read: set[str] = set()
        self.counts: dict[str, int] = {}
        self._strips: dict[int, Strip] = {}
        self.typing_ahead = False
        # set by the screen: start a search, and take keys typed before the box had focus
        self.start_search: Callable[[], None] | None = None
        self.type_ahead: Callable[[str, str | None], None] | None = None
        # the keys in force of library.search and library.escape (the screen sets them)
        self.search_keys = frozenset(("slash",))
        self.cancel_keys = frozenset(("escape",))

    SEARCH_KEYS = frozenset(("enter", "backspace", "ctrl+u", "ctrl+w"))

    def on_key(self, event: Key) -> None:
        """ "/" (library.search) starts a search that the list itself types into, in key order.

        The focus stays here (as in fzf): keys typed in one burst are queued to the focused
        widget before any focus change could take effect, so moving the focus to the search
        box would split and reorder them (and so would waiting for the screen's binding). Up/down
        still move through the results; Escape (library.escape) cancels.
        """
        if event.key in self.search_keys and not self.typing_ahead and self.start_search:
            self.typing_ahead = True
            self.start_search()
        elif self.typing_ahead and self.type_ahead and event.key in self.cancel_keys:
            self.type_ahead("escape", None)
        elif (
            self.typing_ahead
            and self.type_ahead
            and (event.is_printable or event.key in self.SEARCH_KEYS)
        ):
            self.type_ahead(event.key, event.character)
        else:
            return
        event.stop()
        event.prevent_default()

    # -- data ---------------------------------------------------------------------------
    def set_rows(
        self,
        rows: list[dict[str, Any]],
        *,
        tags: dict[str, list[str]],
        read: set[str],
        counts: dict[str, int],
        keep_id: str | None = None,
    ) -> None:
        """Replace the rows; keep the cursor on ``keep_id`` if it is still listed."""
        self.rows, self.tags, self.read, self.counts = rows, tags, read, counts
        self.virtual_size = Size(self.size.width, len(rows))
        index = 0
        if keep_id is not None:
            index = next((i for i, r in enumerate(rows) if r["id"] == keep_id), 0)
        self._strips.clear()
        self.cursor = min(index, max(0, len(rows) - 1))
        self.refresh()

    @property
    def current(self) -> dict[str, Any] | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    # -- cursor ------------------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._strips.pop(old, None)
        self._strips.pop(new, None)
        self.scroll_to_region_of(new)
        self.refresh()
        self.post_message(self.Highlighted(new))

    def scroll_to_region_of(self, index: int) -> None:
        top, height = int(self.scroll_offset.y), max(1, self.size.height)
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False)

    def action_move(self, delta: int) -> None:
        self.cursor += delta

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.size.height - 1)

    def action_half(self, direction: int) -> None:
        self.cursor += direction * max(1, self.size.height // 2)

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current["id"]))

    def on_click(self, event: Click) -> None:
        index = int(self.scroll_offset.y) + event.y
        if 0 <= index < len(self.rows):
            if index == self.cursor and event.chain >= 2:
                self.action_open()
            self.cursor = index

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))
        self._strips.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    # -- rendering ----------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.size.width
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(index)
        if strip is None or strip.cell_length != width:
            strip = self._strips[index] = self._render_row(index, width)
        return strip

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"article-list--{name}", partial=True)

    def _render_row(self, index: int, width: int) -> Strip:
        row = self.rows[index]
        article_id = row["id"]
        cursor = self._style("cursor") if index == self.cursor else None

        def style(part: str | None = None) -> Style:
            """The part's style, then the cursor's over it (legible on the cursor row)."""
            result = self.rich_style + self._style(part) if part else self.rich_style
            return result + cursor if cursor is not None else result

        base = style()
        unread = article_id not in self.read
        mark = Segment("● " if unread else "  ", style("unread" if unread else "read"))
        segments = [mark]
        narrow = width < 60
        if not narrow:
            date = (row.get("date") or "").ljust(DATE_WIDTH)
            segments.append(Segment(date + " ", style("date")))
            source_width = SOURCE_WIDTH if width < 110 else SOURCE_WIDTH + 6
            source = fit(strip_controls(row.get("source") or "-"), source_width)
            segments.append(Segment(source + " ", style("source")))
        used = sum(s.cell_length for s in segments)
        tags = [strip_controls(t) for t in self.tags.get(article_id, [])]
        count = self.counts.get(article_id, 0)
        count_text = f" ✎{count}" if count else ""
        room = width - used
        # the tags take at most a third of the room, whole ones ("+2" for the rest), the count
        tail_room = min(
            cell_len(" " + ", ".join(tags) if tags else "") + cell_len(count_text),
            max(0, room // 3),
        )
        if cell_len(count_text) > tail_room:
            count_text = ""
        tag_room = tail_room - cell_len(count_text) - 1
        tag_text = " " + fit_items(tags, tag_room) if tags and tag_room > 0 else ""
        title_room = max(0, room - cell_len(tag_text) - cell_len(count_text))
        title = strip_controls(row.get("title") or "")
        segments.append(Segment(fit(title, title_room), base))
        if tag_text:
            segments.append(Segment(tag_text, style("tags")))
        if count_text:
            segments.append(Segment(count_text, style("count")))
        return Strip(segments).adjust_cell_length(width, base)
