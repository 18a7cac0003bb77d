"""Agreement between annotators on a library (``reader agreement``, the agreement screen).

An annotator takes part on an article once they marked it done; an article is compared when two
or more of the annotators in question did (docs/team.md). Per tag: Cohen's κ (exactly two
annotators), Krippendorff's α (nominal: tagged or not) and the observed agreement. Per label:
pairwise F1 of the passages, exact and overlapping, and α on the tokens (inside a passage of the
label or not).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from annotations.agreement_metrics import (
    NO_MATCH,
    SpanMatch,
    Undefined,
    Value,
    cohen_kappa,
    krippendorff_alpha,
    match_spans,
)
from annotations.library import Library
from annotations.records import DoneMark, Span, Tag

TOKEN = re.compile(r"\w+|[^\w\s]")  # one character class per match: linear time


@dataclass(frozen=True)
class TagAgreement:
    kappa: Value
    alpha: Value
    observed: Value
    articles: int


@dataclass(frozen=True)
class LabelAgreement:
    f1_exact: Value
    f1_overlap: Value
    alpha: Value
    articles: int


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    kind: str  # "tag" or "label"
    name: str
    value: Value  # κ for a tag, exact F1 for a label
    articles: int


@dataclass
class AgreementReport:
    annotators: list[str]
    articles: int  # compared: marked done by two or more of them
    tags: dict[str, TagAgreement] = field(default_factory=dict)
    labels: dict[str, LabelAgreement] = field(default_factory=dict)
    pairs: list[Pair] = field(default_factory=list)

    @property
    def problem(self) -> str | None:
        """Why nothing can be compared, for the user; None when something can."""
        if len(self.annotators) < 2:
            who = ", ".join(self.annotators) or "nobody"
            return f"agreement needs two annotators who marked articles done (so far: {who})"
        if self.articles == 0:
            return (
                "no article was marked done by two or more of "
                f"{', '.join(self.annotators)}: nothing to compare yet"
            )
        return None

    def to_json(self) -> dict[str, Any]:
        """The ``reader agreement --json`` document (docs/design.md)."""
        return {
            "annotators": self.annotators,
            "articles": self.articles,
            "tags": {name: _values(t) for name, t in self.tags.items()},
            "labels": {name: _values(lab) for name, lab in self.labels.items()},
            "pairs": [
                {
                    "a": p.a,
                    "b": p.b,
                    p.kind: p.name,
                    ("kappa" if p.kind == "tag" else "f1_exact"): _number(p.value),
                    "articles": p.articles,
                    **_reasons({"kappa" if p.kind == "tag" else "f1_exact": p.value}),
                }
                for p in self.pairs
            ],
        }


def measure(
    library: Library,
    *,
    tags: Collection[str] | None = None,
    labels: Collection[str] | None = None,
    annotators: Collection[str] | None = None,
    text_of: Callable[[str], str] | None = None,
    passages: bool = True,
) -> AgreementReport:
    """Agreement on the library's done articles (narrowed to some tags, labels or
    annotators). ``text_of`` gives an article's text for the token-level α (default: the
    library's). ``passages=False``: tags only (no article text is read)."""
    done: dict[str, set[str]] = defaultdict(set)
    for mark in library.records(DoneMark):
        if annotators is None or mark.annotator in annotators:
            done[mark.annotator].add(mark.article)
    people = sorted(done)
    compared = sorted(a for a in set().union(*done.values()) if _coders(done, a) >= 2)
    report = AgreementReport(people, len(compared))
    if report.problem:
        return report
    tagged: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for tag in library.records(Tag):
        if tag.annotator in done and (tags is None or tag.tag in tags):
            tagged[tag.tag][tag.annotator].add(tag.article)
    want_tags = tags is not None or labels is None
    want_labels = passages and (labels is not None or tags is None)
    if want_tags:
        for name in sorted(set(tags or ()) | set(tagged)):
            report.tags[name] = _tag_agreement(tagged[name], done, people, compared)
            report.pairs += _tag_pairs(name, tagged[name], done, people)
    if want_labels:
        spans: dict[str, dict[str, dict[str, list[tuple[int, int]]]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(list))
        )
        for span in library.records(Span):
            if (
                span.annotator in done
                and not span.orphaned
                and (labels is None or span.label in labels)
            ):
                spans[span.label][span.annotator][span.article].append((span.start, span.end))
        texts = text_of or (lambda a: library.load_article(a).text)
        tokens = _Tokens(texts)
        for name in sorted(set(labels or ()) | set(spans)):
            matches = _pair_matches(spans[name], done, people)
            report.labels[name] = _label_agreement(
                spans[name], done, people, compared, tokens, sum(matches.values(), NO_MATCH)
            )
            report.pairs += [
                Pair(a, b, "label", name, match.f1_exact, len(done[a] & done[b]))
                for (a, b), match in matches.items()
            ]
    return report


