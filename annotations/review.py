"""Where annotators disagree, and the gold layer that settles it (docs/team.md).

Only annotators who marked an article done take part on it: what they did not tag, they said
no to. An article is compared once two or more of them marked it done. Per article, each tag is
an item, and the passages of each label are grouped into items by overlap; a candidate is one
tag or one passage (label and boundaries) and the annotators who gave it. An item is *agreed*
when every candidate is held by everyone; otherwise it is a disagreement, *settled* once a
curator decided every candidate (:class:`annotations.records.Gold`).

The gold layer is the newest decision per candidate across curators, plus what was agreed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from annotations.library import Library
from annotations.records import DoneMark, Gold, Span, Tag, item_key

AGREEMENT = "agreement"  # who decided an agreed item


@dataclass(frozen=True)
class Candidate:
    """One answer on an item (a tag, or a passage) and who gave it."""

    key: tuple[Any, ...]
    holders: frozenset[str]
    tag: str | None = None
    span: Span | None = None  # the first holder's passage (all holders have these bounds)


@dataclass(frozen=True)
class Item:
    """A tag of an article, or a group of overlapping passages of one label."""

    article: str
    kind: str  # "tag" or "label"
    name: str
    annotators: tuple[str, ...]  # who marked the article done
    candidates: tuple[Candidate, ...]

    @property
    def agreed(self) -> bool:
        everyone = frozenset(self.annotators)
        return all(c.holders == everyone for c in self.candidates)

    def versions(self) -> dict[str, list[Candidate]]:
        """Each annotator's answer: the candidates they hold (none: they said no)."""
        return {a: [c for c in self.candidates if a in c.holders] for a in self.annotators}


@dataclass(frozen=True)
class GoldItem:
    """One accepted item of the gold layer."""

    article: str
    key: tuple[Any, ...]
    decided_by: str  # a curator, or "agreement"
    decided: str  # when (the newest record it rests on)
    basis: tuple[str, ...]  # whose version it is
    tag: str | None = None
    span: Span | None = None


@dataclass
class Review:
    """The items of the compared articles and the curators' decisions."""

    items: list[Item]
    decisions: dict[tuple[Any, ...], Gold]
    done_at: dict[str, str] = field(default_factory=dict)  # article: its newest done mark

    def disagreements(self) -> list[Item]:
        return [item for item in self.items if not item.agreed]

    def settled(self, item: Item) -> bool:
        return item.agreed or all(c.key in self.decisions for c in item.candidates)

    def progress(self) -> tuple[int, int]:
        """(settled, all) disagreements."""
        disagreements = self.disagreements()
        return sum(self.settled(i) for i in disagreements), len(disagreements)

    def decision(self, candidate: Candidate) -> Gold | None:
        return self.decisions.get(candidate.key)

    def gold(self) -> list[GoldItem]:
        """The gold layer: every accepted decision, and every agreed candidate nobody
        overruled, ordered by article then key."""
        out: dict[tuple[Any, ...], GoldItem] = {}
        for item in self.items:
            if not item.agreed:
                continue
            when = self.done_at.get(item.article, "")
            for c in item.candidates:
                out[c.key] = GoldItem(
                    item.article, c.key, AGREEMENT, when, item.annotators, c.tag, c.span
                )
        for key, decision in self.decisions.items():
            if decision.rejected:
                out.pop(key, None)
                continue
            out[key] = GoldItem(
                decision.article,
                key,
                decision.annotator,
                decision.created,
                tuple(n for n in (decision.basis or "").split(", ") if n),
                decision.tag,
                _as_span(decision) if decision.item == "span" else None,
            )
        return [out[k] for k in sorted(out, key=_sort_key)]


