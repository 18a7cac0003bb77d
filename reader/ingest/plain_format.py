"""Plain text: the first line is the title, then paragraphs."""

from __future__ import annotations

from annotations.model import Article
from reader.ingest.errors import IngestError
from reader.ingest.paragraphs import blocks, classify


def parse(text: str) -> Article:
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise IngestError("the file is empty")
    title = " ".join(lines.pop(0).split())
    return Article(title=title, paragraphs=classify(blocks(lines)))
