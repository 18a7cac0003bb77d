"""The corpus at a glance: counts over a library's articles and everyone's records.

Headless and cheap (one pass over the metadata and the records). What costs more comes in as
input: entity mention totals (recognised and cached by ``reader.core.entity_counts``) and gold
counts per tag and label (the gold layer). ``as_json`` is the ``reader stats --json``
contract (docs/design.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from annotations.library import Library
from annotations.records import DoneMark, EntityCorrection, Note, Record, Span, Tag
from annotations.sanitize import clean_line
from annotations.textfold import fold

MAX_GAP_WEEKS = 156  # weeks between the first and the last dated article filled with zeros
TOP_ENTITIES = 20
R = TypeVar("R", bound=Record)


@dataclass(frozen=True, slots=True)
class Tally:
    """A named count: a source, a week (``2025-W46``), a day (``2025-11-12``)."""

    name: str
    count: int


@dataclass(frozen=True, slots=True)
class Usage:
    """One tag or label: annotators' records, articles carrying it, gold records."""

    name: str
    records: int
    articles: int
    gold: int = 0


@dataclass(frozen=True, slots=True)
class Progress:
    """One annotator: articles marked done, the rest of the library, done marks per day (UTC)."""

    name: str
    done: int
    remaining: int
    per_day: tuple[Tally, ...]


@dataclass(frozen=True, slots=True)
class Series:
    """Articles carrying a tag, per week; ``counts`` lines up with ``CorpusStats.weeks``."""

    name: str
    counts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class EntityTotals:
    """Entity counts as the recogniser's cache gives them: the articles counted so far, and
    per (surface, label) the mentions and the articles mentioning it."""

    counted: frozenset[str] = frozenset()
    totals: Mapping[tuple[str, str], tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EntityTally:
    surface: str
    label: str
    mentions: int
    articles: int


@dataclass(frozen=True, slots=True)
class CorpusStats:
    articles: int
    sources: tuple[Tally, ...]  # most articles first; articles without a source are ""
    weeks: tuple[Tally, ...]  # ISO weeks in order, gaps filled; undated articles apart
    undated: int
    tags_per_week: tuple[Series, ...]  # most used tags first
    tags: tuple[Usage, ...]  # most records first
    labels: tuple[Usage, ...]
    annotators: tuple[Progress, ...]  # by name
    entities: tuple[EntityTally, ...]  # most mentions first
    entities_counted: int  # articles whose entities are counted (of ``articles``)

    @property
    def entities_partial(self) -> bool:
        return self.entities_counted < self.articles

    def as_json(self) -> dict[str, Any]:
        """The ``reader stats --json`` document."""

        def usage(items: tuple[Usage, ...]) -> dict[str, dict[str, int]]:
            return {
                u.name: {"records": u.records, "articles": u.articles, "gold": u.gold}
                for u in items
            }

        return {
            "articles": self.articles,
            "tags": usage(self.tags),
            "labels": usage(self.labels),
            "annotators": {
                p.name: {"done": p.done, "remaining": p.remaining} for p in self.annotators
            },
            "sources": {t.name: t.count for t in self.sources},
            "weeks": {t.name: t.count for t in self.weeks},
            "undated": self.undated,
            "tags_per_week": {
                s.name: {w.name: n for w, n in zip(self.weeks, s.counts, strict=True) if n}
                for s in self.tags_per_week
            },
            "done_per_day": {p.name: {d.name: d.count for d in p.per_day} for p in self.annotators},
            "entities": {
                "counted": self.entities_counted,
                "of": self.articles,
                "top": [
                    {
                        "text": e.surface,
                        "label": e.label,
                        "mentions": e.mentions,
                        "articles": e.articles,
                    }
                    for e in self.entities
                ],
            },
        }


def iso_week(date: object) -> str | None:
    """``2025-W46`` for an article's date (``YYYY-MM-DD``, maybe with a time), else None."""
    if not isinstance(date, str):
        return None
    try:
        year, week, _ = dt.date.fromisoformat(date[:10]).isocalendar()
    except ValueError:
        return None
    return f"{year}-W{week:02d}"


def corpus_stats(
    library: Library,
    *,
    entities: EntityTotals | None = None,
    gold_tags: Mapping[str, int] | None = None,
    gold_labels: Mapping[str, int] | None = None,
    top_entities: int = TOP_ENTITIES,
) -> CorpusStats:
    """Everything the stats screen and ``reader stats`` show. ``entities``: what the entity
    cache has counted so far (none given: no article counted); ``gold_tags`` and
    ``gold_labels`` are gold record counts by name (none until the gold layer gives them)."""
    index = library.article_index()
    entities = entities or EntityTotals()
    week_of = {article_id: iso_week(doc.get("date")) for article_id, doc in index.items()}
    weeks = _weeks(Counter(w for w in week_of.values() if w is not None))
    week_position = {t.name: i for i, t in enumerate(weeks)}
    tag_records, tag_articles = _by_name(library.records(Tag), lambda r: r.tag)
    per_week: dict[str, list[int]] = {}
    for tag, articles in tag_articles.items():
        counts = [0] * len(weeks)
        for article_id in articles:
            week = week_of.get(article_id)
            if week is not None:
                counts[week_position[week]] += 1
        per_week[tag] = counts
    tag_usage = _usage(tag_records, tag_articles, gold_tags or {})
    return CorpusStats(
        articles=len(index),
        sources=_ranked(Counter(_line(doc.get("source")) for doc in index.values())),
        weeks=weeks,
        undated=sum(1 for w in week_of.values() if w is None),
        tags_per_week=tuple(
            Series(u.name, tuple(per_week[u.name])) for u in tag_usage if u.name in per_week
        ),
        tags=tag_usage,
        labels=_usage(*_by_name(library.records(Span), lambda r: r.label), gold_labels or {}),
        annotators=_progress(library, index.keys()),
        entities=_top_entities(entities.totals, top_entities),
        entities_counted=len(entities.counted & index.keys()),
    )


def _line(value: object) -> str:
    return _clean(value) if isinstance(value, str) else ""


@lru_cache(maxsize=16384)
def _clean(value: str) -> str:
    return clean_line(value)  # names repeat: tags, labels, sources, annotators


def _ranked(counts: Mapping[str, int]) -> tuple[Tally, ...]:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], fold(kv[0])))
    return tuple(Tally(name, n) for name, n in items)