def build_review(
    library: Library,
    *,
    annotators: Collection[str] | None = None,
    tags: Collection[str] | None = None,
    labels: Collection[str] | None = None,
) -> Review:
    """The review of every article two or more of ``annotators`` (default: everyone) marked
    done, narrowed to some tags or labels when given (both None: everything)."""
    done: dict[str, set[str]] = defaultdict(set)
    done_at: dict[str, str] = {}
    for mark in library.records(DoneMark):
        if annotators is None or mark.annotator in annotators:
            done[mark.article].add(mark.annotator)
            done_at[mark.article] = max(done_at.get(mark.article, ""), mark.created)
    compared = {a: who for a, who in done.items() if len(who) >= 2}
    want_tags = tags is not None or labels is None
    want_labels = labels is not None or tags is None
    items: list[Item] = []
    if want_tags:
        items += _tag_items(library.records(Tag), compared, tags)
    if want_labels:
        items += _label_items(library.records(Span), compared, labels)
    items.sort(key=lambda i: (i.article, i.kind != "tag", i.name, _sort_key(i.candidates[0].key)))
    decisions: dict[tuple[Any, ...], Gold] = {}
    for decision in library.records(Gold):
        if decision.item == "tag":
            wanted = want_tags and (tags is None or decision.tag in tags)
        else:
            wanted = want_labels and (labels is None or decision.label in labels)
        if not wanted:
            continue
        have = decisions.get(decision.key)
        if have is None or (decision.created, decision.id) > (have.created, have.id):
            decisions[decision.key] = decision
    return Review(items, decisions, done_at)


def _tag_items(
    records: Iterable[Tag], compared: dict[str, set[str]], only: Collection[str] | None
) -> list[Item]:
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for tag in records:
        who = compared.get(tag.article)
        if who and tag.annotator in who and (only is None or tag.tag in only):
            holders[(tag.article, tag.tag)].add(tag.annotator)
    return [
        Item(
            article,
            "tag",
            name,
            tuple(sorted(compared[article])),
            (Candidate(item_key(article, "tag", name, None, None, None), frozenset(h), tag=name),),
        )
        for (article, name), h in holders.items()
    ]


def _label_items(
    records: Iterable[Span], compared: dict[str, set[str]], only: Collection[str] | None
) -> list[Item]:
    groups: dict[tuple[str, str], list[Span]] = defaultdict(list)
    for span in records:
        who = compared.get(span.article)
        if span.orphaned or not who or span.annotator not in who:
            continue
        if only is None or span.label in only:
            groups[(span.article, span.label)].append(span)
    items = []
    for (article, label), spans in groups.items():
        annotators = tuple(sorted(compared[article]))
        for cluster in _overlapping(spans):
            by_bounds: dict[tuple[int, int], list[Span]] = defaultdict(list)
            for span in cluster:
                by_bounds[(span.start, span.end)].append(span)
            candidates = tuple(
                Candidate(
                    item_key(article, "span", None, label, start, end),
                    frozenset(s.annotator for s in same),
                    span=min(same, key=lambda s: (s.annotator, s.created)),
                )
                for (start, end), same in sorted(by_bounds.items())
            )
            items.append(Item(article, "label", label, annotators, candidates))
    return items


def _overlapping(spans: list[Span]) -> list[list[Span]]:
    """Groups of passages that overlap, directly or through one another."""
    clusters: list[list[Span]] = []
    reach = -1
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if clusters and span.start < reach:
            clusters[-1].append(span)
            reach = max(reach, span.end)
        else:
            clusters.append([span])
            reach = span.end
    return clusters


def _as_span(decision: Gold) -> Span:
    return Span(
        decision.id,
        decision.article,
        decision.annotator,
        decision.created,
        label=decision.label or "",
        start=decision.start or 0,
        end=decision.end or 0,
        quote=decision.quote or "",
        prefix=decision.prefix or "",
        suffix=decision.suffix or "",
    )


def _sort_key(key: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(f"{part:012d}" if isinstance(part, int) else str(part) for part in key)


def gold_counts(library: Library) -> tuple[dict[str, int], dict[str, int]]:
    """How many gold records the gold layer holds per tag and per label (``reader stats``)."""
    tags: dict[str, int] = defaultdict(int)
    labels: dict[str, int] = defaultdict(int)
    for item in build_review(library).gold():
        if item.span is not None:
            labels[item.span.label] += 1
        elif item.tag is not None:
            tags[item.tag] += 1
    return dict(tags), dict(labels)
