"""Feeds and article pages into the library (docs/feeds.md): ``reader feeds``, ``reader
fetch``, ``reader import URL`` and the app's "Fetch feeds" call these.

Hosts are fetched in parallel (up to :data:`PARALLEL` at a time), one request at a time per
host (reader/ingest/web/http.py). An item already imported is not fetched again until its
feed entry changes; what comes in is imported through reader/core/importing.py, so the library
decides what is new, present, or (where the library keeps versions) a new version.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotations.feeds import Feed, FeedError, feed_store
from annotations.library import Library
from annotations.model import Article
from annotations.records import now
from reader.core.importing import ImportReport, import_parsed
from reader.ingest import Parsed

if TYPE_CHECKING:
    from reader.ingest.web.feeds import FeedItem, ParsedFeed
    from reader.ingest.web.http import Fetched, Fetcher

PARALLEL = 16  # requests in flight at once (each to another host)
THREADS = 64  # feeds worked on at once: a thread waits for its host and for a free slot
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
Progress = Callable[[int, int], None]  # (feeds done, feeds in all)


class Refused(Exception):
    """Bad usage (exit 2): not a feed, an unknown feed name, a URL that is not http(s)."""


@dataclass
class FetchReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (URL, why)
    new_ids: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"new {self.new}, updated {self.updated}, unchanged {self.unchanged}, "
            f"failed {len(self.failed)}"
        )


@dataclass
class _Got:
    """One item's article, and whether it was known (its entry changed) before."""

    key: str
    link: str | None  # the item's canonical link
    fingerprint: str
    article: Article
    known: bool
    page_failed: bool


@dataclass
class _FeedOutcome:
    feed: Feed
    got: list[_Got] = field(default_factory=list)
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    status: str = ""
    items: int | None = None
    current: dict[str, str | None] | None = None  # feed id -> URL of every item: read whole
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None


# -- feeds add / list / remove ----------------------------------------------------------------
def _feed_of(fetched: Fetched) -> ParsedFeed:
    from reader.ingest.web.feeds import parse_feed

    return parse_feed(fetched.body, fetched.url, fetched.content_type)


def add_feed(
    library: Library, url: str, name: str | None = None, timeout: float = 20.0
) -> tuple[Feed, list[str]]:
    """Check ``url`` (a feed, or a page that links to one), add it; returns the feed and
    what to tell the user. Raises :class:`Refused` (not a feed) or :class:`FeedError`
    (the fetch failed, or the feed is there already)."""
    from reader.ingest.web.html import decode_html, page_info
    from reader.ingest.web.http import Fetcher, FetchError
    from reader.ingest.web.pages import is_html
    from reader.ingest.web.urls import is_web_url

    if not is_web_url(url):
        raise Refused(f"{url}: not an http or https URL")
    said: list[str] = []
    with Fetcher(timeout) as fetcher:
        try:
            fetched = fetcher.get(url, accept=FEED_ACCEPT)
            parsed = _feed_of(fetched)
            if not parsed.is_feed and is_html(fetched.content_type, fetched.body):
                text, _ = decode_html(fetched.body, fetched.content_type)
                links = [f for f in page_info(text, fetched.url).feeds if f[1]]
                if not links:
                    raise Refused(f"{url}: a web page that links to no RSS or Atom feed")
                url, kind, _ = links[0]
                others = f" (of {len(links)} it links to)" if len(links) > 1 else ""
                said.append(f"the page links to {kind} feed {url}: taking it{others}")
                fetched = fetcher.get(url, accept=FEED_ACCEPT)
                parsed = _feed_of(fetched)
        except FetchError as exc:
            raise FeedError(f"{url}: {exc}") from exc
    if not parsed.is_feed:
        raise Refused(f"{url}: not an RSS or Atom feed, nor a page that links to one")
    if parsed.problem and not parsed.items:
        raise Refused(f"{url}: {parsed.problem}")
    store = feed_store(library)
    feed = store.add(url, name or parsed.title or url, parsed.title)
    feed.items = len(parsed.items)  # as checked; fetched with the next `reader fetch`
    store.save_state([feed])
    title = parsed.title or "(no title)"
    said.append(
        f"added {feed.name!r}: {title}, {len(parsed.items)} items (they come in with "
        "the next `reader fetch`)"
    )
    if parsed.problem:
        said.append(f"warning: {url}: {parsed.problem}")
    return feed, said


