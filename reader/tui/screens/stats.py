"""The stats screen: the corpus at a glance (annotations/stats.py), computed in a worker.

The screen appears at once with "Counting…"; a worker computes the numbers from what is
cached, then a second one recognises the entities of articles not counted yet, a batch at a
time, and the screen is redrawn after each (docs/team.md, "Corpus at a glance").
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from annotations.agreement import AgreementReport, measure
from annotations.library import Library
from annotations.review import gold_counts
from annotations.sanitize import clean_line
from annotations.stats import CorpusStats, Tally, Usage, corpus_stats
from reader.core.agreement_tables import tag_table
from reader.core.entity_counts import EntityCounts
from reader.core.sparkline import sparkline
from reader.tui.screens.agreement import theme_styles
from reader.tui.widgets.footer import FittedFooter

if TYPE_CHECKING:
    from textual import getters

    from reader.tui.app import ReaderApp

REDRAW_SECONDS = 1.0  # while entities are counted: the numbers are redrawn this often
TAG_LINES = 5  # tags drawn in the tags-per-week chart (the most used)
DAYS = 28  # days of done marks in an annotator's sparkline (four weeks)
WIDE = 110  # columns from which the tables stand in two columns
SERIES_COLOURS = (  # theme variables, the first distinct ones used
    "primary",
    "accent",
    "secondary",
    "success",
    "warning",
    "error",
    "entity-person",
    "entity-org",
    "entity-loc",
    "entity-other",
)


class StatsScreen(Screen[None]):
    if TYPE_CHECKING:
        app = getters.app(ReaderApp)

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="stats.back"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="stats.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="stats.up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="stats.page_down"),
        Binding("b,pageup", "page(-1)", "Page up", show=False, id="stats.page_up"),
        Binding("g,home", "top", "Top", show=False, id="stats.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="stats.bottom"),
        Binding("question_mark", "app.help", "Help", id="stats.help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.stats: CorpusStats | None = None
        self._wide = False
        self._counts: EntityCounts | None = None  # one for the screen's workers

    def compose(self) -> ComposeResult:
        yield Static(Text(" Corpus at a glance: counting…"), id="stats-status")
        with VerticalScroll(id="stats-body"):
            yield PlotextPlot(id="weeks-plot", classes="stats-plot")
            yield PlotextPlot(id="tags-plot", classes="stats-plot")
            with Horizontal(id="stats-tables"):  # side by side when the screen is wide
                yield Static(id="stats-left")
                yield Static(id="stats-right")
            yield Static(id="stats-agreement")
        yield FittedFooter()

    def on_mount(self) -> None:
        self.query_one("#stats-body").focus()
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.compute()

    def _theme_changed(self, _theme: object) -> None:
        if self.stats is not None:
            self.show(self.stats)  # the charts' colours come from the theme

    def on_resize(self, event: events.Resize) -> None:
        wide = event.size.width >= WIDE
        if wide != self._wide:
            self._wide = wide
            self.query_one("#stats-tables").set_class(wide, "-wide")
            if self.stats is not None:
                self.show(self.stats)

    def recompute(self) -> None:
        """The library changed on disk (the app polls it): count again."""
        self.compute()

    def entity_counts(self) -> EntityCounts:
        if self._counts is None:
            self._counts = EntityCounts(self.app.library)
        return self._counts

    @work(thread=True, exclusive=True, group="stats")
    def compute(self) -> None:
        library = self.app.library
        counts = self.entity_counts()
        agreement = measure(library, passages=False)
        stats = _corpus_stats(library, counts)  # after the agreement: as fresh as can be
        if get_current_worker().is_cancelled:
            return  # the screen was closed meanwhile
        self.app.call_from_thread(self.show, stats)
        self.app.call_from_thread(self._show_agreement, agreement)
        if stats.entities_partial:
            self.app.call_from_thread(self.count_entities)

    @work(thread=True, exclusive=True, group="stats-entities")
    def count_entities(self) -> None:
        """Recognise the uncounted articles' entities, redrawing about once a second. Asked
        for when partial numbers are on screen: when another worker counted them meanwhile,
        the numbers as they are now are drawn at once."""
        worker = get_current_worker()
        library = self.app.library
        counts = self.entity_counts()
        missing = counts.missing()
        if not missing:
            self.app.call_from_thread(self.show, _corpus_stats(library, counts))
        while missing and not worker.is_cancelled:
            counted = counts.count(
                missing, budget=REDRAW_SECONDS, cancelled=lambda: worker.is_cancelled
            )
            missing = missing[counted:]
            if worker.is_cancelled:
                return
            stats = _corpus_stats(library, counts)
            self.app.call_from_thread(self.show, stats)
            time.sleep(0)  # let the UI thread draw

    # -- drawing ------------------------------------------------------------------------
    def show(self, stats: CorpusStats) -> None:
        if not self.is_attached:
            return
        self.stats = stats
        self.query_one("#stats-status", Static).update(summary(stats))
        self._plot_weeks(stats)
        self._plot_tags(stats)
        sources, tags, labels, progress, entities = tables(stats)
        if self._wide:  # the narrower tables on the left, the wider on the right
            left, right = [sources, labels, entities], [tags, progress]
        else:
            left, right = [sources, tags, labels, progress, entities], []
        self.query_one("#stats-left", Static).update(Group(*left))
        self.query_one("#stats-right", Static).update(Group(*right))

    def _show_agreement(self, report: AgreementReport) -> None:
        if not self.is_attached:
            return
        widget = self.query_one("#stats-agreement", Static)
        if report.problem:
            widget.update(Text(f"Agreement per tag: {report.problem}", style="italic"))
            return
        title = f"Agreement per tag ({report.articles} articles compared)"
        widget.update(tag_table(report, theme_styles(self.app), title))

    def _colour(self, index: int) -> int | tuple[int, int, int]:
        """Series ``index``'s colour from the theme: its RGB, or its ANSI number in an ANSI
        theme. No two series look alike while the theme has distinct colours: with 16 colours
        they are told apart as the terminal will show them, and none that is hard to read on
        the theme's background (or looks like the axes' text) is used."""
        sixteen = self.app.sixteen_colours()
        unreadable = {0, 8} if self.app.current_theme.dark else {3, 7, 11, 15}
        foreground = Color.parse(self.app.theme_variables.get("foreground", "white"))
        unreadable.add(_standard(foreground.rgb))
        seen: set[object] = set()
        colours: list[int | tuple[int, int, int]] = []
        for name in SERIES_COLOURS:
            value = self.app.theme_variables.get(name)
            if value is None:
                continue
            colour = Color.parse(value)
            shown: int | tuple[int, int, int] = colour.rgb
            looks: object = _standard(colour.rgb) if sixteen else colour.rgb
            ansi = colour.ansi is not None and colour.ansi >= 0
            if colour.ansi is not None and ansi:
                shown = looks = colour.ansi
            if looks in seen or (sixteen and not ansi and looks in unreadable):
                continue
            seen.add(looks)
            colours.append(shown)
        return colours[index % len(colours)] if colours else 4

    def _plot_weeks(self, stats: CorpusStats) -> None:
        widget = self.query_one("#weeks-plot", PlotextPlot)
        widget.display = bool(stats.weeks)  # an empty library: no empty frame
        widget.theme = "clear"  # the screen's own colours, in 16 colours too
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        plt.theme("clear")
        plt.title(f"Articles per week ({len(stats.weeks)} weeks, {stats.undated} undated)")
        if stats.weeks:
            positions = list(range(len(stats.weeks)))
            counts = [t.count for t in stats.weeks]
            plt.bar(positions, counts, color=self._colour(0), width=0.6)
            plt.xticks(*_ticks(stats))
            plt.yticks(*_whole_ticks(max(counts)))
        widget.refresh()

    def _plot_tags(self, stats: CorpusStats) -> None:
        widget = self.query_one("#tags-plot", PlotextPlot)
        widget.theme = "clear"
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        plt.theme("clear")
        series = stats.tags_per_week[:TAG_LINES]
        widget.display = bool(series) and bool(stats.weeks)  # else the tags table says none
        shown = "" if len(stats.tags_per_week) <= TAG_LINES else f", top {TAG_LINES}"
        plt.title(f"Tags per week (articles{shown})" if series else "Tags per week: no tags yet")
        positions = list(range(len(stats.weeks)))
        for index, line in enumerate(series):
            plt.plot(
                positions,
                list(line.counts),
                label=_plot_text(line.name, 24),
                color=self._colour(index),
                marker="braille",
            )
        if series:
            plt.xticks(*_ticks(stats))
            plt.yticks(*_whole_ticks(max(max(s.counts, default=0) for s in series)))
        widget.refresh()

    # -- keys -----------------------------------------------------------------------------
    def action_scroll(self, delta: int) -> None:
        self.query_one("#stats-body", VerticalScroll).scroll_relative(y=delta, animate=False)

    def action_page(self, direction: int) -> None:
        box = self.query_one("#stats-body", VerticalScroll)
        box.scroll_relative(y=direction * max(1, box.size.height - 1), animate=False)

    def action_top(self) -> None:
        self.query_one("#stats-body", VerticalScroll).scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.query_one("#stats-body", VerticalScroll).scroll_end(animate=False)


def _standard(rgb: tuple[int, int, int]) -> int:
    """The nearest of the 16 standard colours (as the terminal will show it)."""
    return RichColor.from_rgb(*rgb).downgrade(ColorSystem.STANDARD).number or 0


def _plot_text(name: str, width: int) -> str:
    """A name as plotext may print it: one clean line, cut with "…"."""
    line = clean_line(name)
    return line if len(line) <= width else line[: width - 1] + "…"


def _ticks(stats: CorpusStats) -> tuple[list[float], list[str]]:
    """About six week labels along the x axis: ``W46``, or ``25-W46`` when the weeks are of
    more than one year; none at the very edge, where plotext would cut it."""
    weeks = [t.name for t in stats.weeks]
    one_year = len({w[:4] for w in weeks}) == 1
    step = max(1, len(weeks) // 6)
    indexes = range(step // 2, len(weeks), step)
    return [float(i) for i in indexes], [
        weeks[i][5:] if one_year else weeks[i][2:] for i in indexes
    ]


def _whole_ticks(top: int) -> tuple[list[float], list[str]]:
    """Counts are whole numbers: at most six ticks from 0, never 0.50."""
    step = max(1, -(-top // 5))
    values = range(0, top + step, step)
    return [float(v) for v in values], [f"{v:,}" for v in values]


def summary(stats: CorpusStats) -> Text:
    text = Text(
        f" {stats.articles:,} articles · {len(stats.sources):,} sources · "
        f"{len(stats.tags):,} tags · {len(stats.labels):,} labels"
    )
    if stats.entities_partial:
        text.append(
            f" · entities counted for {stats.entities_counted:,} of {stats.articles:,}"
            " articles so far…",
            style="italic",
        )
    return text


def _cell(value: object) -> Text:
    return Text(clean_line(str(value)), no_wrap=True, overflow="ellipsis")


def _number(value: int) -> Text:
    return Text(f"{value:,}", justify="right")


def _table(title: str, *columns: str) -> Table:
    """Columns named with a leading ``#`` hold numbers (right-aligned)."""
    table = Table(title=title, title_justify="left", title_style="bold", expand=False)
    for column in columns:
        number = column.startswith("#")
        table.add_column(
            column.removeprefix("#"), justify="right" if number else "left", overflow="ellipsis"
        )
    return table


