"""Split body text into paragraphs and subheadings, shared by every format."""

from __future__ import annotations

_FINAL_PUNCTUATION = tuple(".!?…:;\"'”’»)]")
SUBHEADING_MAX = 120


def blocks(lines: list[str]) -> list[str]:
    """Paragraphs separated by blank lines; the lines of one paragraph joined by spaces."""
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def is_subheading(text: str) -> bool:
    return len(text) <= SUBHEADING_MAX and not text.endswith(_FINAL_PUNCTUATION)


def classify(paragraphs: list[str]) -> list[tuple[str, str]]:
    """Mark a short line with no final punctuation between paragraphs as a subheading."""
    out = []
    for index, text in enumerate(paragraphs):
        between = 0 < index < len(paragraphs) - 1
        out.append(("subheading" if between and is_subheading(text) else "paragraph", text))
    return out
