"""Team review commands: ``done``, ``agreement``, ``adjudicate`` (docs/team.md)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from annotations.library import Library

if TYPE_CHECKING:
    from annotations.agreement import AgreementReport


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("done", help="mark articles done (agreement counts only done articles)")
    p.add_argument("articles", nargs="+", metavar="ARTICLE", help="id or unique id prefix")
    p.add_argument("--not", dest="undo", action="store_true", help="mark them not done")

    p = sub.add_parser("agreement", help="agreement between annotators, per tag and label")
    p.add_argument("--tag", action="append", metavar="T", help="only this tag (repeatable)")
    p.add_argument("--label", action="append", metavar="L", help="only this label (repeatable)")
    p.add_argument("--annotators", metavar="A,B,...", help="only these annotators")
    p.add_argument("--json", action="store_true", help="the numbers as JSON")

    p = sub.add_parser("adjudicate", help="settle disagreements in bulk into the gold layer")
    p.add_argument("--prefer", metavar="A", help="take A's version where they differ")
    p.add_argument("--tag", action="append", metavar="T", help="only this tag (repeatable)")
    p.add_argument("--label", action="append", metavar="L", help="only this label (repeatable)")


def cmd_done(library: Library, args: argparse.Namespace) -> int:
    from annotations.edits import Edits
    from reader.cli import EXIT_OK, say

    edits = Edits(library)
    for ref in args.articles:
        article_id = library.resolve(ref)
        change = edits.set_done(article_id, not args.undo)
        state = "not done" if args.undo else "done"
        say(f"{article_id}: {state}" + ("" if change else " (already)"))
    return EXIT_OK


def cmd_agreement(library: Library, args: argparse.Namespace) -> int:
    from annotations.agreement import measure
    from reader.cli import EXIT_FAILED, EXIT_OK, _print_json, say

    annotators = _names(args.annotators)
    report = measure(library, tags=args.tag, labels=args.label, annotators=annotators)
    if args.json:
        _print_json(report.to_json())
    else:
        _print_tables(report)
    if report.problem:
        say(f"reader: {report.problem}")
        return EXIT_FAILED
    return EXIT_OK


def _names(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [name.strip() for name in value.split(",") if name.strip()]


def _print_tables(report: AgreementReport) -> None:
    from rich.console import Console

    from reader.core.agreement_tables import agreement_tables

    Console().print(agreement_tables(report))


def cmd_adjudicate(library: Library, args: argparse.Namespace) -> int:
    from annotations.adjudication import settle_all
    from annotations.edits import Edits
    from annotations.review import build_review
    from reader.cli import EXIT_OK, say

    review = build_review(library, tags=args.tag, labels=args.label)
    before, total = review.progress()
    report = settle_all(Edits(library), review, args.prefer)
    for line in report.left:
        say(f"left open: {line}")
    say(f"{report.summary()} ({before} of {total} were settled before)")
    return EXIT_OK


COMMANDS = {"done": cmd_done, "agreement": cmd_agreement, "adjudicate": cmd_adjudicate}
