"""Team review commands: ``done``, ``agreement``, ``adjudicate`` (docs/team.md)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from annotations.library import Library

if TYPE_CHECKING:
    from rich.text import Text

    from annotations.agreement import AgreementReport
    from annotations.agreement_metrics import Value


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
    from rich.table import Table
    from rich.text import Text

    from annotations.agreement_metrics import Undefined
    from annotations.sanitize import strip_controls

    console = Console()
    people = ", ".join(report.annotators)
    console.print(
        Text(f"{report.articles} articles compared, marked done by two or more of: {people}")
    )
    if report.tags:
        table = Table("tag", "κ", "α", "observed", "articles", title="Tags")
        for name, tag in report.tags.items():
            table.add_row(
                Text(strip_controls(name)),
                _cell(tag.kappa),
                _cell(tag.alpha),
                _cell(tag.observed, coded=False),
                str(tag.articles),
            )
        console.print(table)
    if report.labels:
        table = Table("label", "F1 exact", "F1 overlap", "α tokens", "articles", title="Labels")
        for name, label in report.labels.items():
            table.add_row(
                Text(strip_controls(name)),
                _cell(label.f1_exact),
                _cell(label.f1_overlap),
                _cell(label.alpha),
                str(label.articles),
            )
        console.print(table)
    if report.pairs and len(report.annotators) > 2:
        table = Table("a", "b", "tag / label", "κ / F1 exact", "articles", title="Pairs")
        for pair in report.pairs:
            table.add_row(
                Text(strip_controls(pair.a)),
                Text(strip_controls(pair.b)),
                Text(strip_controls(f"{pair.kind} {pair.name}")),
                _cell(pair.value),
                str(pair.articles),
            )
        console.print(table)
    reasons = sorted({v.reason for v in _all_values(report) if isinstance(v, Undefined)})
    for reason in reasons:
        console.print(Text(f"– cannot be computed: {reason}", style="dim"))
    console.print(Text("α and κ: green ≥ 0.8, yellow ≥ 0.667, red below", style="dim"))


def _all_values(report: AgreementReport) -> list[Value]:
    values: list[Value] = [p.value for p in report.pairs if len(report.annotators) > 2]
    for tag in report.tags.values():
        values += [tag.kappa, tag.alpha]
    for label in report.labels.values():
        values += [label.f1_exact, label.f1_overlap, label.alpha]
    return values


def _cell(value: Value, *, coded: bool = True) -> Text:
    """A coefficient, coloured by Krippendorff's thresholds (0.8 reliable, 0.667 tentative)."""
    from rich.text import Text

    from annotations.agreement_metrics import Undefined

    if isinstance(value, Undefined):
        return Text("–", style="dim")
    style = "green" if value >= 0.8 else "yellow" if value >= 0.667 else "red"
    return Text(f"{value:.3f}", style=style if coded else "")


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
