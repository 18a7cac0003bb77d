"""Counts as a line of block characters, for tables (the CLI) and narrow screens (the app)."""

from __future__ import annotations

from collections.abc import Sequence

BLOCKS = " ▁▂▃▄▅▆▇█"


def squeeze(values: Sequence[int], width: int) -> list[float]:
    """At most ``width`` values: neighbours averaged, in order (a last, shorter group is not
    made to look low)."""
    if width <= 0 or not values:
        return []
    size = -(-len(values) // width)  # values per character, rounded up
    groups = [values[i : i + size] for i in range(0, len(values), size)]
    return [sum(group) / len(group) for group in groups]


def sparkline(values: Sequence[int], width: int = 26) -> str:
    """``▁▃█ ▂``: each character one value (or several averaged), the highest a full block; a
    zero is a space, anything above zero at least the lowest block."""
    points = squeeze(values, width)
    top = max(points, default=0)
    if top <= 0:
        return " " * len(points)
    steps = len(BLOCKS) - 1
    return "".join(BLOCKS[0 if v <= 0 else max(1, round(v / top * steps))] for v in points)
