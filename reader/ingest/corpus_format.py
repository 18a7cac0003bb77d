"""The news corpus text format (see docs/design.md, "Article formats")."""

from __future__ import annotations

import re

from annotations.model import Article
from reader.ingest.dates import iso_date, parse_date, with_time
from reader.ingest.errors import IngestError
from reader.ingest.paragraphs import blocks, classify, is_subheading

DATE_LINE = re.compile(r"^\s*date\s+(\S+)\s*(.*)$")
# "20:205/11/2025, Çarşamba": time and date run together; minutes are always two digits.
_PUBLISHED = re.compile(r"^(\d{1,2}:\d{2})\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\b[,\s]*(.*)$")
_PUBLISHED_DATE_FIRST = re.compile(
    r"^(\d{1,2})[./](\d{1,2})[./](\d{4})[,\s-]+(\d{1,2}:\d{2})\b[,\s]*(.*)$"
)
_UPDATED = re.compile(
    r"^(?:G|U|Güncelleme|Updated)\s*:\s*(?:(\d{1,2}:\d{2})\s*)?(\d{1,2})[./](\d{1,2})[./](\d{4})"
)
KNOWN_AGENCIES = {"AA", "DHA", "İHA", "ANKA", "Reuters", "AFP", "AP", "Xinhua", "Sputnik"}


def looks_like(text: str) -> bool:
    first = text.lstrip("\n").split("\n", 1)[0]
    return bool(DATE_LINE.match(first))


def parse(text: str) -> Article:
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    match = DATE_LINE.match(lines[0]) if lines else None
    if not match:
        raise IngestError("line 1 is not 'date YYYY-MM-DD <source>'")
    date = parse_date(match[1])
    source = " ".join(match[2].split()) or None
    rest = lines[1:]
    while rest and not rest[0].strip():
        rest.pop(0)
    if not rest:
        raise IngestError("no title after the date line")
    title = " ".join(rest.pop(0).split())

    keywords = _take_keywords(rest)
    published, updated, agency = None, None, None
    while rest and not rest[0].strip():
        rest.pop(0)
    while rest:
        line = rest[0].strip()
        if not line:
            rest.pop(0)
            continue
        if published is None and (stamp := _published(line, date)):
            published = stamp
        elif updated is None and (m := _UPDATED.match(line)):
            updated = with_time(iso_date(int(m[4]), int(m[3]), int(m[2])), m[1])
        elif agency is None and _is_agency(line, after_stamp=bool(published or updated)):
            agency = line
        else:
            break
        rest.pop(0)

    paragraphs = blocks(rest)
    if not paragraphs:
        raise IngestError("no article text after the header lines")
    lede = paragraphs.pop(0)
    if date is None and published:
        date = published[:10]
    return Article(
        title=title,
        lede=lede,
        paragraphs=classify(paragraphs),
        source=source,
        date=date,
        published=published,
        updated=updated,
        agency=agency,
        keywords=keywords,
    )


def _take_keywords(lines: list[str]) -> list[str]:
    """Remove the trailing ``#keyword`` lines and return them in order."""
    keywords: list[str] = []
    while lines:
        line = lines[-1].strip()
        if not line:
            lines.pop()
        elif line.startswith("#") and len(line) > 1:
            keywords.insert(0, " ".join(line[1:].split()))
            lines.pop()
        else:
            break
    return keywords


def _published(line: str, date: str | None) -> str | None:
    if m := _PUBLISHED.match(line):
        hhmm, day, month, year = m[1], int(m[2]), int(m[3]), int(m[4])
    elif m := _PUBLISHED_DATE_FIRST.match(line):
        day, month, year, hhmm = int(m[1]), int(m[2]), int(m[3]), m[4]
    else:
        return None
    found = iso_date(year, month, day)
    swapped = iso_date(year, day, month)
    if date and found != date and swapped == date:
        found = swapped  # an English source writing month/day
    return with_time(found, hhmm)


def _is_agency(line: str, *, after_stamp: bool) -> bool:
    if line in KNOWN_AGENCIES:
        return True
    return after_stamp and len(line) <= 40 and len(line.split()) <= 5 and is_subheading(line)
