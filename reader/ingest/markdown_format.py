"""Markdown, rendered to plain canonical text with markdown-it-py (CommonMark, tables):
``# Title`` is the title, ``##`` … ``######`` headings are subheadings, a list is one block
with an item per line, a table one with a row per line (cells between `` · ``), links are
their text; code and HTML keep their text, never markup.

markdown-it has no backtracking patterns: a 50 KB heading line parses in a millisecond (the
heading regex it replaced took 13 s on 2,000 spaces, and grew with the cube of the length).
"""

from __future__ import annotations

import re
from functools import cache
from html import unescape
from typing import TYPE_CHECKING

from annotations.model import Article
from annotations.sanitize import clean, clean_line
from reader.ingest.errors import IngestError
from reader.ingest.paragraphs import split_title

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_SILENT = {"script", "style", "template"}  # HTML whose text is not prose
_BREAK = re.compile(r"<br\b", re.IGNORECASE)


@cache
def _parser() -> MarkdownIt:
    """Imported when a Markdown file is, not at start-up."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def parse(text: str) -> Article:
    renderer = _Renderer()
    renderer.render(_parser().parse(text))
    blocks = [(kind, body) for kind, body in renderer.blocks if body]
    title = renderer.title
    if title is None:
        if not blocks:
            raise IngestError("the file is empty")
        first, rest = split_title([body for _, body in blocks[:1]])
        title, blocks = first, [("paragraph", t) for t in rest] + blocks[1:]
    return Article(title=clean_line(title), paragraphs=blocks)


class _Renderer:
    """Walks markdown-it's block tokens, collecting (kind, text) blocks."""

    def __init__(self) -> None:
        self.title: str | None = None
        self.blocks: list[tuple[str, str]] = []
        self._lists: list[str] = []  # open lists: "•" or the ordered marker ("." or ")")
        self._items: list[str] = []  # lines of the outermost open list
        self._row: list[str] | None = None  # cells of the table row being read
        self._rows: list[str] = []

    def render(self, tokens: list[Token]) -> None:
        heading: str | None = None
        for token in tokens:
            kind = token.type
            if kind == "heading_open":
                heading = token.tag
            elif kind == "heading_close":
                heading = None
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self._lists.append("•" if kind == "bullet_list_open" else token.markup)
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self._lists.pop()
                if not self._lists:
                    self._emit("paragraph", "\n".join(self._items))
                    self._items = []
            elif kind == "list_item_open":
                marker = self._lists[-1] if self._lists[-1] == "•" else token.info + token.markup
                self._items.append("  " * (len(self._lists) - 1) + marker)
            elif kind == "tr_open":
                self._row = []
            elif kind == "tr_close" and self._row is not None:
                self._rows.append(" · ".join(self._row))
                self._row = None
            elif kind == "table_close":
                self._emit("paragraph", "\n".join(self._rows))
                self._rows = []
            elif kind == "inline":
                line = _inline(token.children or [])
                if heading is not None:
                    self._heading(heading, line)
                elif self._row is not None:
                    self._row.append(line)
                else:
                    self._text(line)
            elif kind in ("fence", "code_block"):
                self._text("\n".join(x.rstrip() for x in token.content.split("\n") if x.strip()))
            elif kind == "html_block":
                self._text(_html_text(token.content))

    def _heading(self, tag: str, line: str) -> None:
        if tag == "h1" and self.title is None and not self._lists:
            self.title = line
        elif self._lists:
            self._text(line)
        else:
            self._emit("subheading", line)

    def _text(self, text: str) -> None:
        """A paragraph, or more of the list item being read."""
        if not text:
            return
        if self._items:
            self._items[-1] += " " + text
        else:
            self._emit("paragraph", text)

    def _emit(self, kind: str, text: str) -> None:
        """A block of cleaned lines (entities decoded by the parser may be controls), each
        with its indentation and its words single-spaced."""
        lines = [_single_spaced(line) for line in clean(text).split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            self.blocks.append((kind, text))


def _inline(tokens: list[Token]) -> str:
    """The text of an inline run: link text, code text, image descriptions; no markup."""
    parts: list[str] = []
    for token in tokens:
        kind = token.type
        if kind in ("text", "code_inline"):
            parts.append(token.content)
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "image":
            parts.append(_inline(token.children or []))
        elif kind == "html_inline" and _BREAK.match(token.content):
            parts.append(" ")
    return "\n".join(_single_spaced(line) for line in "".join(parts).split("\n"))


def _single_spaced(line: str) -> str:
    indent = len(line) - len(line.lstrip(" "))
    return " " * indent + " ".join(line.split()) if line.strip() else ""


def _html_text(html: str) -> str:
    """The text of an HTML block (tags dropped, entities decoded, scripts and styles left out).

    A scanner of its own, linear in the block's length: each step moves past what it looked
    at, and a tag, comment or quote left open takes the rest of the block. (``html.parser``
    took quadratic time on ``<a <a <a ...``, 55 s for 60 KB, and raised on ``<![<![``.)"""
    parts: list[str] = []
    at, size = 0, len(html)
    while at < size:
        lt = html.find("<", at)
        if lt < 0:
            parts.append(unescape(html[at:]))
            break
        parts.append(unescape(html[at:lt]))
        if html.startswith("<!--", lt):
            end = html.find("-->", lt + 4)
            at = size if end < 0 else end + 3
            parts.append(" ")
            continue
        tag = _TAG.match(html, lt)
        if tag is None and not html.startswith(("<!", "<?"), lt):
            parts.append("<")  # a lone "<" is text
            at = lt + 1
            continue
        at = _tag_end(html, tag.end() if tag else lt + 2)
        parts.append(" ")
        if tag and not tag[1] and _SILENT_NAME.fullmatch(tag[2]):  # skip to its end tag
            closer = _end_tag(tag[2]).search(html, at)
            at = size if closer is None else closer.start()
    return " ".join("".join(parts).split())


def _tag_end(html: str, at: int) -> int:
    """Just after the ``>`` that ends the tag whose attributes start at ``at`` (quoted values
    may hold a ``>``); the block's end if there is none."""
    while (found := _TAG_STOP.search(html, at)) is not None:
        if found[0] == ">":
            return found.end()
        close = html.find(found[0], found.end())  # a quoted value
        if close < 0:
            break
        at = close + 1
    return len(html)


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_TAG_STOP = re.compile("[>\"']")
_SILENT_NAME = re.compile("|".join(_SILENT), re.IGNORECASE | re.ASCII)


@cache
def _end_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}(?![A-Za-z0-9-])", re.IGNORECASE | re.ASCII)
