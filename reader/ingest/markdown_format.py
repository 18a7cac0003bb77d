"""Markdown: ``# Title``, ``##`` headings as subheadings, paragraphs between blank lines."""

from __future__ import annotations

import re

from annotations.model import Article
from reader.ingest.errors import IngestError
from reader.ingest.paragraphs import blocks

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def parse(text: str) -> Article:
    title: str | None = None
    paragraphs: list[tuple[str, str]] = []
    pending: list[str] = []

    def flush() -> None:
        paragraphs.extend(("paragraph", p) for p in blocks(pending))
        pending.clear()

    for line in text.split("\n"):
        heading = _HEADING.match(line)
        if heading and heading[2]:
            flush()
            if title is None and len(heading[1]) == 1:
                title = heading[2]
            else:
                paragraphs.append(("subheading", heading[2]))
        else:
            pending.append(line)
    flush()
    if title is None:
        if not paragraphs:
            raise IngestError("the file is empty")
        title = paragraphs.pop(0)[1]
    return Article(title=" ".join(title.split()), paragraphs=paragraphs)
