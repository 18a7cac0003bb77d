"""Split body text into paragraphs and subheadings, shared by every format; and tell a title
from a body's first paragraph."""

from __future__ import annotations

import re

from annotations.textfold import lower
from reader.ingest.errors import IngestError

_FINAL_PUNCTUATION = tuple(".!?…:;\"'”’»)]")
SUBHEADING_MAX = 120
TITLE_MAX = 200  # characters, the … of a cut title included

_STOPS = ".!?…"
_CLOSERS = "\"'”’»)]"
# Linear on any input: a run of stops is matched from its start only, and never given back.
_SENTENCE_END = re.compile(rf"(?<![{_STOPS}])[{_STOPS}]++[{re.escape(_CLOSERS)}]*+(?=\s+\S)")
# Words that a full stop follows without ending the sentence (besides initials, ordinals
# such as "2. Dünya" and dotted abbreviations such as "T.C.").
_ABBREVIATIONS = {"dr", "prof", "doç", "yrd", "av", "sn", "st", "mr", "mrs", "ms", "vb", "vs"}


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


def paragraph_texts(lines: list[str]) -> list[str]:
    """Paragraphs separated by blank lines, or, in a text that has none between its lines, one
    per line (the common dump format)."""
    text = [line.strip() for line in lines]
    while text and not text[-1]:
        text.pop()
    while text and not text[0]:
        text.pop(0)
    return blocks(text) if "" in text else text


def is_subheading(text: str) -> bool:
    return len(text) <= SUBHEADING_MAX and not text.endswith(_FINAL_PUNCTUATION)


def classify(paragraphs: list[str]) -> list[tuple[str, str]]:
    """Mark a short line with no final punctuation between paragraphs as a subheading."""
    out = []
    for index, text in enumerate(paragraphs):
        between = 0 < index < len(paragraphs) - 1
        out.append(("subheading" if between and is_subheading(text) else "paragraph", text))
    return out


def first_sentence_end(text: str) -> int | None:
    """Where the first sentence of ``text`` ends, if another follows it."""
    for match in _SENTENCE_END.finditer(text):
        if match.group()[0] == "." and _abbreviation(text, match.start()):
            continue
        return match.end()
    return None


def _abbreviation(text: str, stop: int) -> bool:
    """Whether the full stop at ``stop`` follows an abbreviation, not a sentence's last word."""
    start = stop
    while start > 0 and not text[start - 1].isspace():
        start -= 1  # back over one word only: linear over all the stops of a text
    word = text[start:stop].lstrip("([{\"'“‘«")
    return len(word) <= 1 or word.isdigit() or "." in word or lower(word) in _ABBREVIATIONS


def is_headline(text: str) -> bool:
    """Whether a first line reads as a title: no longer than a headline, and not several
    sentences ending in a stop (a body's first paragraph)."""
    if len(text) > TITLE_MAX:
        return False
    ends_in_stop = text.rstrip(_CLOSERS).endswith(tuple(_STOPS))
    return not (ends_in_stop and first_sentence_end(text) is not None)


def title_from_body(text: str) -> str:
    """A title for a body that starts without one: its first sentence, cut at a word boundary
    to at most ``TITLE_MAX`` characters, the ``…`` included."""
    end = first_sentence_end(text)
    sentence = text[:end] if end is not None else text
    if len(sentence) <= TITLE_MAX:
        return sentence
    cut = sentence.rfind(" ", 0, TITLE_MAX)
    if cut <= 0:
        cut = TITLE_MAX - 1  # one word longer than a title
    return sentence[:cut].rstrip(" ,;:-–—") + "…"


def split_title(paragraphs: list[str]) -> tuple[str, list[str]]:
    """The title and the body of a text whose first paragraph may be its title (if it reads as
    one) or the start of its body (then the title is taken from it, and it stays)."""
    if not paragraphs:
        raise IngestError("no text")
    first = paragraphs[0]
    if is_headline(first):
        return first, paragraphs[1:]
    return title_from_body(first), paragraphs
