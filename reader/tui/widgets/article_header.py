"""The article header: source, dates, agency, keywords and tags, built as Text (no markup).

Each part is one line of the header's width: a line that is too long is cut with "…", and lists
(keywords, tags, suggestions) keep whole items only and say how many they left out ("+2")."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from annotations.model import Article
from reader.tui.shorten import fit_items

SUGGESTED = "   suggested "


class ArticleHeader(Static):
    _shown: tuple[Article, list[str], list[str]] | None = None

    def show(self, article: Article, tags: list[str], suggested: list[str] | None = None) -> None:
        self._shown = (article, tags, suggested or [])
        self._draw()

    def on_resize(self, event: Resize) -> None:
        self._draw()

    def _width(self) -> int:
        width = self.content_region.width if self.size.width else self.app.size.width - 2
        return max(1, width)

    def _draw(self) -> None:
        if self._shown is None:
            return
        article, tags, suggested = self._shown
        width = self._width()
        top = Text()
        top.append(article.source or "unknown source", style="bold")
        for part in (_when(article), article.agency):
            if part:
                top.append("  ·  ")
                top.append(part)
        top.truncate(width, overflow="ellipsis")
        lines = [top]
        if article.keywords:
            line = Text()
            line.append("keywords ", style="dim")
            line.append(fit_items(article.keywords, width - line.cell_len), style="italic")
            lines.append(line)
        line = Text()
        line.append("tags ", style="dim")
        # your tags first; the suggestions in the room left, at least as a count
        short = f"   +{len(suggested)} suggested" if suggested else ""
        if tags:
            own = fit_items([f"#{t}" for t in tags], width - 5 - cell_len(short), "  ")
            line.append(own, style="bold")
        else:
            line.append("none", style="dim")
        room = width - line.cell_len - cell_len(SUGGESTED)
        listed = fit_items(suggested, room) if room > 0 else ""
        if suggested and listed and not listed.startswith(("+", "…")):
            line.append(SUGGESTED, style="dim")
            line.append(listed, style="dim italic")
        elif short and line.cell_len + cell_len(short) <= width:
            line.append(short, style="dim")
        lines.append(line)
        self.update(Text("\n").join(lines))


def _when(article: Article) -> str:
    when = (article.published or article.date or "").replace("T", " ")
    if article.updated and article.updated[:10] != (article.published or "")[:10]:
        when += f" (updated {article.updated.replace('T', ' ')})"
    return when
