"""The corpus at a glance on a big library: `reader stats` and the stats screen.

python benchmarks/stats.py LIBRARY [--records 20000] [--cache DIR]

LIBRARY is a library folder (e.g. /tmp/bench/library from `benchmarks/run.py --keep /tmp/bench`,
or one `reader import` filled with `benchmarks/generate.py`'s articles). When it has no
annotations yet, four annotators' tags, passages and done marks are written to it first. The
entity cache goes to a temporary XDG_CACHE_HOME (or DIR, kept): counted here (timed), then read
warm.
Reports, never asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TAGS = ("ceasefire", "humanitarian aid", "mediation", "casualties", "diplomacy", "hostages")
PEOPLE = ("ayşe", "mehmet", "zeynep", "İlker")


def annotate(folder: Path, records: int) -> None:
    """Tags (60%), passages (20%) and done marks (20%) by four annotators, over 30 days."""
    from annotations.journal import Op
    from annotations.library import Library
    from annotations.records import DoneMark, Span, Tag

    library = Library(folder, annotator="bench")
    ids = [a["id"] for a in library.articles()]
    text = library.load_article(ids[0]).text
    rng = random.Random(3)
    for person in PEOPLE:
        ops = []
        for n in range(records // len(PEOPLE)):
            article = ids[rng.randrange(len(ids))]
            kind = n % 10
            if kind < 6:
                record = Tag.new(article, rng.choice(TAGS), person)
            elif kind < 8:
                record = Span.new(article, text, 0, 20, rng.choice(TAGS), person)
            else:
                day = f"2026-11-{rng.randint(1, 30):02d}T12:00:00.000000Z"
                record = DoneMark.new(article, person).replace(created=day)
            ops.append(Op(record.KIND, record.to_dict()))
        Library(folder, annotator=person).write(ops)


def cli_ms(folder: Path, *args: str) -> float:
    env = dict(os.environ, READER_LIBRARY=str(folder))
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "reader", "stats", *args],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return (time.perf_counter() - start) * 1000


async def screen_ms(folder: Path) -> tuple[float, float]:
    """The stats screen in a headless app (80x24): time to the screen mounted, and to its
    numbers drawn."""
    from annotations.library import Library
    from reader.tui.app import ReaderApp
    from reader.tui.screens.stats import StatsScreen

    app = ReaderApp(Library(folder, annotator="ayşe"), theme="okur-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        while not app.annotations_ready or not app.screen.names_found:
            await pilot.pause(0.05)  # the start-up workers are done (the search keys: seconds)
        start = time.perf_counter()
        app.action_stats()  # what % and the palette do
        while not (isinstance(app.screen, StatsScreen) and app.screen.is_mounted):
            await asyncio.sleep(0.002)
        shown = time.perf_counter()
        while app.screen.stats is None:
            await asyncio.sleep(0.005)
        await pilot.pause()
        drawn = time.perf_counter()
    return (shown - start) * 1000, (drawn - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("library", type=Path)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--cache", type=Path, help="XDG_CACHE_HOME to use (default: a new one)")
    args = parser.parse_args()
    folder = args.library
    cache = args.cache or Path(tempfile.mkdtemp(prefix="reader-stats-cache-"))
    os.environ["XDG_CACHE_HOME"] = str(cache)
    if not (folder / "annotations").exists():
        annotate(folder, args.records)

    from annotations.library import Library
    from annotations.stats import corpus_stats
    from reader.core.entity_counts import EntityCounts

    library = Library(folder, annotator="bench")
    counts = EntityCounts(library)
    missing = counts.missing()
    start = time.perf_counter()
    counts.count(missing)
    cold = time.perf_counter() - start
    rows = [
        ("articles", f"{len(library.articles()):,}", ""),
        (
            "entity counts, cold (once per library and recogniser)",
            f"{cold:.1f} s ({len(missing) / cold:,.0f} articles/s)" if missing else "were cached",
            "in a worker",
        ),
    ]

    def in_process() -> float:
        start = time.perf_counter()
        fresh = Library(folder, annotator="bench")
        corpus_stats(fresh, entities=EntityCounts(fresh).current())
        return (time.perf_counter() - start) * 1000

    rows.append(
        (
            "statistics in process (open, read, count), warm",
            f"{statistics.median(in_process() for _ in range(5)):.0f} ms",
            "",
        )
    )
    rows.append(
        (
            "`reader stats --json`, warm",
            f"{statistics.median(cli_ms(folder, '--json') for _ in range(5)):.0f} ms",
            "< 1 s",
        )
    )
    rows.append(
        (
            "`reader stats` (tables), warm",
            f"{statistics.median(cli_ms(folder) for _ in range(5)):.0f} ms",
            "< 1 s",
        )
    )
    runs = [asyncio.run(screen_ms(folder)) for _ in range(3)]
    on_screen, drawn = (statistics.median(r[i] for r in runs) for i in (0, 1))
    rows.append(
        (
            "stats screen: mounted / numbers drawn",
            f"{on_screen:.0f} / {drawn:.0f} ms",
            "< 1 s",
        )
    )
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>26}  {target}")


if __name__ == "__main__":
    main()