def list_feeds(library: Library) -> list[Feed]:
    return feed_store(library).feeds()


def remove_feed(library: Library, ref: str) -> Feed:
    return feed_store(library).remove(ref)


# -- fetch ------------------------------------------------------------------------------------
def fetch_feeds(
    library: Library,
    refs: list[str] | None = None,
    timeout: float = 20.0,
    progress: Progress | None = None,
    parallel: int = PARALLEL,
) -> FetchReport:
    """Fetch the feeds named (by name or URL; all when none), then the page of every new or
    changed item, and import the articles. Raises :class:`Refused` for an unknown name."""
    from reader.ingest.web.http import Fetcher

    store = feed_store(library)
    report = FetchReport()
    with store.fetching():  # after another fetch of mine: its state is read below
        feeds = _select(store.feeds(), refs or [])
        if not feeds:
            return report
        known_urls = {u for f in store.feeds() for u in f.urls}
        done = 0
        outcomes: list[_FeedOutcome] = []
        with (
            Fetcher(timeout, parallel=parallel) as fetcher,
            ThreadPoolExecutor(min(THREADS, len(feeds))) as pool,
        ):
            futures = [pool.submit(_fetch_feed, fetcher, f, known_urls) for f in feeds]
            for future in as_completed(futures):  # the bar moves as each feed is done
                outcomes.append(future.result())
                done += 1
                if progress:
                    progress(done, len(feeds))
        _import(library, outcomes, report)
        store.save_state([o.feed for o in outcomes])
    return report


def _select(feeds: list[Feed], refs: list[str]) -> list[Feed]:
    if not refs:
        return feeds
    chosen: list[Feed] = []
    for ref in refs:
        match = [f for f in feeds if ref in (f.url, f.name)]
        if not match:
            raise Refused(f"no feed called or at {ref!r} (reader feeds list)")
        chosen.extend(f for f in match if f not in chosen)
    return chosen


def _fetch_feed(fetcher: Fetcher, feed: Feed, known_urls: set[str]) -> _FeedOutcome:
    """Never raises: every fault is a line of the outcome."""
    out = _FeedOutcome(feed)
    try:
        _read_feed(fetcher, out, known_urls)
    except Exception as exc:  # a bug must not stop the other feeds
        out.failed.append((feed.url, f"unexpected error: {type(exc).__name__}: {exc}"))
        out.status, out.items, out.got = "failed", None, []
    return out


def _read_feed(fetcher: Fetcher, out: _FeedOutcome, known_urls: set[str]) -> None:
    from reader.ingest.web.http import FetchError

    feed = out.feed
    try:
        fetched = fetcher.get(
            feed.url, etag=feed.etag, last_modified=feed.last_modified, accept=FEED_ACCEPT
        )
    except FetchError as exc:
        out.failed.append((feed.url, str(exc)))
        out.status = f"failed: {exc}"
        return
    if fetched.not_modified:
        out.status = "not modified"
        out.unchanged = feed.items
        return
    out.etag = fetched.headers.get("etag")
    out.last_modified = fetched.headers.get("last-modified")
    parsed = _feed_of(fetched)
    if not parsed.is_feed:
        out.failed.append((feed.url, parsed.problem or "not a feed"))
        out.status = "failed: not a feed"
        return
    out.items, out.title = len(parsed.items), parsed.title
    if parsed.problem:
        out.failed.append((feed.url, parsed.problem))
        out.etag = out.last_modified = None  # fetch it whole next time
    source = parsed.title or feed.title or feed.name
    if parsed.problem is None:
        out.current = {item.key: item.link for item in parsed.items}
    for item in parsed.items:
        seen = feed.seen.get(item.key)
        if seen == item.fingerprint or (seen is None and item.link in known_urls):
            out.unchanged += 1
            continue
        try:
            out.got.extend(_item_article(fetcher, item, source, seen is not None, out.failed))
        except Exception as exc:  # one item's bug never stops the feed
            out.failed.append((item.link or item.key, f"unexpected error: {exc}"))
    out.status = parsed.problem or "ok"


