"""``reader stats [--json] [--count-entities]``: the corpus at a glance, as plain tables.

Tables are drawn by rich without colour (the command line prints no escape codes); every
cell is a ``Text`` of cleaned input, never markup.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from annotations.library import Library
from annotations.review import gold_counts
from annotations.sanitize import clean_line
from annotations.stats import CorpusStats, Usage, corpus_stats
from reader.core.entity_counts import EntityCounts
from reader.core.sparkline import sparkline

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

BUDGET = 0.5  # seconds spent recognising uncounted articles per run (the rest: next time)


def compute(library: Library, *, count_all: bool = False) -> CorpusStats:
    """The statistics, with entity counts from the cache, topped up for ``BUDGET`` seconds
    (or until every article is counted)."""
    counts = EntityCounts(library)
    missing = counts.missing()
    if missing:
        counts.count(missing, budget=None if count_all else BUDGET)
    gold_tags, gold_labels = gold_counts(library)
    return corpus_stats(
        library, entities=counts.current(), gold_tags=gold_tags, gold_labels=gold_labels
    )


def run(library: Library, args: argparse.Namespace) -> int:
    from reader.cli import EXIT_OK, _print_json, say

    stats = compute(library, count_all=args.count_entities)
    if stats.entities_partial:
        say(
            f"reader: entities counted for {stats.entities_counted:,} of {stats.articles:,}"
            " articles (reader stats --count-entities counts the rest)"
        )
    if args.json:
        _print_json(stats.as_json())
        return EXIT_OK
    from rich.console import Console

    console = Console(
        file=sys.stdout, color_system=None, markup=False, highlight=False, emoji=False
    )
    for table in tables(stats):
        console.print(table)
    return EXIT_OK


def cell(value: object) -> Text:
    from rich.text import Text

    return Text(clean_line(str(value)))


def number(value: int) -> Text:
    from rich.text import Text

    return Text(f"{value:,}", justify="right")


def tables(stats: CorpusStats) -> list[Table]:
    from rich.table import Table
    from rich.text import Text

    dated = stats.articles - stats.undated
    summary = Table.grid(padding=(0, 2))
    summary.add_row(
        Text(
            f"{stats.articles:,} articles, {len(stats.sources):,} sources, "
            f"{len(stats.weeks):,} weeks ({dated:,} dated, {stats.undated:,} undated)"
        )
    )
    out = [summary]
    sources = Table("source", "articles", title="Articles per source", title_justify="left")
    for tally in stats.sources:
        sources.add_row(cell(tally.name or "(no source)"), number(tally.count))
    out.append(sources)
    if stats.weeks:
        weeks = Table("week", "articles", "", title="Articles per week", title_justify="left")
        top = max(t.count for t in stats.weeks) or 1
        for tally in stats.weeks:
            weeks.add_row(
                cell(tally.name), number(tally.count), "█" * round(tally.count / top * 30)
            )
        out.append(weeks)
    spark = {s.name: sparkline(s.counts) for s in stats.tags_per_week}
    out.append(_usage_table("Tags", "tag", stats.tags, spark))
    out.append(_usage_table("Passage labels", "label", stats.labels, {}))
    people = Table(
        "annotator",
        "done",
        "remaining",
        "done per day (last)",
        title="Progress",
        title_justify="left",
    )
    for person in stats.annotators:
        days = ", ".join(f"{d.name}: {d.count}" for d in person.per_day[-3:])
        people.add_row(cell(person.name), number(person.done), number(person.remaining), cell(days))
    out.append(people)
    title = "Top entities by mentions"
    if stats.entities_partial:
        title += f" (counted for {stats.entities_counted:,} of {stats.articles:,} articles)"
    entities = Table("entity", "label", "mentions", "articles", title=title, title_justify="left")
    for entity in stats.entities:
        entities.add_row(
            cell(entity.surface),
            cell(entity.label),
            number(entity.mentions),
            number(entity.articles),
        )
    out.append(entities)
    for table in out:
        if table.columns and table.row_count == 0:
            table.add_row(Text("none yet"), *[""] * (len(table.columns) - 1))
    return out


def _usage_table(title: str, what: str, items: tuple[Usage, ...], spark: dict[str, str]) -> Table:
    from rich.table import Table
    from rich.text import Text

    columns = [what, "records", "articles", "gold"] + (["per week"] if spark else [])
    table = Table(*columns, title=title, title_justify="left")
    for usage in items:
        row = [cell(usage.name), number(usage.records), number(usage.articles), number(usage.gold)]
        if spark:
            row.append(Text(spark.get(usage.name, "")))
        table.add_row(*row)
    return table
