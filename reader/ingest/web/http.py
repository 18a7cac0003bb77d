"""Polite, bounded HTTP GETs (httpx): http/https only, also after redirects; at most 5
redirects; bodies over 10 MB (inflated) refused while they stream; a deadline per request;
conditional requests; one request at a time per host; Retry-After honoured on 429 and 503.

Failures are :class:`FetchError` with a reason for the user, never a traceback.
"""

from __future__ import annotations

import threading
import time
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from reader import __version__
from reader.ingest.web.urls import SCHEMES, host_of, is_web_url

if TYPE_CHECKING:
    import httpx

MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 20.0
MAX_RETRY_AFTER = 60.0  # seconds we wait at most for a Retry-After
USER_AGENT = f"haber-okur/{__version__} (terminal news reader; feeds and article pages)"


class FetchError(Exception):
    """A URL that could not be fetched; ``str()`` says why."""


@dataclass
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 (not modified: no body)
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """One HTTP client for a run; thread-safe; at most one request at a time per host, and
    at most ``parallel`` in flight in all."""

    def __init__(
        self, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = MAX_BYTES, parallel: int = 16
    ) -> None:
        import httpx

        self.timeout = timeout
        self.max_bytes = max_bytes
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            trust_env=False,  # no proxies or .netrc from the environment
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
        )
        self._hosts: dict[str, threading.Lock] = {}
        self._hosts_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(parallel)  # requests in flight, all hosts

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _host_lock(self, url: str) -> threading.Lock:
        with self._hosts_lock:
            return self._hosts.setdefault(host_of(url), threading.Lock())

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = "*/*",
    ) -> Fetched:
        """GET ``url``, following redirects; raise :class:`FetchError` with the reason."""
        import httpx

        if not is_web_url(url):
            raise FetchError("only http and https URLs are fetched")
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        retried = False
        for _ in range(MAX_REDIRECTS + 1):
            try:
                with self._host_lock(url), self._slots:
                    result = self._once(url, headers)
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out after {self.timeout:g} s") from exc
            except httpx.HTTPError as exc:
                raise FetchError(_network_reason(exc)) from exc
            if isinstance(result, str):  # a redirect
                target = urljoin(url, result)
                if not is_web_url(target):
                    scheme = target.partition(":")[0]
                    raise FetchError(f"redirected to a {scheme}: URL (only http and https)")
                url = target
                continue
            if result.status in (429, 503) and not retried:
                wait = _retry_after(result.headers.get("retry-after"))
                if wait is not None and wait <= min(MAX_RETRY_AFTER, self.timeout):
                    time.sleep(wait)
                    retried = True
                    continue
            if result.status >= 400:
                raise FetchError(f"HTTP {result.status}")
            return result
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def _once(self, url: str, headers: dict[str, str]) -> Fetched | str:
        deadline = time.monotonic() + self.timeout
        with self._client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status in (301, 302, 303, 307, 308):
                location: str = response.headers.get("location") or ""
                if not location:
                    raise FetchError(f"HTTP {status} without a Location")
                return location
            found = {k.lower(): v for k, v in response.headers.items()}
            if status == 304 or status >= 400 or status in (429, 503):
                return Fetched(str(response.url), status, b"", found)
            body = self._read(response, found.get("content-encoding", ""), deadline)
            return Fetched(str(response.url), status, body, found)

    def _read(self, response: httpx.Response, encoding: str, deadline: float) -> bytes:
        """The body, inflated, stopped as soon as it passes the limit or the deadline."""
        length = response.headers.get("content-length", "")
        if length.isdigit() and not encoding and int(length) > self.max_bytes:
            raise FetchError(_too_large(self.max_bytes))
        encoding = encoding.strip().lower()
        inflater = None
        if encoding in ("gzip", "x-gzip", "deflate"):
            inflater = zlib.decompressobj(47 if encoding != "deflate" else zlib.MAX_WBITS)
        elif encoding not in ("", "identity"):
            raise FetchError(f"unsupported content encoding {encoding!r}")
        chunks: list[bytes] = []
        size = 0
        try:
            for raw in response.iter_raw():  # as it arrives: the deadline is checked often
                if time.monotonic() > deadline:
                    raise FetchError(f"timed out after {self.timeout:g} s")
                data = raw
                while data:
                    if inflater is None:
                        piece, data = data, b""
                    else:  # never more than the room left, however much it would inflate
                        piece = inflater.decompress(data, self.max_bytes - size + 1)
                        data = inflater.unconsumed_tail
                    size += len(piece)
                    if size > self.max_bytes:
                        raise FetchError(_too_large(self.max_bytes))
                    chunks.append(piece)
                    if inflater is not None and not piece:
                        break
        except zlib.error as exc:
            raise FetchError(f"broken {encoding} data") from exc
        return b"".join(chunks)


def _too_large(limit: int) -> str:
    return f"too large: over {limit // (1024 * 1024)} MB"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _network_reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    for marker, reason in (
        ("Name or service not known", "unknown host"),
        ("nodename nor servname", "unknown host"),
        ("Connection refused", "connection refused"),
        ("certificate", "TLS certificate problem"),
    ):
        if marker in text:
            return reason
    return text.splitlines()[0][:200]


__all__ = ["DEFAULT_TIMEOUT", "SCHEMES", "FetchError", "Fetched", "Fetcher"]