def tables(stats: CorpusStats) -> list[RenderableType]:
    """Sources, tags, labels, annotators' progress, top entities: rich tables of ``Text``."""
    out: list[RenderableType] = []
    sources = _table("Articles per source", "source", "#articles")
    for tally in stats.sources:
        sources.add_row(_cell(tally.name or "(no source)"), _number(tally.count))
    out.append(sources)
    spark = {s.name: sparkline(s.counts, 16) for s in stats.tags_per_week}
    out.append(_usage("Tags", "tag", stats.tags, spark))
    out.append(_usage("Passage labels", "label", stats.labels, {}))
    people = _table("Progress", "annotator", "#done", "#remaining", f"done, last {DAYS} days")
    for person in stats.annotators:
        people.add_row(
            _cell(person.name),
            _number(person.done),
            _number(person.remaining),
            Text(sparkline(_last_days(person.per_day), DAYS)),
        )
    if not stats.annotators:
        people.add_row(Text("no annotations yet", style="italic"), "", "", "")
    out.append(people)
    title = "Top entities by mentions"
    if stats.entities_partial:
        title += f" (counted for {stats.entities_counted:,} of {stats.articles:,} articles)"
    entities = _table(title, "entity", "label", "#mentions", "#articles")
    for entity in stats.entities:
        entities.add_row(
            _cell(entity.surface),
            _cell(entity.label),
            _number(entity.mentions),
            _number(entity.articles),
        )
    out.append(entities)
    for table in (sources, entities):
        if table.row_count == 0:
            table.add_row(Text("none yet", style="italic"), *[""] * (len(table.columns) - 1))
    return out