def _coders(done: dict[str, set[str]], article: str) -> int:
    return sum(article in articles for articles in done.values())


def _tag_agreement(
    tagged: dict[str, set[str]], done: dict[str, set[str]], people: list[str], compared: list[str]
) -> TagAgreement:
    units = [[(a in tagged[p]) if a in done[p] else None for p in people] for a in compared]
    same = sum(len({v for v in unit if v is not None}) == 1 for unit in units)
    kappa: Value = Undefined("κ is for exactly two annotators (α is for any number)")
    if len(people) == 2:
        kappa = _kappa(tagged, done, people[0], people[1])
    return TagAgreement(kappa, krippendorff_alpha(units), same / len(units), len(units))


def _kappa(tagged: dict[str, set[str]], done: dict[str, set[str]], a: str, b: str) -> Value:
    shared = sorted(done[a] & done[b])
    return cohen_kappa([x in tagged[a] for x in shared], [x in tagged[b] for x in shared])


def _tag_pairs(
    name: str, tagged: dict[str, set[str]], done: dict[str, set[str]], people: list[str]
) -> list[Pair]:
    return [
        Pair(a, b, "tag", name, _kappa(tagged, done, a, b), len(done[a] & done[b]))
        for a, b in itertools.combinations(people, 2)
    ]


class _Tokens:
    """Token boundaries of articles, read once each."""

    def __init__(self, text_of: Callable[[str], str]) -> None:
        self.text_of = text_of
        self.cache: dict[str, list[tuple[int, int]]] = {}

    def of(self, article: str) -> list[tuple[int, int]]:
        found = self.cache.get(article)
        if found is None:
            found = self.cache[article] = [m.span() for m in TOKEN.finditer(self.text_of(article))]
        return found


def _label_agreement(
    spans: dict[str, dict[str, list[tuple[int, int]]]],
    done: dict[str, set[str]],
    people: list[str],
    compared: list[str],
    tokens: _Tokens,
    total: SpanMatch,
) -> LabelAgreement:
    """The label's F1 from ``total`` (every pair's matches summed) and its token-level α."""
    units: list[list[bool | None]] = []
    for article in compared:
        coders = [p for p in people if article in done[p]]
        inside = {p: _covered(spans[p].get(article, []), tokens.of(article)) for p in coders}
        for index in range(len(tokens.of(article))):
            units.append([inside[p][index] if p in inside else None for p in people])
    return LabelAgreement(
        total.f1_exact, total.f1_overlap, krippendorff_alpha(units), len(compared)
    )


def _pair_matches(
    spans: dict[str, dict[str, list[tuple[int, int]]]],
    done: dict[str, set[str]],
    people: list[str],
) -> dict[tuple[str, str], SpanMatch]:
    """Each pair's passages compared on the articles both marked done."""
    return {
        (a, b): sum(
            (match_spans(spans[a].get(x, []), spans[b].get(x, [])) for x in done[a] & done[b]),
            NO_MATCH,
        )
        for a, b in itertools.combinations(people, 2)
    }


def _covered(bounds: list[tuple[int, int]], tokens: list[tuple[int, int]]) -> list[bool]:
    """For each token: does it overlap one of the passages?"""
    return [any(s < end and start < e for s, e in bounds) for start, end in tokens]


def _number(value: Value) -> float | None:
    return None if isinstance(value, Undefined) else round(value, 6)


def _reasons(values: dict[str, Value]) -> dict[str, Any]:
    why = {k: v.reason for k, v in values.items() if isinstance(v, Undefined)}
    return {"why_null": why} if why else {}


def _values(record: TagAgreement | LabelAgreement) -> dict[str, Any]:
    values: dict[str, Value] = {
        f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name != "articles"
    }
    return {
        **{k: _number(v) for k, v in values.items()},
        "articles": record.articles,
        **_reasons(values),
    }
