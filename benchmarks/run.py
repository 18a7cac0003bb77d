"""Time the library on a generated corpus; prints a table (report, never assert).

python benchmarks/run.py [--count 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int = 5) -> float:
    """Median wall time of ``fn()`` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cli(library: Path, *args: str) -> None:
    env = dict(os.environ, READER_LIBRARY=str(library))
    subprocess.run(
        [sys.executable, "-m", "reader", *args],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def entity_rows(library, ids: list[str]) -> list[tuple[str, str, str]]:
    from reader.entities import recognize

    bodies = [library.load_article(i) for i in ids[:300]]
    recognize("warm up Ankara")
    start = time.perf_counter()
    for article in bodies:
        recognize(article.text, article.keywords)
    seconds = time.perf_counter() - start
    megabytes = sum(len(a.text.encode("utf-8")) for a in bodies) / 1e6
    return [
        ("entities: throughput (UTF-8 text)", f"{megabytes / seconds:.2f} MB/s", "> 2 MB/s"),
        ("entities: one ~4 KB article", f"{seconds / len(bodies) * 1000:.2f} ms", ""),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="reuse/keep the corpus and library here")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="reader-bench-"))
    corpus, library_dir = work / "corpus", work / "library"

    from annotations.edits import Edits
    from annotations.library import Library
    from annotations.yamlio import dump, export_document
    from reader.core.importing import import_paths
    from reader.core.search import Searcher

    if not corpus.exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(corpus), "--count", str(args.count)],
            check=True,
        )
    rows: list[tuple[str, str, str]] = []
    if not (library_dir / "articles.json").exists():
        library = Library(library_dir, annotator="bench")
        start = time.perf_counter()
        report = import_paths(library, [corpus])
        seconds = time.perf_counter() - start
        rows.append(("import", f"{report.added / seconds:,.0f} articles/s", "> 1,000/s"))
    library = Library(library_dir, annotator="bench")
    ids = [a["id"] for a in library.articles()]

    rows.append(
        (
            "open library + list metadata (in process)",
            f"{timed(lambda: Library(library_dir).articles()):.1f} ms",
            "",
        )
    )
    rows.append(
        (
            "`reader list` process (cold CLI)",
            f"{timed(lambda: cli(library_dir, 'list'), 3):.0f} ms",
            "",
        )
    )
    keys = library.search_keys()
    searcher = Searcher(keys)
    rows.append(
        (
            "derive plain keys (once, in a worker)",
            f"{timed(lambda: Searcher(keys).prepare(), 3):.0f} ms",
            "",
        )
    )
    searcher.prepare()
    articles = library.articles()
    for query in ("i", "ist", "istanbul ateşkes", "istanbul ateskes", "zzzz"):
        rows.append(
            (
                f"search {query!r} ({len(articles):,} articles)",
                f"{timed(lambda q=query: searcher.search(q, articles)):.1f} ms",
                "< 100 ms",
            )
        )
    for entity in ("Ankara", "Kahramanmaras"):
        rows.append(
            (
                f"entity filter {entity!r}",
                f"{timed(lambda e=entity: searcher.mentioning(e), 3):.0f} ms",
                "",
            )
        )
    rows.append(
        (
            "load search keys (once, in a worker)",
            f"{timed(library._read_search_keys, 3):.0f} ms",
            "",
        )
    )
    counter = iter(range(10**9))
    edits = Edits(library)

    def save_new_tag() -> None:
        n = next(counter)
        edits.tag(ids[n % len(ids)], f"bench-{n}")

    rows.append(
        ("tag saved durably (locked, fsynced)", f"{timed(save_new_tag, 20):.1f} ms", "< 20 ms")
    )
    rows.append(
        ("open article body", f"{timed(lambda: library.load_article(ids[0]), 20):.2f} ms", "")
    )
    rows.extend(entity_rows(library, ids))
    for article_id in ids[:3000:3]:
        edits.tag(article_id, "ceasefire")
    export = timed(lambda: dump(export_document(library, include_all=True)), 1)
    rows.append(("export YAML (all articles)", f"{export:.0f} ms", "< 3 s"))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  {'result':>22}  target")
    for name, value, target in rows:
        print(f"{name.ljust(width)}  {value:>22}  {target}")


if __name__ == "__main__":
    main()