def _usage(title: str, what: str, items: tuple[Usage, ...], spark: dict[str, str]) -> Table:
    columns = [what, "#records", "#articles", "#gold"] + (["per week"] if spark else [])
    table = _table(title, *columns)
    for usage in items:
        row = [_cell(usage.name), _number(usage.records), _number(usage.articles)]
        row.append(_number(usage.gold))
        if spark:
            row.append(Text(spark.get(usage.name, ""), no_wrap=True))
        table.add_row(*row)
    if not items:
        table.add_row(Text(f"no {what}s yet", style="italic"), *[""] * (len(columns) - 1))
    return table


def _last_days(per_day: tuple[Tally, ...]) -> list[int]:
    """Done marks per day over the last DAYS days (UTC), oldest first."""
    today = dt.datetime.now(dt.UTC).date()
    counts = {t.name: t.count for t in per_day}
    days = [(today - dt.timedelta(days=n)).isoformat() for n in range(DAYS - 1, -1, -1)]
    return [counts.get(day, 0) for day in days]


def _corpus_stats(library: Library, counts: EntityCounts) -> CorpusStats:
    gold_tags, gold_labels = gold_counts(library)
    return corpus_stats(
        library, entities=counts.current(), gold_tags=gold_tags, gold_labels=gold_labels
    )
