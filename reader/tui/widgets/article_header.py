"""The article header: source, dates, agency, keywords and tags, built as Text (no markup)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from annotations.model import Article


class ArticleHeader(Static):
    def show(self, article: Article, tags: list[str], suggested: list[str] | None = None) -> None:
        line = Text()
        line.append(article.source or "unknown source", style="bold")
        for part in (_when(article), article.agency):
            if part:
                line.append("  ·  ")
                line.append(part)
        if article.keywords:
            line.append("\n")
            line.append("keywords ", style="dim")
            line.append(", ".join(article.keywords), style="italic")
        line.append("\n")
        line.append("tags ", style="dim")
        if tags:
            line.append("  ".join(f"#{t}" for t in tags), style="bold")
        else:
            line.append("none", style="dim")
        if suggested:
            line.append("   suggested ", style="dim")
            line.append(", ".join(suggested), style="dim italic")
        self.update(line)


def _when(article: Article) -> str:
    when = (article.published or article.date or "").replace("T", " ")
    if article.updated and article.updated[:10] != (article.published or "")[:10]:
        when += f" (updated {article.updated.replace('T', ' ')})"
    return when
