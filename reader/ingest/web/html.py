"""What a page says about itself (charset, canonical URL, feeds, Open Graph and article
meta tags), its decoding as browsers do it, and HTML fragments (a feed's summary) to text
blocks. The standard library's tolerant HTML parser: no network, no scripts."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

from reader.ingest.decode import decode
from reader.ingest.errors import IngestError

FEED_TYPES = {
    "application/rss+xml": "RSS",
    "application/atom+xml": "Atom",
    "application/rdf+xml": "RSS",
    "application/feed+json": "",  # JSON Feed: not read
}
# labels browsers treat as windows-1254 / windows-1252 (WHATWG Encoding)
_ALIASES = {
    "iso-8859-9": "cp1254",
    "iso8859-9": "cp1254",
    "latin5": "cp1254",
    "l5": "cp1254",
    "windows-1254": "cp1254",
    "x-cp1254": "cp1254",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


def charset_label(label: str | None) -> str | None:
    """A codec for an encoding label, as browsers map it; None when unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'")
    name = _ALIASES.get(name.casefold(), name)  # labels are ASCII
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def header_charset(content_type: str) -> str | None:
    found = _CHARSET.search(content_type or "")
    return charset_label(found.group(1)) if found else None


def decode_html(data: bytes, content_type: str = "") -> tuple[str, str]:
    """(text, encoding): a BOM, else the HTTP header's charset, else ``<meta charset>`` (or
    http-equiv) in the first 4 KB, else strict UTF-8, else cp1254 (docs/design.md)."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(name, errors="replace").lstrip("\ufeff"), name
    declared = header_charset(content_type)
    if declared is None:
        found = _META_CHARSET.search(data[:4096])
        declared = charset_label(found.group(1).decode("ascii")) if found else None
    if declared is not None and not declared.startswith("utf-16"):
        return data.decode(declared, errors="replace"), declared
    try:
        return decode(data)
    except IngestError:
        return data.decode("utf-8", errors="replace"), "utf-8"


@dataclass
class PageInfo:
    canonical: str | None = None
    og_url: str | None = None
    site_name: str | None = None
    title: str | None = None
    description: str | None = None
    published: str | None = None
    modified: str | None = None
    author: str | None = None
    feeds: list[tuple[str, str, str]] = field(default_factory=list)  # (url, kind, title)


class _MetaParser(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.info = PageInfo()
        self._in_title = False
        self._title: list[str] = []
        self._meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "base" and a.get("href"):
            self.base = urljoin(self.base, a["href"])
        elif tag == "link":
            rel = a.get("rel", "").split()
            href = a.get("href", "").strip()
            if not href:
                return
            if "canonical" in rel and self.info.canonical is None:
                self.info.canonical = urljoin(self.base, href)
            kind = FEED_TYPES.get(a.get("type", "").strip().split(";")[0])
            if "alternate" in rel and kind:
                self.info.feeds.append((urljoin(self.base, href), kind, a.get("title", "")))
        elif tag == "meta":
            key = a.get("property") or a.get("name") or a.get("itemprop") or ""
            if key and "content" in a:
                self._meta.setdefault(key.strip(), a["content"].strip())
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)

    def result(self) -> PageInfo:
        m, info = self._meta, self.info
        url = m.get("og:url")
        info.og_url = urljoin(self.base, url) if url else None
        info.site_name = m.get("og:site_name") or m.get("application-name") or None
        info.title = m.get("og:title") or " ".join("".join(self._title).split()) or None
        info.description = m.get("og:description") or m.get("description") or None
        info.published = (
            m.get("article:published_time") or m.get("datePublished") or m.get("pubdate") or None
        )
        info.modified = m.get("article:modified_time") or m.get("dateModified") or None
        info.author = m.get("author") or m.get("article:author") or None
        if info.author and "://" in info.author:
            info.author = None  # article:author is often a profile URL
        return info


def page_info(text: str, base: str) -> PageInfo:
    parser = _MetaParser(base)
    try:
        parser.feed(text[:2_000_000])
        parser.close()
    except Exception:
        pass
    return parser.result()


_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}
_SKIP = {"script", "style", "noscript", "template", "iframe", "svg"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self._parts: list[str] = []
        self._kind = "paragraph"
        self._skip = 0

    def _flush(self) -> None:
        text = " ".join("".join(self._parts).split())
        if text:
            self.blocks.append((self._kind, text))
        self._parts, self._kind = [], "paragraph"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCKS:
            self._flush()
            if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                self._kind = "subheading"

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._parts.append(data)


def html_blocks(fragment: str) -> list[tuple[str, str]]:
    """An HTML fragment (a feed's content or summary) as (kind, text) blocks."""
    if "<" not in fragment:
        paragraphs = re.split(r"\n\s*\n", fragment)
        return [("paragraph", " ".join(p.split())) for p in paragraphs if p.strip()]
    parser = _TextParser()
    try:
        parser.feed(fragment)
        parser.close()
    except Exception:
        pass
    parser._flush()
    return parser.blocks
