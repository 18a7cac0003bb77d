"""Start-up to a drawn list: our app on a library vs a bare Textual app showing a list.

    python benchmarks/startup.py LIBRARY_DIR [--runs 7]

Each run is a fresh process. It notes the time before its first import and the time the
list widget first draws a row with content (imports, library load and layout included),
then exits. Reports medians of that, and of the whole process; never asserts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMON = """
import time
START = time.perf_counter()
import os, sys

def drawn(app):
    print(f"{(time.perf_counter() - START) * 1000:.1f}", flush=True)
    os._exit(0)
"""

BARE = (
    COMMON
    + """
from textual.app import App
from textual.widgets import OptionList

class List(OptionList):
    def render_line(self, y):
        strip = super().render_line(y)
        if self.option_count and strip.text.strip():
            drawn(self.app)
        return strip

class Bare(App):
    def compose(self):
        yield List(*[f"Article {i}: a title of a typical length for news" for i in range(30)])

Bare().run(headless=True, size=(100, 30))
"""
)

OURS = (
    COMMON
    + """
from reader import cli
from reader.tui.widgets.article_list import ArticleList

original = ArticleList.render_line

def render_line(self, y):
    strip = original(self, y)
    if self.rows and strip.text.strip():
        drawn(self.app)
    return strip

ArticleList.render_line = render_line
import reader.tui.app
def headless(app, **kw):
    return reader.tui.app.App.run(app, headless=True, size=(100, 30))

reader.tui.app.ReaderApp.run = headless
cli.run(["--library", sys.argv[1]])  # the path the ``reader`` command takes
"""
)


def runs(code: str, *args: str, count: int) -> tuple[float, float]:
    import time

    inside, whole = [], []
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for _ in range(count):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", code, *args],
            check=True,
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout
        whole.append((time.perf_counter() - start) * 1000)
        inside.append(float(out.strip().splitlines()[-1]))
    return statistics.median(inside), statistics.median(whole)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("library", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from annotations.library import Library

    count = len(Library(args.library).articles())
    runs(BARE, count=1)  # warm the file cache
    bare = runs(BARE, count=args.runs)
    ours = runs(OURS, str(args.library), count=args.runs)
    print(f"{'':38} {'to drawn list':>14} {'whole process':>14}")
    print(f"{'bare Textual app, 30-item OptionList':38} {bare[0]:11.0f} ms {bare[1]:11.0f} ms")
    print(f"{f'haber-okur, {count:,}-article library':38} {ours[0]:11.0f} ms {ours[1]:11.0f} ms")
    print(f"ratio to drawn list: {ours[0] / bare[0]:.2f}x (target: within 1.5x)")


if __name__ == "__main__":
    main()
