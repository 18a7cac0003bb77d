"""Fetching feeds against a local slow server (issue 17, docs/performance.md).

    python benchmarks/feeds.py [--hosts 20] [--items 10] [--delay 0.3] [--runs 3]

Every request is answered ``--delay`` seconds late. Each host (127.0.0.2, 127.0.0.3, ...: the
loopback network, one server each) has one RSS feed of ``--items`` items, each item a page of
its own on that host. Measures, each run on a fresh library: one host alone (its feed and its
pages: ``items + 1`` requests, serial by design), then every host at once, then every host
again (all 304). Targets: all hosts within 3x the serial cost of one host; the second fetch
under 1.5 s. Never asserts; prints the medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.feeds import feed_store  # noqa: E402
from annotations.library import Library  # noqa: E402
from reader.core.fetching import fetch_feeds  # noqa: E402
from tests.webserver import Server, page, rss  # noqa: E402

WORDS = (
    "Ankara'da bugün yapılan toplantıda yeni ekonomi paketinin ayrıntıları açıklandı ve "
    "bakanlar gazetecilerin sorularını tek tek yanıtladı. "
)


def serve(stack: ExitStack, hosts: int, items: int, delay: float) -> list[Server]:
    servers = []
    for h in range(hosts):
        server = stack.enter_context(Server(delay=delay, host=f"127.0.0.{h + 2}"))
        entries = []
        for i in range(items):
            path = f"/haber/{i}"
            paragraphs = [f"Sunucu {h}, haber {i}, paragraf {p}. " + WORDS * 3 for p in range(8)]
            server.add(
                path,
                page(f"Haber {h}-{i}", paragraphs),
                headers={"Content-Type": "text/html; charset=utf-8"},
            )
            entries.append({"title": f"Haber {h}-{i}", "link": server.url(path)})
        server.add(
            "/rss.xml",
            rss(entries, title=f"Ajans {h}"),
            headers={"Content-Type": "application/rss+xml"},
            etag=f'"{h}"',
        )
        servers.append(server)
    return servers


def timed(library: Library) -> tuple[float, str]:
    start = time.perf_counter()
    report = fetch_feeds(library)
    return time.perf_counter() - start, report.summary()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--delay", type=float, default=0.3)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    one, every, again = [], [], []
    with ExitStack() as stack:
        servers = serve(stack, args.hosts, args.items, args.delay)
        for run in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                solo = Library(Path(tmp) / "solo", annotator="bench")
                feed_store(solo).add(servers[0].url("/rss.xml"), "solo", None)
                seconds, said = timed(solo)
                one.append(seconds)
                print(f"run {run + 1}: one host   {seconds:6.2f} s  {said}", flush=True)
                library = Library(Path(tmp) / "all", annotator="bench")
                for i, server in enumerate(servers):
                    feed_store(library).add(server.url("/rss.xml"), f"ajans-{i}", None)
                seconds, said = timed(library)
                every.append(seconds)
                print(f"run {run + 1}: all hosts  {seconds:6.2f} s  {said}", flush=True)
                seconds, said = timed(library)
                again.append(seconds)
                print(f"run {run + 1}: again      {seconds:6.2f} s  {said}", flush=True)
    serial = (args.items + 1) * args.delay
    m1, m2, m3 = (statistics.median(x) for x in (one, every, again))
    print(f"\n{args.hosts} hosts x {args.items} items, {args.delay:g} s per request")
    print(f"one host alone:  {m1:.2f} s (its {args.items + 1} requests serially: {serial:.2f} s)")
    print(f"all hosts:       {m2:.2f} s (target: under 3 x {serial:.2f} = {3 * serial:.2f} s)")
    print(f"again, all 304:  {m3:.2f} s (target: under 1.5 s)")


if __name__ == "__main__":
    main()