def _item_article(
    fetcher: Fetcher, item: FeedItem, source: str, known: bool, failed: list[tuple[str, str]]
) -> list[_Got]:
    article: Article | None = None
    page_failed = False
    if item.fetch_url:
        try:
            article = fetch_page(fetcher, item.fetch_url, feed_title=source)
        except PageError as exc:
            failed.append((item.fetch_url, str(exc)))
            page_failed = True
    if article is None:
        article = item.article(source)
        if article is None:
            return []
    if not article.published and item.published:
        article.published, article.date = item.published, item.published[:10]
    return [_Got(item.key, item.link, item.fingerprint, article, known, page_failed)]


class PageError(Exception):
    """A page that could not be fetched or is not HTML."""


def fetch_page(fetcher: Fetcher, url: str, feed_title: str | None = None) -> Article | None:
    """The article on the page at ``url``; None when the page yields no text; raises
    :class:`PageError` when it cannot be fetched or is not a web page."""
    from reader.ingest.web.html import decode_html, page_info
    from reader.ingest.web.http import FetchError
    from reader.ingest.web.pages import extract, is_html

    try:
        fetched = fetcher.get(url, accept=PAGE_ACCEPT)
    except FetchError as exc:
        raise PageError(str(exc)) from exc
    if not is_html(fetched.content_type, fetched.body):
        kind = fetched.content_type.split(";")[0].strip() or "unknown content"
        raise PageError(f"not an HTML page ({kind})")
    text, encoding = decode_html(fetched.body, fetched.content_type)
    info = page_info(text, fetched.url)
    article = extract(text, fetched.url, feed_title=feed_title, info=info)
    if article is not None:
        article.origin, article.encoding, article.text_from = url, encoding, "page"
    return article


def _import(library: Library, outcomes: list[_FeedOutcome], report: FetchReport) -> None:
    articles: list[Article] = []
    for out in outcomes:
        report.failed.extend(out.failed)
        report.unchanged += out.unchanged
        for got in out.got:
            text = got.article
            stored = library.find_entry(text.id, text.content_sha256) is not None  # any version
            if stored or any(a.id == text.id for a in articles):
                report.unchanged += 1
            elif got.known:
                report.updated += 1
                articles.append(got.article)
            else:
                report.new += 1
                report.new_ids.append(got.article.id)
                articles.append(got.article)
    if articles:
        import_parsed(library, [Parsed(a.url or a.title, [a]) for a in articles])
    stamp = now()
    for out in outcomes:
        feed = out.feed
        feed.last_fetch, feed.last_status = stamp, out.status
        if out.items is not None:
            feed.items = out.items
            feed.etag, feed.last_modified = out.etag, out.last_modified
        if out.current is not None:  # forget the items the feed no longer carries
            feed.seen = {k: v for k, v in feed.seen.items() if k in out.current}
            links = set(out.current.values())
            feed.urls = [u for u in feed.urls if u in links]
        if out.title and not feed.title:
            feed.title = out.title
        for got in out.got:
            if not got.page_failed:  # a failed page is tried again next time
                feed.seen[got.key] = got.fingerprint
                if got.link and got.link not in feed.urls:
                    feed.urls.append(got.link)


# -- reader import URL ------------------------------------------------------------------------
def import_urls(library: Library, urls: list[str], timeout: float = 20.0) -> ImportReport:
    """Single article pages, fetched (hosts in parallel) and imported; failures named."""
    from reader.ingest.web.http import Fetcher
    from reader.ingest.web.urls import is_web_url

    def one(url: str) -> Parsed:
        if not is_web_url(url):
            return Parsed(url, problems=["only http and https URLs are fetched"])
        try:
            article = fetch_page(fetcher, url)
        except PageError as exc:
            return Parsed(url, problems=[str(exc)])
        except Exception as exc:
            return Parsed(url, problems=[f"unexpected error: {type(exc).__name__}: {exc}"])
        if article is None:
            return Parsed(url, problems=["no article text on the page"])
        return Parsed(url, [article])

    if not urls:
        return ImportReport()
    with Fetcher(timeout) as fetcher, ThreadPoolExecutor(min(THREADS, len(urls))) as pool:
        parsed = list(pool.map(one, urls))
    return import_parsed(library, parsed)
