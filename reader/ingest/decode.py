"""Bytes to text: BOMs, strict UTF-8, then cp1254 (Turkish) with a sanity check."""

from __future__ import annotations

import codecs

from reader.ingest.errors import IngestError

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or docx/xlsx)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"RIFF": "a RIFF media file",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Letters cp1254 has that cp1250/latin-1 misreadings produce instead of Turkish ones.
_TURKISH = set("çğıöşüÇĞİÖŞÜ")


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raise :class:`IngestError` for binary or unknown data."""
    if not data.strip():
        raise IngestError("the file is empty")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise IngestError(f"not text: looks like {what}")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise IngestError(f"broken {encoding} text at byte {exc.start}") from exc
    if b"\x00" in data[:8192]:
        raise IngestError("not text: binary data (NUL bytes, no UTF-16 byte-order mark)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    try:
        text = data.decode("cp1254")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"not UTF-8 (bad byte at {first_bad}) and not cp1254/ISO-8859-9 text"
        ) from exc
    if not _looks_like_text(text):
        raise IngestError(f"not UTF-8 (bad byte at {first_bad}) and not readable as cp1254")
    return text, "cp1254"


def _looks_like_text(text: str) -> bool:
    """Most characters are letters, digits, punctuation or spaces; high bytes are Turkish."""
    sample = text[:20000]
    odd = sum(1 for ch in sample if not (ch.isprintable() or ch in "\r\n\t"))
    if odd > len(sample) * 0.01:
        return False
    high = [ch for ch in sample if ord(ch) > 127]
    if not high:
        return True
    plausible = sum(1 for ch in high if ch in _TURKISH or ch in "’‘“”–—…«»âîûÂÎÛéèà€")
    return plausible >= len(high) * 0.5
