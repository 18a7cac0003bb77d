"""Feeds and pages from the web: ``feeds add|list|remove``, ``fetch`` (docs/feeds.md).
The web stack is imported only when one of them runs."""

from __future__ import annotations

import argparse

from annotations.library import Library

DEFAULT_TIMEOUT = 20.0


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        raise argparse.ArgumentTypeError(f"not a number of seconds between 0 and 3600: {value!r}")
    return seconds


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("feeds", help="the library's RSS and Atom feeds: add, list, remove")
    actions = p.add_subparsers(dest="feeds_action", metavar="ACTION", required=True)
    a = actions.add_parser("add", help="add a feed (or the feed a site's page links to)")
    a.add_argument("url", metavar="URL")
    a.add_argument("--name", metavar="NAME", help="what to call it (default: its title)")
    a.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS")
    a = actions.add_parser("list", help="name, URL, last fetch, last status, items")
    a.add_argument("--json", action="store_true", help="the feeds as JSON")
    a = actions.add_parser("remove", help="remove a feed")
    a.add_argument("feed", metavar="NAME|URL")

    p = sub.add_parser("fetch", help="fetch the feeds, then every new item's page, and import")
    p.add_argument("feeds", nargs="*", metavar="NAME|URL", help="only these feeds")
    p.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"per request (default {DEFAULT_TIMEOUT:g})",
    )
    p.add_argument("--json", action="store_true", help="the summary as JSON on stdout")


def cmd_feeds(library: Library, args: argparse.Namespace) -> int:
    from reader.cli import EXIT_OK, EXIT_USAGE, _print_json, say
    from reader.core import fetching

    if args.feeds_action == "add":
        try:
            _, said = fetching.add_feed(library, args.url, args.name, args.timeout)
        except fetching.Refused as exc:
            say(f"reader: error: {exc}")
            return EXIT_USAGE
        for line in said:
            say(line)
        return EXIT_OK
    if args.feeds_action == "remove":
        feed = fetching.remove_feed(library, args.feed)
        say(f"removed {feed.name!r} ({feed.url})")
        return EXIT_OK
    feeds = fetching.list_feeds(library)
    if args.json:
        _print_json([f.listing() for f in feeds])
        return EXIT_OK
    from annotations.sanitize import strip_controls

    for f in feeds:
        last = (f.last_fetch or "never")[:19].replace("T", " ")
        line = f"{f.name}\t{f.url}\t{last}\t{f.last_status or '-'}\t{f.items} items"
        print(strip_controls(line.replace("\t", "  ")))
    if not feeds:
        say("no feeds: add one with `reader feeds add URL`")
    return EXIT_OK


def cmd_fetch(library: Library, args: argparse.Namespace) -> int:
    from reader.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, _print_json, say
    from reader.core import fetching

    if not fetching.list_feeds(library) and not args.feeds:
        say("reader: no feeds to fetch: add one with `reader feeds add URL`")
        return EXIT_OK
    try:
        report = fetching.fetch_feeds(library, args.feeds, args.timeout)
    except fetching.Refused as exc:
        say(f"reader: error: {exc}")
        return EXIT_USAGE
    for url, reason in report.failed:
        say(f"{url}: {reason}")
    say(report.summary())
    if args.json:
        _print_json(
            {
                "new": report.new,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "failed": [{"url": u, "reason": r} for u, r in report.failed],
            }
        )
    return EXIT_FAILED if report.failed else EXIT_OK


COMMANDS = {"feeds": cmd_feeds, "fetch": cmd_fetch}
