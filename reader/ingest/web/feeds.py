"""Feeds (RSS 0.9x, 1.0, 2.0, Atom 0.3, 1.0) through feedparser, from bytes already fetched:
feedparser never touches the network here."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

from annotations.model import Article
from annotations.sanitize import clean_line
from reader.ingest.web.html import html_blocks
from reader.ingest.web.urls import canonical_url, is_web_url


@dataclass
class FeedItem:
    key: str  # the feed's id for it (guid / atom:id), else its canonical link
    link: str | None  # canonical (tracking parameters dropped): the article's identity
    fetch_url: str | None  # the link as the feed gives it: what is fetched
    title: str
    summary: str  # HTML or text, as the feed gives it
    content: str  # the fullest content the feed carries (HTML), or ""
    published: str | None  # YYYY-MM-DDTHH:MM (UTC)
    updated: str | None
    author: str | None
    fingerprint: str  # changes when the entry changes (Atom updated; RSS date, title, text)

    def article(self, source: str | None) -> Article | None:
        """The feed's own text for the item (its content, else its summary)."""
        blocks = html_blocks(self.content or self.summary)
        title = self.title or (blocks[0][1] if blocks else "")
        if not title:
            return None
        if blocks and blocks[0][1] == title:
            blocks = blocks[1:]
        date = self.published or self.updated
        return Article(
            title=title,
            paragraphs=[("paragraph", text) for _, text in blocks],
            source=source,
            date=date[:10] if date else None,
            published=self.published,
            updated=self.updated if self.updated != self.published else None,
            agency=self.author,
            url=self.link,
            text_from="feed",
        )


@dataclass
class ParsedFeed:
    title: str | None
    link: str | None
    items: list[FeedItem] = field(default_factory=list)
    problem: str | None = None  # not well-formed (what could be read is in items)
    is_feed: bool = True


def _stamp(parsed: Any) -> str | None:
    if not parsed:
        return None
    try:
        return time.strftime("%Y-%m-%dT%H:%M", parsed)
    except (TypeError, ValueError):
        return None


def parse_feed(data: bytes, url: str, content_type: str = "") -> ParsedFeed:
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    result: Any = feedparser.parse(data, response_headers=headers, sanitize_html=True)
    feed = result.get("feed", {})
    version = result.get("version", "")
    problem = None
    if result.get("bozo"):
        exc = result.get("bozo_exception")
        name = type(exc).__name__
        # a declared encoding feedparser overrode, or a content type it did not expect, is
        # not damage; anything from the XML parser is
        if name not in ("CharacterEncodingOverride", "NonXMLContentType"):
            problem = f"not well-formed: {clean_line(str(exc))[:160] or name}"
    entries = result.get("entries", [])
    if not version and not entries:
        return ParsedFeed(None, None, problem=problem or "not a feed", is_feed=False)
    title = clean_line(feed.get("title", "")) or None
    link = feed.get("link")
    items = [item for item in (_item(e) for e in entries) if item is not None]
    return ParsedFeed(title, link if link and is_web_url(link) else None, items, problem)


def _get(entry: Any, key: str) -> Any:
    """A field as the feed has it (feedparser's ``get`` maps a missing ``updated`` to
    ``published``, with a warning)."""
    return dict.get(entry, key)


def _item(entry: Any) -> FeedItem | None:
    raw = entry.get("link")
    raw = raw if raw and is_web_url(raw) else None
    link = canonical_url(raw) if raw else None
    key = entry.get("id") or link
    if not key:
        return None
    title = clean_line(entry.get("title", ""))
    summary = entry.get("summary", "") or ""
    contents = entry.get("content") or []
    content = max((c.get("value", "") for c in contents), key=len, default="")
    published = _stamp(_get(entry, "published_parsed"))
    updated = _stamp(_get(entry, "updated_parsed"))
    if _get(entry, "updated"):  # Atom: updated says the entry changed
        basis = [_get(entry, "updated")]
    else:  # RSS: its date, title and description
        basis = [_get(entry, "published") or "", title, summary, content]
    fingerprint = hashlib.sha256("\x00".join(basis).encode("utf-8")).hexdigest()[:16]
    author = clean_line(entry.get("author", "")) or None
    return FeedItem(
        key=str(key),
        link=link,
        fetch_url=raw,
        title=title,
        summary=summary,
        content=content,
        published=published,
        updated=updated,
        author=author,
        fingerprint=fingerprint,
    )
