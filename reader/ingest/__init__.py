"""Ingestion: files in any supported format to :class:`~annotations.model.Article` records.

Pure functions of bytes; the only I/O is reading the files named.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotations.model import Article
from annotations.sanitize import clean
from reader.ingest import corpus_format, markdown_format, plain_format, record_format
from reader.ingest.decode import decode
from reader.ingest.errors import IngestError, internal_error

MAX_FILE_BYTES = 32 * 1024 * 1024
MARKDOWN_SUFFIXES = {".md", ".markdown"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}  # saved web pages: the article is extracted

__all__ = ["IngestError", "Parsed", "iter_files", "parse_bytes", "parse_path"]


@dataclass
class Parsed:
    """What one file gave: its articles and, per bad record, a reason."""

    path: str
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_bytes(name: str, data: bytes) -> Parsed:
    """Parse the bytes of a file called ``name`` (its suffix picks the format). Whatever goes
    wrong is this file's problem: the files after it are still read."""
    try:
        return _parse_bytes(name, data)
    except Exception as exc:  # a bug (IndexError, RecursionError, ...): reported, not raised
        return Parsed(name, problems=[internal_error(exc)])


def _parse_bytes(name: str, data: bytes) -> Parsed:
    suffix = Path(name).suffix.lower()
    if suffix in HTML_SUFFIXES:
        from reader.ingest.web.pages import parse_saved_page  # the web stack, lazily

        return parse_saved_page(name, data)
    result = Parsed(name)
    try:
        text, encoding = decode(data)
    except IngestError as exc:
        result.problems.append(str(exc))
        return result
    try:
        if suffix == ".json":
            items = list(record_format.parse_json(text.lstrip("\ufeff")))
        elif suffix in JSONL_SUFFIXES:
            items = list(record_format.parse_jsonl(text))
        else:
            items = [("", _parse_text(clean(text), suffix))]
    except IngestError as exc:
        result.problems.append(str(exc))
        return result
    for where, item in items:
        if isinstance(item, Article):
            item.origin, item.encoding = name, encoding
            result.articles.append(item)
        else:
            result.problems.append(f"{where}: {item}" if where else str(item))
    if not result.articles and not result.problems:
        result.problems.append("no article in the file")
    return result


def _parse_text(text: str, suffix: str) -> Article:
    if not text.strip():
        raise IngestError("the file has no text")
    if suffix in MARKDOWN_SUFFIXES:
        return markdown_format.parse(text)
    if corpus_format.looks_like(text):
        return corpus_format.parse(text)
    return plain_format.parse(text)


def parse_path(path: Path) -> Parsed:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            return Parsed(str(path), problems=[f"too large: {size:,} bytes (limit {limit} MB)"])
        data = path.read_bytes()
    except OSError as exc:
        return Parsed(str(path), problems=[f"cannot read: {exc.strerror or exc}"])
    return parse_bytes(str(path), data)


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and files under folders named (recursively, hidden ones skipped)."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield path
