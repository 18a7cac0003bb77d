"""A local web server for the feed tests and the benchmark: routes of canned responses on
127.0.0.1, with ETag/Last-Modified, delays, and a log of the requests it answered."""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    delay: float = 0.0
    dribble: float = 0.0  # seconds between 1-byte writes (a slow host)
    then: Route | None = None  # served from the second request on


class _Quiet(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up (a body cut off at its limit): not the test's output


class Server:
    def __init__(self, delay: float = 0.0, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self.delay = delay
        self.active = 0
        self.most_active = 0  # requests answered at once, at most
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are separate writes

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.active += 1
                    server.most_active = max(server.most_active, server.active)
                try:
                    self._get()
                finally:
                    with server._lock:
                        server.active -= 1

            def _get(self) -> None:
                server.log.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                time.sleep(server.delay + (route.delay if route else 0))
                if route is not None and route.then is not None:
                    server.routes[self.path.split("?")[0]] = route.then
                if route is None:
                    self._send(404, {"Content-Type": "text/plain"}, b"not found")
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self._send(304, {"ETag": route.etag}, b"")
                    return
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                if route.dribble:
                    self.send_response(route.status)
                    self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    try:
                        for i in range(len(route.body)):
                            self.wfile.write(route.body[i : i + 1])
                            self.wfile.flush()
                            time.sleep(route.dribble)
                    except OSError:
                        pass
                    return
                self._send(route.status, headers, route.body)

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    if "Content-Length" not in headers:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

        self.host = host
        self.httpd = _Quiet((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def add(self, path: str, body: bytes | str = b"", **kw: object) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, **kw)  # type: ignore[arg-type]
        return self.url(path)

    def requests(self, path: str) -> list[dict[str, str]]:
        return [h for p, h in self.log if p == path]

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def gzip_bomb(size: int) -> bytes:
    return gzip.compress(b"\0" * size, 9)


def rss(items: list[dict[str, str]], title: str = "Haber Ajansı") -> str:
    parts = [
        f"<item><title>{escape(i['title'])}</title><link>{escape(i['link'])}</link>"
        f"<guid>{escape(i.get('guid', i['link']))}</guid>"
        f"<pubDate>{i.get('date', 'Tue, 01 Dec 2026 09:30:00 +0000')}</pubDate>"
        f"<description>{escape(i.get('description', 'Özet.'))}</description></item>"
        for i in items
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.invalid/</link>{''.join(parts)}"
        "</channel></rss>"
    )


def page(
    title: str,
    paragraphs: list[str],
    *,
    site: str = "Haber Sitesi",
    extra_head: str = "",
    charset: str = "utf-8",
    published: str = "2026-12-01T12:30:00+03:00",
) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html><head><meta charset="{charset}"><title>{title} - {site}</title>'
        f'<meta property="og:site_name" content="{site}">'
        f'<meta property="og:title" content="{title}">'
        f'<meta property="article:published_time" content="{published}">'
        f'<meta name="author" content="AA">{extra_head}</head><body>'
        '<nav><ul><li><a href="/">Anasayfa</a></li><li><a href="/spor">Spor</a></li>'
        '<li><a href="/ekonomi">Ekonomi</a></li></ul></nav>'
        '<div class="cookie-banner">Bu site çerez kullanır. Kabul et</div>'
        f"<article><h1>{title}</h1>{body}"
        '<div class="share"><a href="#">Paylaş</a> <a href="#">Tweetle</a></div></article>'
        '<aside class="related"><h3>En çok okunanlar</h3><ul><li><a href="/x">Başka haber'
        "</a></li></ul></aside>"
        '<section id="comments" class="comments"><h3>Yorumlar</h3><p>Yorum: çok kötü bir '
        "yazı olmuş, yazarı kınıyorum hemen!</p></section>"
        "<footer>© Haber Sitesi</footer></body></html>"
    )


def atom(entries: list[dict[str, str]], title: str = "Haber Ajansı") -> str:
    parts = [
        f'<entry><title>{escape(e["title"])}</title><link href="{escape(e["link"])}"/>'
        f"<id>{escape(e.get('guid', e['link']))}</id>"
        f"<published>{e.get('published', '2026-12-01T09:30:00Z')}</published>"
        f"<updated>{e.get('updated', '2026-12-01T09:30:00Z')}</updated>"
        f"<summary>{escape(e.get('description', 'Özet.'))}</summary></entry>"
        for e in entries
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>urn:x</id><updated>2026-12-01T09:30:00Z</updated>"
        f"{''.join(parts)}</feed>"
    )
