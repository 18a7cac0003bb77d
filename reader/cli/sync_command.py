"""``reader sync``: exchange annotations and articles through a git repository
(docs/sharing.md)."""

from __future__ import annotations

import argparse
import sys

from annotations.library import Library


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "sync",
        help="exchange annotations and articles through a git repository",
        description="reader sync: export, commit, fetch, import, push. "
        "reader sync init REMOTE: link the library to a git remote first. "
        "reader sync status: the remote and the last commit synced.",
    )
    p.add_argument("action", nargs="?", choices=["init", "status"], help="init REMOTE, or status")
    p.add_argument("remote", nargs="?", metavar="REMOTE", help="init: any URL or path git takes")


def cmd_sync(library: Library, args: argparse.Namespace) -> int:
    from annotations.sync import Sync, SyncError
    from reader.cli import EXIT_FAILED, EXIT_OK, UsageError, say

    sync = Sync(library)
    if args.action == "init":
        if not args.remote:
            raise UsageError("sync init needs REMOTE (a git URL or path)")
        say(sync.link(args.remote))
        return EXIT_OK
    if args.remote:
        raise UsageError("REMOTE goes with sync init")
    if args.action == "status":
        state = sync.state()
        if not state.get("remote"):
            say("not linked: reader sync init REMOTE")
            return EXIT_FAILED
        say(f"remote: {state['remote']}")
        say(f"last synced commit: {state.get('base') or 'none yet'}")
        return EXIT_OK
    progress = say if sys.stderr.isatty() else None
    try:
        report = sync.run(progress)
    except SyncError as exc:
        if exc.report is not None:  # what came in before it failed is in the library
            for line in exc.report.received(library.annotator):
                say(line)
        raise
    for line in report.lines(library.annotator):
        say(line)
    return EXIT_OK if report.complete else EXIT_FAILED


COMMANDS = {"sync": cmd_sync}
