"""Contrast of what is on screen: the colours of rendered cells, judged as a terminal shows them.

The app's screen is rendered by Textual's compositor (the strips it sends to the terminal, line
filters applied). Each cell's foreground and background are then taken as a terminal of each
colour depth shows them: truecolor as they are; 256 and 16 colours after Rich's own downgrade
(``Color.downgrade``, what Rich does when it writes to such a terminal), the 16 ANSI colours
(and any 256-colour index below 16) read on xterm's default palette. The terminal's default
colours are those of a dark terminal on that palette: foreground ANSI 7, background ANSI 0.
Reverse swaps the two; dim blends the foreground into the background as Textual does.

Contrast is WCAG 2's: (L1 + 0.05) / (L2 + 0.05) of the sRGB relative luminances.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rich.color import Color, ColorSystem, ColorType
from rich.segment import Segment
from textual.constants import DIM_FACTOR
from textual.geometry import Region

# xterm's default palette for ANSI 0-15 (XTerm-col.ad / charproc.c)
XTERM = [
    (0x00, 0x00, 0x00),
    (0xCD, 0x00, 0x00),
    (0x00, 0xCD, 0x00),
    (0xCD, 0xCD, 0x00),
    (0x00, 0x00, 0xEE),
    (0xCD, 0x00, 0xCD),
    (0x00, 0xCD, 0xCD),
    (0xE5, 0xE5, 0xE5),
    (0x7F, 0x7F, 0x7F),
    (0xFF, 0x00, 0x00),
    (0x00, 0xFF, 0x00),
    (0xFF, 0xFF, 0x00),
    (0x5C, 0x5C, 0xFF),
    (0xFF, 0x00, 0xFF),
    (0x00, 0xFF, 0xFF),
    (0xFF, 0xFF, 0xFF),
]
DEFAULT_FG = XTERM[7]
DEFAULT_BG = XTERM[0]
DEPTHS = {
    "truecolor": ColorSystem.TRUECOLOR,
    "256": ColorSystem.EIGHT_BIT,
    "16": ColorSystem.STANDARD,
}
TEXT = 4.5  # WCAG AA for text
MARK = 3.0  # non-text marks (borders, the unread dot)

RGB = tuple[int, int, int]


def luminance(rgb: RGB) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: RGB, b: RGB) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def shown(color: Color | None, depth: ColorSystem, *, foreground: bool) -> RGB:
    """The RGB a terminal of ``depth`` shows for ``color`` (None: the terminal's default)."""
    if color is None or color.type == ColorType.DEFAULT:
        return DEFAULT_FG if foreground else DEFAULT_BG
    if color.system > depth:
        color = color.downgrade(depth)
    if color.type in (ColorType.STANDARD, ColorType.WINDOWS) or (
        color.type == ColorType.EIGHT_BIT and color.number is not None and color.number < 16
    ):
        assert color.number is not None
        return XTERM[color.number]
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


@dataclass(frozen=True)
class Cell:
    """A run of characters of one style on screen, as a terminal of one depth shows it."""

    text: str
    fg: RGB
    bg: RGB

    @property
    def ratio(self) -> float:
        return ratio(self.fg, self.bg)


def cells(segment: Segment, depth: ColorSystem) -> Cell:
    style = segment.style
    color = style.color if style else None
    bgcolor = style.bgcolor if style else None
    fg = shown(color, depth, foreground=True)
    bg = shown(bgcolor, depth, foreground=False)
    if style is not None and style.reverse:
        fg, bg = bg, fg
    if style is not None and style.dim:  # as Textual dims truecolor text
        fg = tuple(round(b + (f - b) * DIM_FACTOR) for f, b in zip(fg, bg, strict=True))  # type: ignore[assignment]
    return Cell(segment.text, fg, bg)


def screen_segments(app, region: Region) -> Iterator[tuple[int, int, Segment]]:
    """(x, y, segment) of what the screen shows inside ``region``, cut to it."""
    strips = app.screen._compositor.render_strips()
    for y in range(region.y, region.bottom):
        x = region.x
        for segment in strips[y].crop(region.x, region.right):
            if not segment.control:
                yield x, y, segment
            x += segment.cell_length


def hex_(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


@dataclass(frozen=True)
class Failure:
    depth: str
    text: str
    fg: RGB
    bg: RGB
    ratio: float

    def __str__(self) -> str:
        return (
            f"{self.depth}: {self.text[:20]!r} {hex_(self.fg)} on {hex_(self.bg)} "
            f"{self.ratio:.2f}:1"
        )


def low_contrast(
    app,
    region: Region,
    *,
    minimum: float = TEXT,
    skip: frozenset[str] = frozenset(),
    only: frozenset[str] | None = None,
) -> list[Failure]:
    """The runs of visible characters in ``region`` below ``minimum``, at each depth (one per
    depth and colour pair). Runs whose text (stripped) is in ``skip`` are left out; with
    ``only``, only those are judged."""
    found: dict[tuple[str, RGB, RGB], Failure] = {}
    for _x, _y, segment in screen_segments(app, region):
        text = segment.text.strip()
        if not text or text in skip or (only is not None and text not in only):
            continue
        for name, depth in DEPTHS.items():
            cell = cells(segment, depth)
            if cell.ratio < minimum and (name, cell.fg, cell.bg) not in found:
                found[name, cell.fg, cell.bg] = Failure(name, text, cell.fg, cell.bg, cell.ratio)
    return list(found.values())


def worst(app, region: Region) -> dict[str, float]:
    """The lowest ratio of visible characters in ``region`` per depth."""
    result = {name: 99.0 for name in DEPTHS}
    for _x, _y, segment in screen_segments(app, region):
        if segment.text.strip():
            for name, depth in DEPTHS.items():
                result[name] = min(result[name], cells(segment, depth).ratio)
    return result