def _weeks(counts: Counter[str]) -> tuple[Tally, ...]:
    """Weeks in order; the weeks between the first and the last are filled with zeros
    (unless they span more than MAX_GAP_WEEKS: then only the weeks that have articles)."""
    if not counts:
        return ()
    present = sorted(counts)
    first, last = (_monday(present[0]), _monday(present[-1]))
    span = (last - first).days // 7
    names = present
    if span <= MAX_GAP_WEEKS:
        names = [
            iso_week((first + dt.timedelta(weeks=n)).isoformat()) or "" for n in range(span + 1)
        ]
    return tuple(Tally(name, counts.get(name, 0)) for name in names)


def _monday(week: str) -> dt.date:
    year, number = week.split("-W")
    return dt.date.fromisocalendar(int(year), int(number), 1)


def _by_name(
    records: Iterable[R], name_of: Callable[[R], str]
) -> tuple[Counter[str], dict[str, set[str]]]:
    """Records and articles per name (cleaned: names as they are shown)."""
    raw: dict[str, list[str]] = defaultdict(list)
    for record in records:
        raw[name_of(record)].append(record.article)
    counts: Counter[str] = Counter()
    articles: dict[str, set[str]] = defaultdict(set)
    for name, ids in raw.items():  # few names, many records: each name cleaned once
        shown = _line(name)
        counts[shown] += len(ids)
        articles[shown].update(ids)
    return counts, articles


def _usage(
    counts: Counter[str], articles: Mapping[str, set[str]], gold: Mapping[str, int]
) -> tuple[Usage, ...]:
    gold = Counter({_line(name): n for name, n in gold.items()})
    counts = Counter(counts)
    for name in gold:
        counts.setdefault(name, 0)
    return tuple(
        Usage(name, n, len(articles.get(name, ())), gold[name])
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], fold(kv[0])))
    )


def _progress(library: Library, articles: Iterable[str]) -> tuple[Progress, ...]:
    """Everyone who has a record of any kind, with their done marks on the library's
    articles."""
    known = set(articles)
    names: set[str] = set()
    for kind in (Tag, Span, Note, EntityCorrection, DoneMark):
        names.update(r.annotator for r in library.records(kind))
    done: dict[str, set[str]] = defaultdict(set)
    days: dict[str, Counter[str]] = defaultdict(Counter)
    for mark in library.records(DoneMark):
        if mark.article in known and mark.article not in done[mark.annotator]:
            done[mark.annotator].add(mark.article)
            days[mark.annotator][mark.created[:10]] += 1
    return tuple(
        Progress(
            _line(name),
            len(done[name]),
            len(known) - len(done[name]),
            tuple(Tally(day, n) for day, n in sorted(days[name].items())),
        )
        for name in sorted(names, key=fold)
    )


def _top_entities(
    totals: Mapping[tuple[str, str], tuple[int, int]], limit: int
) -> tuple[EntityTally, ...]:
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1][0], fold(kv[0][0]), kv[0][1]))
    return tuple(
        EntityTally(_line(surface), label, mentions, articles)
        for (surface, label), (mentions, articles) in ranked[:limit]
    )
