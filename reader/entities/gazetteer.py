"""Gazetteers shipped in the wheel, loaded on first use and keyed by a Turkish-aware fold."""

from __future__ import annotations

from functools import cache
from importlib import resources

from annotations.textfold import fold

FILES = {
    "countries.txt": "LOC",
    "places.txt": "LOC",
    "organisations.txt": "ORG",
    "people.txt": "PERSON",
}


def _lines(name: str) -> list[str]:
    text = (resources.files(__package__) / "data" / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def key(phrase: str) -> str:
    return " ".join(fold(phrase.replace("’", "'")).split())


@cache
def names() -> dict[str, str]:
    """Folded phrase -> label. Later files do not override earlier ones."""
    table: dict[str, str] = {}
    for name, label in FILES.items():
        for line in _lines(name):
            table.setdefault(key(line), label)
    return table


@cache
def longest_phrase() -> int:
    return max(len(k.split()) for k in names())


@cache
def first_names() -> frozenset[str]:
    return frozenset(key(line) for line in _lines("first_names.txt"))


@cache
def surnames() -> frozenset[str]:
    """Last names of the well-known people (multi-word entries only)."""
    return frozenset(
        key(line.split()[-1]) for line in _lines("people.txt") if len(line.split()) > 1
    )


def lookup(phrase: str) -> str | None:
    return names().get(key(phrase))


@cache
def display_names() -> dict[str, str]:
    """Folded phrase -> the phrase as the gazetteer writes it (first file wins, as in names)."""
    table: dict[str, str] = {}
    for name in FILES:
        for line in _lines(name):
            table.setdefault(key(line), line)
    return table
