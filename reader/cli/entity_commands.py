"""``reader entities``: an article's entities, ``train`` a model, ``evaluate`` on a corpus.

reader entities (ARTICLE | --file PATH) [--json] [--model PATH|rules]
reader entities train [CORPUS...] [--library] [-o MODEL] [--iterations N]
reader entities evaluate CORPUS... [--model PATH|rules] [--errors] [--json]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from annotations.library import Library

USAGE = """\
reader entities (ARTICLE | --file PATH) [--json] [--model PATH|rules]
       reader entities train [CORPUS...] [--library] [-o MODEL] [--iterations N]
       reader entities evaluate CORPUS... [--model PATH|rules] [--errors] [--json]"""


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "entities",
        help="named entities of an article or a file; train or evaluate a recogniser",
        usage=USAGE,
        description="CORPUS: CoNLL (IOB1/IOB2/BIOES) or JSONL with text and spans "
        "(Prodigy, doccano). Without -o, train writes the model the app and every command use.",
    )
    p.add_argument("words", nargs="*", metavar="ARTICLE | train CORPUS... | evaluate CORPUS...")
    p.add_argument("--file", type=Path, metavar="PATH", help="a file not in the library")
    p.add_argument("--json", action="store_true", help="as JSON")
    p.add_argument(
        "--model", metavar="PATH|rules", help="the recogniser: a model file, or the rules"
    )
    p.add_argument(
        "--library",
        dest="from_library",
        action="store_true",
        help="train: also on the library's corrections and the articles they were made in",
    )
    p.add_argument("-o", "--output", type=Path, metavar="MODEL", help="train: the model file")
    p.add_argument("--iterations", type=int, default=100, help="train: at most N (100)")
    p.add_argument("--errors", action="store_true", help="evaluate: the most frequent errors")


def run(library: Library, args: argparse.Namespace) -> int:
    from reader.cli import EXIT_FAILED, UsageError, say
    from reader.entities.corpus import CorpusError
    from reader.entities.crf import ModelError

    words = list(args.words)
    mode = words[0] if words and words[0] in ("train", "evaluate") else "show"
    if mode != "show":
        words = words[1:]
    _check_options(mode, words, args)
    try:
        if args.model is not None:
            from reader.entities import models

            models.use(args.model)
        if mode == "train":
            return cmd_train(library, words, args)
        if mode == "evaluate":
            return cmd_evaluate(words, args)
        from reader.cli import cmd_entities

        args.article = words[0] if words else None
        return cmd_entities(library, args)
    except (CorpusError, ModelError) as exc:
        say(f"reader: {exc}")
        return EXIT_FAILED
    except UsageError:
        raise


def _check_options(mode: str, words: list[str], args: argparse.Namespace) -> None:
    from reader.cli import UsageError

    given = {
        "--file": args.file is not None,
        "--library": args.from_library,
        "-o": args.output is not None,
        "--errors": args.errors,
        "--iterations": args.iterations != 100,
        "--model": args.model is not None,
        "--json": args.json,
    }
    allowed = {
        "show": {"--file", "--json", "--model"},
        "train": {"--library", "-o", "--iterations"},
        "evaluate": {"--model", "--errors", "--json"},
    }[mode]
    wrong = [name for name, on in given.items() if on and name not in allowed]
    if wrong:
        what = "entities ARTICLE" if mode == "show" else f"entities {mode}"
        raise UsageError(f"{', '.join(wrong)}: not an option of {what}")
    if mode == "show" and len(words) > 1:
        raise UsageError("entities takes one ARTICLE")
    if mode == "train" and not words and not args.from_library:
        raise UsageError("entities train needs CORPUS... or --library")
    if mode == "evaluate" and not words:
        raise UsageError("entities evaluate needs CORPUS...")
    if mode == "train" and args.iterations < 1:
        raise UsageError("--iterations must be at least 1")


def cmd_train(library: Library, paths: list[str], args: argparse.Namespace) -> int:
    from reader.cli import EXIT_OK, say
    from reader.entities import crf, models
    from reader.entities.corpus import Summary, read_corpora

    summary = Summary()
    docs = read_corpora([Path(p) for p in paths], summary)
    names = [Path(p).name for p in paths]
    if paths:
        say(f"read {', '.join(paths)}: {summary.describe()}")
    if args.from_library:
        from reader.entities.learning import library_documents

        mine = Summary()
        found = library_documents(library, mine)
        say(f"read the library: {mine.describe()}")
        docs += found
        names.append("library")
    output = args.output or models.default_model_path()
    with _Bar() as progress:
        report = crf.train(
            docs, output, corpora=names, iterations=args.iterations, progress=progress
        )
    say(
        f"trained on {report.sentences} sentences ({report.tokens} tokens), labels "
        f"{', '.join(report.labels) or 'none'}, {report.iterations} iterations in "
        f"{report.seconds:.1f} s: {output}"
    )
    if args.output is None:
        say("the app and every command now use this model (--model rules: the rules)")
    return EXIT_OK


def cmd_evaluate(paths: list[str], args: argparse.Namespace) -> int:
    from reader.cli import EXIT_OK, _print_json, say
    from reader.entities import models, scoring
    from reader.entities.corpus import Summary, read_corpora

    summary = Summary()
    docs = read_corpora([Path(p) for p in paths], summary)
    recogniser = models.current()
    say(f"{', '.join(paths)}: {summary.describe()}")
    if recogniser.stale():
        say("reader: note: the model learnt from other rules than these: train it again")
    started = time.monotonic()
    scores = scoring.score(docs, recogniser.recognise)
    seconds = time.monotonic() - started
    if args.json:
        _print_json(
            {
                "recogniser": recogniser.describe(),
                "version": recogniser.version,
                "scores": scores.as_dict(),
                "errors": [
                    {"text": t, "corpus": g, "found": f, "count": n}
                    for (t, g, f), n in scores.errors.most_common(25)
                ]
                if args.errors
                else [],
            }
        )
        return EXIT_OK
    print(f"recogniser: {recogniser.describe()} ({seconds:.1f} s)")
    print("\n".join(scoring.table(scores)))
    if args.errors:
        print()
        print("most frequent errors (none: not in the corpus; missed: not found)")
        print("\n".join(scoring.error_lines(scores)))
    return EXIT_OK


class _Bar:
    """A progress bar on stderr when it is a terminal; in a pipe, a line per stage."""

    def __enter__(self) -> Any:
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}
        self.said: set[str] = set()
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self.bar = Progress(
                "{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
        return self.tick

    def tick(self, stage: str, done: int, total: int) -> None:
        if self.bar is None:
            if stage not in self.said:
                self.said.add(stage)
                from reader.cli import say

                say(f"{stage}...")
            return
        task = self.tasks.get(stage)
        if task is None:
            task = self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
