"""Agreement coefficients, computed as the reference implementations do (scikit-learn's
``cohen_kappa_score``, the ``krippendorff`` package; tests/test_agreement.py checks that).

A value that cannot be computed is an :class:`Undefined` with the reason, never NaN.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Undefined:
    reason: str


Value = float | Undefined


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> Value:
    """Cohen's κ of two coders' labels on the same units."""
    if len(first) != len(second):
        raise ValueError("both coders must label the same units")
    n = len(first)
    if n == 0:
        return Undefined("no articles both annotators marked done")
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    counts_a, counts_b = Counter(first), Counter(second)
    expected = sum(counts_a[c] * counts_b[c] for c in counts_a) / (n * n)
    if expected == 1:
        return Undefined("both annotators gave one and the same answer everywhere")
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(units: Iterable[Sequence[Hashable | None]]) -> Value:
    """Krippendorff's α (nominal) of units, each a sequence of the coders' values (None:
    this coder gave none). Units with fewer than two values are not pairable and count not."""
    # units with the same values are counted once, times their number (a million tokens of
    # a binary label are a handful of distinct units)
    shapes = Counter(
        tuple(sorted(Counter(v for v in unit if v is not None).items(), key=repr)) for unit in units
    )
    coincidence: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for shape, times in shapes.items():
        m = sum(count for _, count in shape)
        if m < 2:
            continue
        for c, count_c in shape:
            for k, count_k in shape:
                pairs = count_c * (count_c - 1) if c == k else count_c * count_k
                coincidence[(c, k)] += times * pairs / (m - 1)
    totals: defaultdict[Hashable, float] = defaultdict(float)
    for (c, _), weight in coincidence.items():
        totals[c] += weight
    n = sum(totals.values())
    if n == 0:
        return Undefined("no article was marked done by two annotators")
    if len(totals) < 2:
        return Undefined("only one answer was ever given (one category only)")
    disagree_observed = sum(w for (c, k), w in coincidence.items() if c != k)
    disagree_expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    return 1 - (n - 1) * disagree_observed / disagree_expected


@dataclass(frozen=True)
class SpanMatch:
    """Passages of two annotators compared: exact boundaries and overlap."""

    first: int  # passages of the first
    second: int
    exact: int  # passages with the same boundaries in both
    first_overlapping: int  # passages of the first that overlap one of the second's
    second_overlapping: int

    def __add__(self, other: SpanMatch) -> SpanMatch:
        return SpanMatch(
            self.first + other.first,
            self.second + other.second,
            self.exact + other.exact,
            self.first_overlapping + other.first_overlapping,
            self.second_overlapping + other.second_overlapping,
        )

    @property
    def f1_exact(self) -> Value:
        if self.first + self.second == 0:
            return Undefined("no passages with this label")
        return 2 * self.exact / (self.first + self.second)

    @property
    def f1_overlap(self) -> Value:
        """F1 of precision (the first's passages overlapping the second's) and recall (the
        second's overlapping the first's): symmetric."""
        if self.first + self.second == 0:
            return Undefined("no passages with this label")
        if self.first == 0 or self.second == 0:
            return 0.0
        precision = self.first_overlapping / self.first
        recall = self.second_overlapping / self.second
        if precision + recall == 0:
            return 0.0
        return 2 * precision * recall / (precision + recall)


NO_MATCH = SpanMatch(0, 0, 0, 0, 0)


def match_spans(first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]]) -> SpanMatch:
    """Compare two annotators' passages (``(start, end)``) of one label on one article."""
    exact = len(set(first) & set(second))
    return SpanMatch(
        len(first),
        len(second),
        exact,
        sum(any(_overlap(a, b) for b in second) for a in first),
        sum(any(_overlap(b, a) for a in first) for b in second),
    )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
