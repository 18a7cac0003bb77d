"""Dates as the sources write them, to ISO strings; ``None`` when unreadable (never today)."""

from __future__ import annotations

import datetime as dt
import re

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2}))?")
_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})")


def iso_date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(value: object) -> str | None:
    """``2025-11-05``, ``2025-11-05T20:20:00Z``, ``5/11/2025`` or ``5.11.2025`` -> ISO date."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if match := _ISO.match(value):
        return iso_date(int(match[1]), int(match[2]), int(match[3]))
    if match := _DMY.match(value):
        return iso_date(int(match[3]), int(match[2]), int(match[1]))
    return None


def with_time(date: str | None, hhmm: str | None) -> str | None:
    if date is None or not hhmm:
        return date
    hours, minutes = (int(x) for x in hhmm.split(":"))
    if hours > 23 or minutes > 59:
        return date
    return f"{date}T{hours:02d}:{minutes:02d}"
