"""URLs: which are allowed, and the canonical form that tells two links to one story apart."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SCHEMES = ("http", "https")
# query parameters that only track who clicked where
TRACKING = ("utm_", "fbclid", "gclid", "dclid", "mc_cid", "mc_eid", "yclid", "igshid", "_ga")


def is_web_url(text: str) -> bool:
    """An http or https URL with a host (what may be fetched)."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return False
    return parts.scheme in SCHEMES and bool(parts.hostname)


def looks_like_url(text: str) -> bool:
    """Written as a URL (``scheme://...``), allowed or not: ``reader import`` takes it as one."""
    head, sep, _ = text.partition("://")
    return bool(sep) and head.isascii() and head.isalpha()


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname or ''}:{parts.port or ''}"


def canonical_url(url: str) -> str:
    """The URL without its fragment and tracking parameters, scheme and host in lower case
    (they are ASCII), the default port dropped."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    port = parts.port
    netloc = (
        host
        if port is None or (parts.scheme, port) in (("http", 80), ("https", 443))
        else (f"{host}:{port}")
    )
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.startswith(TRACKING[0]) and k not in TRACKING[1:]
    ]
    path = parts.path or "/"
    return urlunsplit((parts.scheme, netloc, path, urlencode(query), ""))
