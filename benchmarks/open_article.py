"""Time from "open" to the article drawn with its entities highlighted (in the app, headless).

    python benchmarks/open_article.py LIBRARY_DIR [--count 20]

Measures the ArticleScreen's construction, mount and first render (body read, entities,
layout), per article, median; never asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def measure(library_dir: Path, count: int) -> list[float]:
    from annotations.library import Library
    from reader.tui.app import ReaderApp
    from reader.tui.widgets.article_view import ArticleView

    library = Library(library_dir)
    ids = [a["id"] for a in library.articles()[:count]]
    app = ReaderApp(library, theme="okur-dark")
    times = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for article_id in ids:
            start = time.perf_counter()
            app.open_article(article_id, ids)
            while not app.screen.query(ArticleView) or not app.screen.query_one(ArticleView).lines:
                await asyncio.sleep(0)
            app.screen.query_one(ArticleView).render_line(0)
            times.append((time.perf_counter() - start) * 1000)
            app.pop_screen()
            await pilot.pause()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("library", type=Path)
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    times = asyncio.run(measure(args.library, args.count))
    print(
        f"open an article with entities highlighted: median {statistics.median(times):.1f} ms,"
        f" max {max(times):.1f} ms over {len(times)} articles (target < 50 ms)"
    )


if __name__ == "__main__":
    main()
