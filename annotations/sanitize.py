"""Make untrusted text safe and canonical: no escapes or controls, NFC, LF line ends."""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences: CSI, OSC/DCS/APC/PM/SOS strings, and two-character escapes.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[\]P^_X][^\x07\x1b\n]*(?:\x07|\x1b\\)?"  # OSC, DCS, PM, APC, SOS (one line)
    r"|\x1b[ -/]*[0-~]?"  # other escapes (and a lone ESC)
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
# C0 except TAB and LF, DEL, C1, bidi embeddings/overrides/isolates and marks, BOM.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters; keep newlines, turn tabs to spaces."""
    if not text.isprintable():
        text = _ESCAPES.sub("", text)
        text = _CONTROLS.sub("", text)
    return text.replace("\t", " ")


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean(text: str) -> str:
    """Canonical form of raw decoded text: LF, safe characters, NFC."""
    text = strip_controls(normalize_newlines(text))
    return unicodedata.normalize("NFC", text)


def clean_line(text: str) -> str:
    """A single-line field (title, source, tag): cleaned, whitespace collapsed."""
    return " ".join(clean(text).split())


MAX_MARKS = 4  # combining marks (or zero-width joiners) shown after one character
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060")


def cap_marks(text: str, limit: int = MAX_MARKS) -> str:
    """For display only: at most ``limit`` combining marks or zero-width joiners in a row
    (after one character). Terminals stack thousands of them in one cell differently from
    how widths are counted, and the borders after them move. The stored text keeps them."""
    if text.isascii():
        return text
    out: list[str] = []
    run = 0
    for ch in text:
        if ch in _ZERO_WIDTH or unicodedata.category(ch) in ("Mn", "Me"):
            run += 1
            if run > limit:
                continue
        else:
            run = 0
        out.append(ch)
    return "".join(out) if len(out) != len(text) else text
