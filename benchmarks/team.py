"""A team's library: 10,000 articles, 100,000 records from 20 annotators (one with 50,000).

python benchmarks/team.py [--keep DIR] [--articles 10000] [--records 100000]

Reports (never asserts) what docs/performance.md lists under "Teams": a tag saved durably by the
heavy annotator, `reader tag` against `reader --help`, opening an article (records + reading
state), another annotator's change picked up by a running process, and a whole reload.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

LABELS = ("ceasefire", "humanitarian aid", "mediation", "casualties", "diplomacy")


def timed(fn, repeat: int = 9) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def command(library: Path, who: str, *args: str) -> float:
    env = dict(os.environ, READER_LIBRARY=str(library))
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "reader", "--annotator", who, *args],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return (time.perf_counter() - start) * 1000


def build(library_dir: Path, corpus: Path, articles: int, records: int) -> None:
    """Articles from benchmarks/generate.py; records written straight to the journals."""
    from annotations.journal import Op
    from annotations.library import Library
    from annotations.records import Note, Span, Tag
    from reader.core.importing import import_paths

    if not corpus.exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(corpus), "--count", str(articles)],
            check=True,
        )
    library = Library(library_dir, annotator="bench")
    import_paths(library, [corpus])
    ids = [a["id"] for a in library.articles()]
    rng = random.Random(7)
    annotators = ["heavy"] + [f"annotator{n:02d}" for n in range(19)]
    share = {"heavy": records // 2}
    for name in annotators[1:]:
        share[name] = (records - records // 2) // 19
    text = library.load_article(ids[0]).text
    for name, count in share.items():
        ops = []
        for n in range(count):
            article = ids[rng.randrange(len(ids))]
            kind = n % 10
            if kind < 7:
                record = Tag.new(article, f"{LABELS[n % 5]} {n % 40}", name)
            elif kind < 9:
                record = Span.new(article, text, 10, 40, LABELS[n % 5], name, note="not")
            else:
                record = Note.new(article, f"not {n}", name)
            ops.append(Op(record.KIND, record.to_dict()))
        Library(library_dir, annotator=name).write(ops)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="reader-team-"))
    library_dir = work / "library"
    if not (library_dir / "annotations").exists():
        build(library_dir, work / "corpus", args.articles, args.records)

    from annotations.edits import Edits
    from annotations.library import Library
    from annotations.records import Span, Tag

    rows = []
    heavy = Library(library_dir, annotator="heavy")
    ids = [a["id"] for a in heavy.articles()]
    edits = Edits(heavy)
    heavy.tags_by_article()
    counter = iter(range(10**9))
    run = f"{time.time():.0f}"  # new tags each run of the benchmark

    def save_tag() -> None:
        n = next(counter)
        assert edits.tag(ids[n % len(ids)], f"bench {run} {n}") is not None

    rows.append(
        (
            "tag saved durably (heavy annotator, in process)",
            f"{timed(save_tag, 21):.2f} ms",
            "< 10 ms",
        )
    )
    help_ms = statistics.median(command(library_dir, "heavy", "--help") for _ in range(5))
    tag_ms = statistics.median(
        command(library_dir, "heavy", "tag", ids[n], f"cli {run} {n}") for n in range(5)
    )
    rows.append(
        (
            "`reader tag` vs `reader --help`",
            f"{tag_ms:.0f} / {help_ms:.0f} ms = {tag_ms / help_ms:.2f}x",
            "<= 1.3x",
        )
    )

    def open_article() -> None:
        article_id = ids[next(counter) % len(ids)]
        heavy.load_article(article_id)
        heavy.records_for(Tag, article_id)
        heavy.records_for(Span, article_id)
        heavy.reading(article_id)
        heavy.set_reading(article_id, read=True, position=next(counter))

    rows.append(("open an article (records, reading state)", f"{timed(open_article):.2f} ms", ""))
    watcher = Library(library_dir, annotator="annotator00")
    watcher.tags_by_article()
    other = Edits(Library(library_dir, annotator="annotator01"))

    def reload_after_others_change() -> float:
        other.tag(ids[next(counter) % len(ids)], "ceasefire")
        start = time.perf_counter()
        assert watcher.changed_on_disk()
        watcher.tags_by_article()
        watcher.records(Span)
        return (time.perf_counter() - start) * 1000

    reloads = [reload_after_others_change() for _ in range(9)]
    rows.append(
        ("another annotator's change: reload", f"{statistics.median(reloads):.1f} ms", "< 50 ms")
    )
    cold = timed(lambda: Library(library_dir, annotator="x").tags_by_article(), 3)
    rows.append(("cold load of every record (a new process)", f"{cold:.0f} ms", ""))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  {'result':>26}  target")
    for name, value, target in rows:
        print(f"{name.ljust(width)}  {value:>26}  {target}")


if __name__ == "__main__":
    main()
