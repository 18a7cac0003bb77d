"""Feeds and pages from the web (docs/feeds.md), served from a local server on 127.0.0.1:
the tests never touch the internet."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from annotations.library import Library
from reader.cli import run

from .webserver import Route, Server, atom, gzip_bomb, page, rss

HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}
TEXT = [
    "Ankara'da bugün yapılan toplantıda yeni ekonomi paketinin ayrıntıları açıklandı ve "
    "bakanlar gazetecilerin sorularını tek tek yanıtladı.",
    "Paket, küçük işletmelere düşük faizli kredi ve vergi indirimi sağlıyor; uygulamanın ocak "
    "ayında başlaması bekleniyor.",
    "Muhalefet partileri ise paketin enflasyonla mücadelede yetersiz kalacağını savundu ve yeni "
    "önlemler istedi.",
]
BOILERPLATE = ("Anasayfa", "çerez", "Paylaş", "Tweetle", "okunanlar", "Yorum", "kınıyorum", "©")


@pytest.fixture
def server():
    with Server() as s:
        yield s


def cli(capsys, lib: Path, *args: str) -> tuple[int, str, str]:
    code = run(["--library", str(lib), *args])
    out, err = capsys.readouterr()
    return code, out, err


def show(capsys, lib: Path, ref: str) -> dict:
    code, out, _ = cli(capsys, lib, "show", "--json", ref)
    assert code == 0
    return json.loads(out)


def listed(capsys, lib: Path) -> list[dict]:
    return json.loads(cli(capsys, lib, "list", "--json")[1])


def test_feeds_add_finds_the_feed_a_site_page_links_to_and_refuses_other_pages(
    server, tmp_path, capsys
):
    lib = tmp_path / "lib"
    server.add("/feed.xml", rss([{"title": "Bir", "link": server.url("/a")}]), headers=RSS)
    server.add(
        "/",
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        "</head><body>site</body></html>",
        headers=HTML,
    )
    server.add("/plain", "<html><body>no feed here</body></html>", headers=HTML)
    server.add("/data", b"\x89PNG\r\n\x1a\nxxxx", headers={"Content-Type": "image/png"})

    code, _, err = cli(capsys, lib, "feeds", "add", server.url("/"), "--name", "ajans")
    assert code == 0, err
    assert f"RSS feed {server.url('/feed.xml')}: taking it" in err
    assert "Haber Ajansı, 1 items" in err
    for bad in ("/plain", "/data"):
        code, _, err = cli(capsys, lib, "feeds", "add", server.url(bad))
        assert code == 2, err
        assert "reader: error:" in err and server.url(bad) in err
    code, _, err = cli(capsys, lib, "feeds", "add", "file:///etc/passwd")
    assert code == 2 and "not an http or https URL" in err
    code, _, err = cli(capsys, lib, "fetch", "nosuchfeed")
    assert code == 2 and "no feed called or at 'nosuchfeed'" in err
    code, out, _ = cli(capsys, lib, "feeds", "list", "--json")
    feeds = json.loads(out)
    assert [(f["name"], f["url"], f["last_fetch"], f["items"]) for f in feeds] == [
        ("ajans", server.url("/feed.xml"), None, 1)
    ]
    code, _, err = cli(capsys, lib, "feeds", "remove", "ajans")
    assert code == 0 and "removed 'ajans'" in err
    assert json.loads(cli(capsys, lib, "feeds", "list", "--json")[1]) == []


def _two_item_feed(server: Server) -> str:
    server.add("/a1", page("Ekonomi paketi açıklandı", TEXT), headers=HTML)
    server.add(
        "/a2",
        page("Şişli'de yağmur hayatı durdurdu", TEXT[::-1], charset="windows-1254").encode(
            "cp1254"
        ),
        headers={"Content-Type": "text/html"},  # the charset only in <meta>
    )
    items = [
        {"title": "Ekonomi paketi açıklandı", "link": server.url("/a1?utm_source=rss&id=7")},
        {"title": "Şişli'de yağmur hayatı durdurdu", "link": server.url("/a2")},
    ]
    return server.add("/feed.xml", rss(items), headers=RSS, etag='"v1"')


def test_fetch_imports_the_article_text_with_dates_source_and_url(server, tmp_path, capsys):
    lib = tmp_path / "lib"
    feed = _two_item_feed(server)
    assert cli(capsys, lib, "feeds", "add", feed)[0] == 0
    code, _, err = cli(capsys, lib, "fetch", "--timeout", "5")
    assert code == 0, err
    assert err.strip().endswith("new 2, updated 0, unchanged 0, failed 0")
    by_title = {a["title"]: a for a in listed(capsys, lib)}
    first = show(capsys, lib, by_title["Ekonomi paketi açıklandı"]["id"])
    assert [p[1] for p in first["paragraphs"]] == TEXT
    assert not any(word in first["text"] for word in BOILERPLATE)
    assert first["url"] == server.url("/a1?id=7")  # tracking parameters dropped
    assert (first["source"], first["agency"], first["text_from"]) == ("Haber Sitesi", "AA", "page")
    assert (first["date"], first["published"]) == ("2026-12-01", "2026-12-01T12:30")
    second = show(capsys, lib, by_title["Şişli'de yağmur hayatı durdurdu"]["id"])
    assert second["encoding"] == "cp1254" and "küçük işletmelere" in second["text"]
    headers = server.requests("/feed.xml")[0]
    assert headers["User-Agent"].startswith("haber-okur/")
    assert "gzip" in headers["Accept-Encoding"]


def test_a_second_fetch_sends_conditional_requests_and_imports_nothing(server, tmp_path, capsys):
    lib = tmp_path / "lib"
    feed = _two_item_feed(server)
    cli(capsys, lib, "feeds", "add", feed)
    cli(capsys, lib, "fetch")
    pages = len(server.requests("/a1"))
    code, _, err = cli(capsys, lib, "fetch")
    assert code == 0
    assert "new 0, updated 0, unchanged 2, failed 0" in err
    assert server.requests("/feed.xml")[-1].get("If-None-Match") == '"v1"'
    assert len(server.requests("/a1")) == pages  # a 304: no page fetched again
    feeds = json.loads(cli(capsys, lib, "feeds", "list", "--json")[1])
    assert (feeds[0]["last_status"], feeds[0]["items"]) == ("not modified", 2)
    # without an ETag the feed is parsed, but its known items are not fetched again
    server.routes["/feed.xml"].etag = None
    code, _, err = cli(capsys, lib, "fetch")
    assert "new 0, updated 0, unchanged 2, failed 0" in err
    assert len(server.requests("/a1")) == pages
    assert len(listed(capsys, lib)) == 2
    # an item the feed no longer carries is forgotten (the state stays the feed's size)
    from annotations.feeds import feed_store

    server.add("/feed.xml", rss([{"title": "Şişli'de", "link": server.url("/a2")}]), headers=RSS)
    assert "unchanged 1, failed 0" in cli(capsys, lib, "fetch")[2]
    (state,) = feed_store(Library(lib)).feeds()
    assert (list(state.seen), state.urls) == ([server.url("/a2")], [server.url("/a2")])


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_changed_story_is_fetched_again_and_counted_updated(server, tmp_path, capsys, kind):
    lib = tmp_path / "lib"
    make, headers = (
        (rss, RSS) if kind == "rss" else (atom, {"Content-Type": "application/atom+xml"})
    )
    server.add("/a1", page("Ekonomi paketi açıklandı", TEXT), headers=HTML)
    item = {"title": "Ekonomi paketi açıklandı", "link": server.url("/a1")}
    server.add("/feed.xml", make([item]), headers=headers)
    cli(capsys, lib, "feeds", "add", server.url("/feed.xml"))
    assert "new 1," in cli(capsys, lib, "fetch")[2]
    changed = [*TEXT, "Son dakika: bakanlık paketin kapsamını genişlettiğini duyurdu."]
    server.add("/a1", page("Ekonomi paketi açıklandı", changed), headers=HTML)
    server.add("/feed.xml", make([item]), headers=headers)  # the same entry: not fetched again
    assert "new 0, updated 0, unchanged 1, failed 0" in cli(capsys, lib, "fetch")[2]
    if kind == "rss":
        item["description"] = "Güncellendi: kapsam genişletildi."
    else:
        item["updated"] = "2026-12-01T11:00:00Z"
    server.add("/feed.xml", make([item]), headers=headers)
    code, _, err = cli(capsys, lib, "fetch")
    assert code == 0
    assert "new 0, updated 1, unchanged 0, failed 0" in err
    entries = listed(capsys, lib)
    texts = [show(capsys, lib, e["id"])["text"] for e in entries]
    assert any("kapsamını genişlettiğini" in t for t in texts)
    assert len(entries) == 1 and "kapsamını genişlettiğini" in texts[0]  # a version (issue 13)
    # the entry changes again, the text does not: nothing new (the later version is known)
    item["title"] = "Ekonomi paketi açıklandı (güncellendi)"
    server.add("/feed.xml", make([item]), headers=headers)
    item["updated"] = "2026-12-01T12:00:00Z"
    server.add("/feed.xml", make([item]), headers=headers)
    assert "new 0, updated 0, unchanged 1, failed 0" in cli(capsys, lib, "fetch")[2]


def test_each_fault_is_one_line_of_the_summary_and_the_rest_is_imported(server, tmp_path, capsys):
    lib = tmp_path / "lib"
    server.add("/good", page("Sağlam haber", TEXT), headers=HTML)
    server.add("/e500", "boom", status=500)
    server.add("/loop", status=302, headers={"Location": "/loop2"})
    server.add("/loop2", status=302, headers={"Location": "/loop"})
    server.add("/tofile", status=302, headers={"Location": "file:///etc/passwd"})
    server.add("/big", b"<html>" + b"a" * (10 * 1024 * 1024 + 10), headers=HTML)
    server.add("/bomb", gzip_bomb(64 * 1024 * 1024), headers={**HTML, "Content-Encoding": "gzip"})
    server.add("/slow", page("Yavaş", TEXT).encode(), dribble=0.05)
    server.add("/pdf", b"%PDF-1.4 ...", headers={"Content-Type": "application/pdf"})
    paths = ["/good", "/missing", "/e500", "/loop", "/tofile", "/big", "/bomb", "/slow", "/pdf"]
    items = [
        {"title": f"Haber {p.strip('/')}", "link": server.url(p), "description": f"Özet {p}."}
        for p in paths
    ]
    server.add("/feed.xml", rss(items), headers=RSS)
    server.add("/good2", page("Yarım feeddeki haber", TEXT[::-1]), headers=HTML)
    broken = rss([{"title": "Yarım feeddeki haber", "link": server.url("/good2")}])
    server.add("/broken.xml", broken.replace("</channel></rss>", "<item><title>kesik"), headers=RSS)
    with Server() as dead:
        gone = dead.url("/feed.xml")
    for name, url in (("ajans", server.url("/feed.xml")), ("bozuk", server.url("/broken.xml"))):
        assert cli(capsys, lib, "feeds", "add", url, "--name", name)[0] == 0
    from annotations.feeds import feed_store  # a dead host cannot be added: store it directly

    feed_store(Library(lib)).add(gone, "ölü", None)
    code, _, err = cli(capsys, lib, "fetch", "--timeout", "1")
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[-1] == "new 10, updated 0, unchanged 0, failed 10"
    assert all(": " in line for line in lines[:-1]), err
    reason_of = {url: r for url, r in (line.split(": ", 1) for line in lines[:-1])}
    assert reason_of[server.url("/missing")] == "HTTP 404"
    assert reason_of[server.url("/e500")] == "HTTP 500"
    assert reason_of[server.url("/loop")] == "more than 5 redirects"
    assert reason_of[server.url("/tofile")] == "redirected to a file: URL (only http and https)"
    assert reason_of[server.url("/big")] == "too large: over 10 MB"
    assert reason_of[server.url("/bomb")] == "too large: over 10 MB"
    assert reason_of[server.url("/slow")] == "timed out after 1 s"
    assert reason_of[server.url("/pdf")] == "not an HTML page (application/pdf)"
    assert reason_of[server.url("/broken.xml")].startswith("not well-formed")
    assert reason_of[gone] == "connection refused"
    assert len(reason_of) == 10  # one line each, naming its URL and why
    texts = {e["title"]: show(capsys, lib, e["id"]) for e in listed(capsys, lib)}
    assert texts["Sağlam haber"]["text_from"] == "page"
    assert texts["Haber missing"]["text_from"] == "feed"  # the feed's summary in its place
    assert texts["Haber missing"]["text"] == "Haber missing\n\nÖzet /missing."
    assert texts["Yarım feeddeki haber"]["text_from"] == "page"  # what the broken feed gave
    assert len(texts) == 10


def test_import_urls_and_saved_pages(server, tmp_path, capsys):
    lib = tmp_path / "lib"
    server.add("/a1", page("Ekonomi paketi açıklandı", TEXT), headers=HTML)
    saved = tmp_path / "kayit.html"
    canonical = '<link rel="canonical" href="https://haber.example/ekonomi/paket?utm_medium=x">'
    saved.write_text(page("Kaydedilmiş haber", TEXT[:2], extra_head=canonical), "utf-8")
    code, _, err = cli(
        capsys, lib, "import", server.url("/a1"), str(saved), server.url("/nope"), "file:///x"
    )
    assert code == 1
    assert f"{server.url('/nope')}: HTTP 404" in err
    assert "file:///x: only http and https URLs are fetched" in err
    by_title = {a["title"]: a["id"] for a in listed(capsys, lib)}
    web = show(capsys, lib, by_title["Ekonomi paketi açıklandı"])
    assert (web["url"], web["text_from"]) == (server.url("/a1"), "page")
    kept = show(capsys, lib, by_title["Kaydedilmiş haber"])
    assert kept["url"] == "https://haber.example/ekonomi/paket"
    assert [p[1] for p in kept["paragraphs"]] == TEXT[:2]


def test_web_text_is_inert(server, tmp_path, capsys):
    lib = tmp_path / "lib"
    hostile = "Başlık \x1b]52;c;cGF5bG9hZA==\x07[link=http://x]tık[/link] \x1b[2J"
    server.add("/h", page(hostile, [t + "\u202e\x9b" for t in TEXT]), headers=HTML)
    assert cli(capsys, lib, "import", server.url("/h"))[0] == 0
    article = show(capsys, lib, listed(capsys, lib)[0]["id"])
    assert "\x1b" not in article["text"] and "\u202e" not in article["text"]
    assert article["title"] == "Başlık [link=http://x]tık[/link]"


def test_retry_after_is_honoured_and_hosts_are_asked_one_request_at_a_time(
    server, tmp_path, capsys
):
    lib = tmp_path / "lib"
    server.delay = 0.05
    for i in range(4):
        server.add(f"/p{i}", page(f"Haber {i}", [f"{i}. " + t for t in TEXT]), headers=HTML)
    items = [{"title": f"Haber {i}", "link": server.url(f"/p{i}")} for i in range(4)]
    ok = Route(rss(items).encode(), headers=RSS)
    server.routes["/feed.xml"] = Route(status=429, headers={"Retry-After": "1"}, then=ok)
    from annotations.feeds import feed_store

    feed_store(Library(lib)).add(server.url("/feed.xml"), "ajans", None)
    code, _, err = cli(capsys, lib, "fetch")
    assert code == 0, err
    assert "new 4" in err
    assert len(server.requests("/feed.xml")) == 2
    assert server.most_active == 1


def test_two_fetches_at_once_import_nothing_twice(server, tmp_path):
    from reader.core.fetching import fetch_feeds

    lib = tmp_path / "lib"
    for i in range(6):
        server.add(f"/p{i}", page(f"Haber {i}", [f"{i}. " + t for t in TEXT]), headers=HTML)
    items = [{"title": f"Haber {i}", "link": server.url(f"/p{i}")} for i in range(6)]
    server.add("/feed.xml", rss(items), headers=RSS, etag='"x"')
    from annotations.feeds import feed_store

    feed_store(Library(lib)).add(server.url("/feed.xml"), "ajans", None)
    reports = []

    def fetch() -> None:
        reports.append(fetch_feeds(Library(lib), timeout=5))

    threads = [threading.Thread(target=fetch) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.new for r in reports) == [0, 6]
    assert len(Library(lib).articles()) == 6
    assert len(server.requests("/p0")) == 1


def test_reader_help_does_not_import_the_web_stack():
    import subprocess
    import sys

    from .conftest import ROOT

    probe = (
        "import sys\nfrom reader.cli import build_parser\nbuild_parser()\n"
        "print(' '.join(m for m in ('httpx', 'feedparser', 'trafilatura', 'lxml') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and out.stdout.strip() == "", out


async def test_palette_fetch_feeds_brings_new_articles_in_unread(server, tmp_path):
    from reader.tui.feeds import FetchProgress
    from reader.tui.widgets.article_list import ArticleList

    from .app_support import make_app

    app = make_app(tmp_path / "lib")
    server.delay = 0.2  # long enough to see the progress bar
    feed = _two_item_feed(server)
    from annotations.feeds import feed_store

    feed_store(app.library).add(feed, "ajans", None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = len(app.screen.query_one(ArticleList).rows)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Fetch feeds")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert app.screen.query(FetchProgress)  # the bar shows while it runs
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        listing = app.screen.query_one(ArticleList)
        titles = {r["title"]: r["id"] for r in listing.rows}
        assert len(listing.rows) == before + 2
        new = titles["Ekonomi paketi açıklandı"]
        assert new not in listing.read
        assert not app.screen.query(FetchProgress)
        shown = [n.message for n in app._notifications]
        assert any("Fetched feeds: 2 new articles" in str(m) for m in shown), shown


def test_fetch_every_minutes_setting():
    from reader.tui.feeds import every_minutes

    assert every_minutes({}) == (None, None)
    assert every_minutes({"fetch_every_minutes": "off"}) == (None, None)
    assert every_minutes({"fetch_every_minutes": 30}) == (30.0, None)
    minutes, problem = every_minutes({"fetch_every_minutes": "yes"})
    assert minutes is None and "fetch_every_minutes" in problem


def test_gzip_bodies_and_legacy_charset_labels_decode(server):
    import gzip

    from reader.ingest.web.html import decode_html
    from reader.ingest.web.http import Fetcher

    body = page("Şişli", TEXT).encode("utf-8")
    server.add("/z", gzip.compress(body), headers={**HTML, "Content-Encoding": "gzip"})
    with Fetcher(timeout=5) as fetcher:
        assert fetcher.get(server.url("/z")).body == body
    turkish = "Işık, ağaç, şişe, İğdır".encode("cp1254")
    for label in ("ISO-8859-9", "latin5", "windows-1254"):
        assert decode_html(turkish, f"text/html; charset={label}") == (
            "Işık, ağaç, şişe, İğdır",
            "cp1254",
        )
    meta = b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-9">' + turkish
    assert decode_html(meta)[0].endswith("Işık, ağaç, şişe, İğdır")
