"""Find a span again in a changed text by its quote and context (as Hypothesis does)."""

from __future__ import annotations

from annotations.records import Span


def reanchor(span: Span, text: str) -> tuple[int, int] | None:
    """New [start, end) of ``span`` in ``text``, or None when it cannot be found for sure.

    The offsets win if the quote is still there; else the quote with its prefix and suffix;
    else the quote alone, if it occurs exactly once. Never a guess between several places.
    """
    quote, start, end = span.quote, span.start, span.end
    if not quote:
        return None
    if text[start:end] == quote:
        return start, end
    prefix, suffix = span.prefix or "", span.suffix or ""
    for before, after in (
        (prefix, suffix),
        (prefix[-12:], suffix[:12]),
        (prefix, ""),
        ("", suffix),
    ):
        if not before and not after:
            continue
        needle = before + quote + after
        found = text.find(needle)
        if found >= 0 and text.find(needle, found + 1) < 0:
            return found + len(before), found + len(before) + len(quote)
    found = text.find(quote)
    if found >= 0 and text.find(quote, found + 1) < 0:
        return found, found + len(quote)
    return None
