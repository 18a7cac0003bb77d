"""Plain text: the first line is the title, unless it reads as the body's first paragraph (see
:func:`~reader.ingest.paragraphs.split_title`); then paragraphs, between blank lines or one
per line."""

from __future__ import annotations

from annotations.model import Article
from reader.ingest.errors import IngestError
from reader.ingest.paragraphs import classify, paragraph_texts, split_title


def parse(text: str) -> Article:
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise IngestError("the file is empty")
    first = " ".join(lines.pop(0).split())
    title, paragraphs = split_title([first, *paragraph_texts(lines)])
    return Article(title=title, paragraphs=classify(paragraphs))
