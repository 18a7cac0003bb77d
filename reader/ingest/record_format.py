"""JSON and JSONL records with title/body/date/source/url fields."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from annotations.model import Article
from annotations.sanitize import clean, clean_line
from reader.ingest.dates import parse_date
from reader.ingest.errors import IngestError, internal_error
from reader.ingest.paragraphs import classify, paragraph_texts, split_title

_BODY_KEYS = ("body", "text", "content", "article")
_LEDE_KEYS = ("lede", "summary", "description", "spot")
_KEYWORD_KEYS = ("keywords", "tags")


def parse_json(text: str) -> Iterator[tuple[str, Article | IngestError]]:
    """Records of a JSON file: an object, a list of objects, or ``{"articles": [...]}``."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise IngestError(f"invalid JSON: {exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records):
        yield f"record {index + 1}", _safe_record(record)


def parse_jsonl(text: str) -> Iterator[tuple[str, Article | IngestError]]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield f"line {number}", IngestError(f"invalid JSON: {exc}")
            continue
        yield f"line {number}", _safe_record(record)


def _safe_record(record: Any) -> Article | IngestError:
    """A record's article or its problem: one bad record never stops the others."""
    try:
        return from_record(record)
    except IngestError as exc:
        return exc
    except Exception as exc:  # a bug: reported, never the others' loss
        return IngestError(internal_error(exc))


def _text(record: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return "\n\n".join(value)
    return ""


def from_record(record: Any) -> Article:
    if not isinstance(record, dict):
        raise IngestError("a record is not a JSON object")
    title = clean_line(_text(record, ("title", "headline")))
    body = clean(_text(record, _BODY_KEYS))
    if not body.strip():  # only controls and spaces (an ESC before each space, say)
        body = ""
    if not title and not body:
        raise IngestError("a record has neither title nor body")
    lede = clean_line(_text(record, _LEDE_KEYS))
    if not body and not lede:
        raise IngestError("a record has a title but no body (an empty article)")
    paragraphs = paragraph_texts(body.split("\n"))
    if not title:
        title, paragraphs = split_title(paragraphs)
    raw_keywords: list[Any]  # whatever the record holds; strings are kept below
    raw_keywords = next((record[k] for k in _KEYWORD_KEYS if isinstance(record.get(k), list)), [])
    keywords = [clean_line(k) for k in raw_keywords if isinstance(k, str) and k.strip()]

    def field(*keys: str) -> str | None:
        value = _text(record, keys)
        return clean_line(value) or None

    return Article(
        title=title,
        lede=lede,
        paragraphs=classify(paragraphs),
        source=field("source", "publisher", "site"),
        date=parse_date(record.get("date") or record.get("published")),
        published=field("published", "published_at"),
        updated=field("updated", "updated_at"),
        agency=field("agency", "author", "byline"),
        url=field("url", "link"),
        keywords=keywords,
    )
