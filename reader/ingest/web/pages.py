"""An article page to an :class:`Article`: the main text (trafilatura), its blocks, dates,
source, author and canonical URL. Menus, share buttons, comments, cookie notices and
"related" lists are left to trafilatura's boilerplate removal. Untrusted text: every string is
cleaned as imported article text is (annotations/sanitize.py)."""

from __future__ import annotations

import re
from typing import Any

from annotations.model import Article
from annotations.sanitize import clean_line
from reader.ingest import Parsed
from reader.ingest.web.html import PageInfo, decode_html, page_info
from reader.ingest.web.urls import canonical_url, is_web_url

MIN_TEXT = 80  # characters of body below which a page "yields no text"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_html(content_type: str, data: bytes) -> bool:
    kind = content_type.split(";")[0].strip()
    if kind:
        return kind in _HTML_TYPES
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def iso_minutes(value: str | None) -> str | None:
    """``YYYY-MM-DDTHH:MM`` (or ``YYYY-MM-DD``) from an ISO 8601 stamp; None if unreadable.
    The time is the page's local time as written."""
    if not value:
        return None
    found = _ISO.search(value)
    if not found:
        return None
    y, m, d, hh, mm = found.groups()
    return f"{y}-{m}-{d}T{hh}:{mm}" if hh else f"{y}-{m}-{d}"


def extract(
    html: str,
    url: str,
    *,
    feed_title: str | None = None,
    info: PageInfo | None = None,
) -> Article | None:
    """The article of a page, or None when it yields no text."""
    from trafilatura import bare_extraction

    info = info or page_info(html, url)
    try:
        doc: Any = bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=True,  # menus, cookie notices and teasers out, rather than in
            deduplicate=False,  # its cache is process-wide: a story fetched again lost text
        )
    except Exception:  # trafilatura on a hostile page: no text rather than a traceback
        doc = None
    if doc is None or getattr(doc, "body", None) is None:
        return None
    title = clean_line(info.title or getattr(doc, "title", None) or "")
    blocks = _blocks(doc.body, title)
    if sum(len(t) for _, t in blocks) < MIN_TEXT:
        return None
    if not title:
        title, blocks = blocks[0][1], blocks[1:]
    lede = clean_line(info.description or getattr(doc, "description", None) or "")
    if lede and blocks and (blocks[0][1].startswith(lede[:60]) or lede == title):
        lede = ""  # the description repeats the first paragraph: not a lede of its own
    published = iso_minutes(info.published) or iso_minutes(getattr(doc, "date", None))
    updated = iso_minutes(info.modified)
    source = clean_line(info.site_name or getattr(doc, "sitename", None) or feed_title or "")
    agency = clean_line(info.author or getattr(doc, "author", None) or "")
    return Article(
        title=title,
        lede=lede,
        paragraphs=blocks,
        source=source or None,
        date=published[:10] if published else None,
        published=published,
        updated=updated if updated != published else None,
        agency=agency or None,
        url=page_url(info, url),
    )


def page_url(info: PageInfo, fallback: str) -> str | None:
    """The canonical URL: ``<link rel=canonical>``, else ``og:url``, else where it was
    fetched (tracking parameters dropped); None for a saved page that names none."""
    for candidate in (info.canonical, info.og_url, fallback):
        if candidate and is_web_url(candidate):
            return canonical_url(candidate)
    return None


def _text(element: Any) -> str:
    return clean_line("".join(element.itertext()))


def _blocks(body: Any, title: str) -> list[tuple[str, str]]:
    blocks: list[tuple[str, str]] = []
    for element in body:
        tag = element.tag
        if tag == "head":
            text = _text(element)
            if text and text != title:
                blocks.append(("subheading", text))
        elif tag in ("p", "quote"):
            text = _text(element)
            if text:
                blocks.append(("paragraph", text))
        elif tag == "list":
            blocks.extend(("paragraph", t) for t in map(_text, element.iter("item")) if t)
    return blocks


def parse_saved_page(name: str, data: bytes) -> Parsed:
    """A saved page (``reader import page.html``): the same extraction, its canonical URL
    or ``og:url`` as its URL."""
    result = Parsed(name)
    text, encoding = decode_html(data)
    info = page_info(text, "")
    article = extract(text, "", info=info)
    if article is None:
        result.problems.append("no article text in the page")
        return result
    article.origin, article.encoding, article.text_from = name, encoding, "page"
    result.articles.append(article)
    return result
