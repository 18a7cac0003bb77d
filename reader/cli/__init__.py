"""The command line: parse arguments, call the library, print. Exit 0 / 1 / 2 (docs/design.md)."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from annotations.errors import LibraryError, TeamAnnotatorError
from annotations.library import Library
from reader import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
COLOR_SYSTEMS = {"auto": "auto", "16": "standard", "256": "256", "truecolor": "truecolor"}


def say(message: object) -> None:
    """A message on stderr. Messages quote input (file names, ids, titles, tags, YAML
    values), so escape sequences and control characters are taken out first."""
    from annotations.sanitize import strip_controls

    print(strip_controls(str(message)), file=sys.stderr)


class UsageError(Exception):
    """A mistake in how the command was called (exit 2)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reader", description="Read and annotate news articles.")
    parser.add_argument("--version", action="version", version=f"haber-okur {__version__}")
    parser.add_argument("--library", metavar="DIR", help="library folder (or READER_LIBRARY)")
    parser.add_argument("--annotator", metavar="NAME", help="your name (default: login name)")
    parser.add_argument("--theme", metavar="NAME", help="theme for this run (app only)")
    parser.add_argument(
        "--colors",
        choices=sorted(COLOR_SYSTEMS),
        help="force the colour system (ssh does not forward COLORTERM); or READER_COLORS",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", help="prepare a library folder (--shared: for a team)")
    p.add_argument("folder", type=Path, metavar="DIR")
    p.add_argument(
        "--shared",
        metavar="GROUP",
        help="a team library: the group's members all read it, each writes only their own",
    )

    p = sub.add_parser("import", help="import article files or folders (recursive), or web pages")
    p.add_argument("paths", nargs="*", metavar="PATH|URL", help="files, folders, http(s) URLs")
    p.add_argument("--samples", action="store_true", help="add the bundled sample articles")
    p.add_argument(
        "--timeout", type=float, default=20.0, metavar="SECONDS", help="per URL (default 20)"
    )

    p = sub.add_parser("list", help="one line per article")
    p.add_argument("--tag", help="only articles with this tag")
    p.add_argument("--search", metavar="TEXT", help="only articles matching TEXT")
    p.add_argument("--json", action="store_true", help="JSON: id, title, source, date, tags, read")

    p = sub.add_parser("show", help="show an article")
    p.add_argument("article", metavar="ARTICLE", help="id or unique id prefix")
    p.add_argument("--json", action="store_true", help="every parsed field as JSON")
    p.add_argument(
        "--versions",
        action="store_true",
        help="the article's stored versions: id, date imported, title, length",
    )

    for name, verb in (("tag", "add"), ("untag", "remove")):
        p = sub.add_parser(name, help=f"{verb} tags on an article")
        p.add_argument("article", metavar="ARTICLE")
        p.add_argument("tags", nargs="+", metavar="TAG")

    from reader.cli import entity_commands

    entity_commands.add_parser(sub)

    p = sub.add_parser("entity-list", help="your entity corrections: export, or import")
    p.add_argument("action", choices=["export", "import"])
    p.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="import: YAML entity lists or spaCy/Prodigy patterns (.jsonl)",
    )
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="export: file")

    p = sub.add_parser(
        "import-annotations", help="merge annotations: YAML, or other tools' files (exchange.md)"
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--format",
        choices=["auto", "yaml", "jsonl", "doccano", "brat", "label-studio"],
        default="auto",
        help="auto: by name and content (.yaml/.yml YAML, a folder or .ann brat)",
    )
    p.add_argument(
        "--as",
        dest="as_kind",
        choices=["passages", "entities"],
        default="passages",
        help="other tools' labels become passages (default) or entity corrections",
    )

    from annotations.exchange import FORMATS

    p = sub.add_parser("export", help="export annotations (docs/exchange.md)")
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="yaml",
        help="yaml (v1, for merging), jsonl (Prodigy/spaCy), doccano, brat (a folder), "
        "conll (IOB2 entities), label-studio, w3c (Web Annotation)",
    )
    p.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="file (default: stdout); brat: a folder"
    )
    p.add_argument(
        "--entities", action="store_true", help="add each article's entities (as corrected)"
    )
    p.add_argument("--config", type=Path, metavar="FILE", help="label-studio: its labelling config")
    p.add_argument("--base", metavar="IRI", help="w3c: the IRI creators' ids start with")
    p.add_argument("--tag", help="only articles with this tag")
    p.add_argument("--annotator", dest="only_annotator", metavar="A", help="only A's annotations")
    p.add_argument("--all", action="store_true", help="include articles with no annotations")
    p.add_argument("--gold", action="store_true", help="the settled annotations (gold layer)")

    from reader.cli import feed_commands, serve_command, sync_command, team_commands

    team_commands.add_parsers(sub)
    feed_commands.add_parsers(sub)
    sync_command.add_parsers(sub)
    serve_command.add_parsers(sub)

    p = sub.add_parser("stats", help="the corpus at a glance: sources, weeks, tags, progress")
    p.add_argument("--json", action="store_true", help="the same numbers as JSON")
    p.add_argument(
        "--count-entities",
        action="store_true",
        help="count the entities of every article not counted yet (else half a second a run)",
    )
    return parser


def open_library(args: argparse.Namespace) -> Library:
    from reader.core.location import library_dir

    folder, is_default = library_dir(args.library)
    fresh = is_default and not Library.exists(folder)
    library = Library(folder, args.annotator)
    if fresh:
        from reader.core.importing import import_samples

        import_samples(library)
    return library


def run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return run_app(args)
    if args.command == "init":
        return cmd_init(args)
    try:
        library = open_library(args)
        code = COMMANDS[args.command](library, args)
        # after the command: damaged files are found (and restored) as they are read
        for warning in library.warnings:
            say(f"reader: warning: {warning}")
        for notice in library.notices:  # said once: e.g. the library was migrated
            say(f"reader: {notice}")
        return code
    except (UsageError, TeamAnnotatorError) as exc:
        say(f"reader: error: {exc}")
        return EXIT_USAGE
    except LibraryError as exc:
        say(f"reader: {exc}")
        return EXIT_FAILED
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK


def run_app(args: argparse.Namespace) -> int:
    gc.disable()  # start-up allocates much and frees little: collect after the first paint
    try:
        library = open_library(args)
    except LibraryError as exc:
        say(f"reader: {exc}")
        return EXIT_USAGE if isinstance(exc, TeamAnnotatorError) else EXIT_FAILED
    colors = args.colors or os.environ.get("READER_COLORS")
    if colors in COLOR_SYSTEMS:  # read by Textual when it is imported
        os.environ["TEXTUAL_COLOR_SYSTEM"] = COLOR_SYSTEMS[colors]
    from reader.tui.app import ReaderApp

    app = ReaderApp(library, theme=args.theme)
    app.run()
    return app.return_code or EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from annotations.team import init_library

    try:
        say(init_library(args.folder, args.shared))
    except LibraryError as exc:
        say(f"reader: error: {exc}")
        return EXIT_USAGE if isinstance(exc.__cause__, KeyError) else EXIT_FAILED
    return EXIT_OK


def cmd_import(library: Library, args: argparse.Namespace) -> int:
    from reader.core.importing import ImportReport, import_paths, import_samples

    if not args.paths and not args.samples:
        raise UsageError("import needs PATH... or --samples")
    report = import_samples(library) if args.samples else ImportReport()
    from reader.ingest.web.urls import looks_like_url

    urls = [p for p in args.paths if looks_like_url(p)]
    paths = [Path(p) for p in args.paths if not looks_like_url(p)]
    found_all = []
    if paths:
        with _progress() as tick:
            found_all.append(import_paths(library, paths, tick))
    if urls:  # article pages from the web (docs/feeds.md)
        from reader.core.fetching import import_urls

        found_all.append(import_urls(library, urls, args.timeout))
    for found in found_all:
        report.files += found.files
        report.added += found.added
        report.present += found.present
        report.updated += found.updated
        report.failed += found.failed
    for path, reason in report.failed:
        say(f"{path}: {reason}")
    say(report.summary())
    return EXIT_FAILED if report.failed else EXIT_OK


class _progress:
    """A progress bar on stderr when it is a terminal and the import is long; nothing in a
    pipe."""

    def __enter__(self) -> Any:
        self.bar = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self.bar = Progress(
                "importing",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.task = self.bar.add_task("import", total=None)
        return self.tick

    def tick(self, done: int, total: int) -> None:
        if self.bar is not None and total >= 200:
            if not self.bar.live.is_started:
                self.bar.start()
            self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None and self.bar.live.is_started:
            self.bar.stop()


def _list_rows(library: Library, args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = library.articles()
    tags = library.tags_by_article()
    if args.tag:
        rows = [r for r in rows if args.tag in tags.get(r["id"], [])]
    if args.search:
        from reader.core.search import Searcher

        rows = Searcher(library.search_keys()).search(args.search, rows)
    return rows


def cmd_list(library: Library, args: argparse.Namespace) -> int:
    rows = _list_rows(library, args)
    tags = library.tags_by_article()
    read = library.read_ids()
    if args.json:
        out = [
            {
                "id": r["id"],
                "title": r["title"],
                "source": r.get("source"),
                "date": r.get("date"),
                "tags": tags.get(r["id"], []),
                "read": r["id"] in read,
            }
            for r in rows
        ]
        _print_json(out)
        return EXIT_OK
    for r in rows:
        mark = " " if r["id"] in read else "*"
        tag_text = f"  [{', '.join(tags[r['id']])}]" if tags.get(r["id"]) else ""
        source = (r.get("source") or "-")[:18]
        print(
            f"{mark} {r['id']}  {r.get('date') or '----------'}  {source:<18}  "
            f"{r['title']}{tag_text}"
        )
    return EXIT_OK


def _show_versions(library: Library, article_id: str, *, as_json: bool) -> int:
    """One line per stored version, oldest first; the last is the text shown."""
    from annotations.sanitize import clean_line

    history = library.version_history(article_id)
    if as_json:
        _print_json(history)
        return EXIT_OK
    for number, version in enumerate(history, start=1):
        length = version["length"]
        print(
            f"{number}  {version['id']}  {(version['imported'] or '-')[:19].replace('T', ' ')}"
            f"  {length if length is not None else '-':>7} chars  "
            f"{clean_line(version['title'] or '')}"
        )
    return EXIT_OK


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    from annotations.textfold import reads_turkish, upper

    article_id = library.resolve(args.article)
    if args.versions:
        return _show_versions(library, article_id, as_json=args.json)
    article = library.load_article(article_id)
    if args.json:
        from annotations.taxonomy import suggest_tags
        from reader.core.annotating import article_entities, taxonomy

        record = article.to_record()
        if record["id"] != article_id:  # an updated article: the entry's id, its newest text
            record["version_id"], record["id"] = record["id"], article_id
        record["tags"] = library.tags_by_article().get(article_id, [])
        record["entities"] = [e.as_dict() for e in article_entities(library, article)]
        known = taxonomy()
        if known.problem:
            say(f"reader: warning: {known.problem}")
        record["suggested_tags"] = suggest_tags(article.text, known)
        _print_json(record)
        return EXIT_OK
    meta = [article.source, article.date, article.agency]
    print(article.title)
    print(" · ".join(m for m in meta if m))
    if article.keywords:
        print("keywords: " + ", ".join(article.keywords))
    tags = library.tags_by_article().get(article_id, [])
    if tags:
        print("tags: " + ", ".join(tags))
    print()
    turkish = reads_turkish(article.text)
    for block in article.blocks[1:]:
        text = article.text[block.start : block.end]
        print(upper(text, turkish=turkish) if block.kind == "subheading" else text)
        print()
    return EXIT_OK


def cmd_tag(library: Library, args: argparse.Namespace) -> int:
    from annotations.edits import Edits
    from annotations.sanitize import clean_line

    article_id = library.resolve(args.article)
    names = [clean_line(tag) for tag in args.tags]
    if not all(names):
        raise UsageError(f"empty tag in {args.tags!r}")
    edits = Edits(library)
    if args.command == "tag":
        edits.tag(article_id, *names)
    else:
        edits.untag(article_id, *names)
    return EXIT_OK


def cmd_entities(library: Library, args: argparse.Namespace) -> int:
    from reader.core.annotating import article_entities

    if bool(args.article) == bool(args.file):
        raise UsageError("entities needs ARTICLE or --file PATH (one of them)")
    if args.file:
        from reader.ingest import parse_path

        parsed = parse_path(args.file)
        if not parsed.articles:
            reasons = "; ".join(parsed.problems) or "no article found"
            say(f"{args.file}: {reasons}")
            return EXIT_FAILED
        articles = parsed.articles
    else:
        articles = [library.load_article(library.resolve(args.article))]
    several = len(articles) > 1  # a JSON/JSONL file of many records: say which article
    rows = []
    for number, article in enumerate(articles, start=1):
        for entity in article_entities(library, article):
            row = entity.as_dict()
            if several:
                row.update(article=number, article_id=article.id)
            rows.append(row)
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            where = f"{row['article']:>3} " if several else ""
            print(f"{where}{row['start']:>7} {row['end']:>7}  {row['label']:<7} {row['text']}")
    return EXIT_OK


def _each_file(paths: list[Path], handle: Callable[[Path], list[str]]) -> int:
    """Run ``handle`` on each file: it returns the lines to report, problems first and a
    summary last. A file that cannot be read is named and skipped, and makes the exit code 1;
    so does any reported problem (something that could not be placed)."""
    from annotations.safeyaml import YamlInputError

    failed = False
    for path in paths:
        try:
            lines = handle(path)
        except YamlInputError as exc:
            say(f"reader: {exc}")
            failed = True
            continue
        for line in lines:
            say(line)
        failed = failed or len(lines) > 1
    return EXIT_FAILED if failed else EXIT_OK


def cmd_entity_list(library: Library, args: argparse.Namespace) -> int:
    from annotations import entity_list
    from annotations.yamlio import dump

    if args.action == "export":
        _write_output(dump(entity_list.export_document(library)).encode("utf-8"), args.output)
        return EXIT_OK
    if not args.files:
        raise UsageError("entity-list import needs FILE...")

    def handle(path: Path) -> list[str]:
        report = entity_list.import_file(library, path)
        return [f"skipped: {line}" for line in report.skipped] + [
            f"{path}: {report.added} added, {report.already} already present, "
            f"{len(report.skipped)} skipped"
        ]

    return _each_file(args.files, handle)


def cmd_import_annotations(library: Library, args: argparse.Namespace) -> int:
    from annotations.exchange import reading
    from annotations.merge import merge, merge_file

    def handle(path: Path) -> list[str]:
        fmt = args.format
        if fmt == "auto":
            yaml_name = path.suffix in (".yaml", ".yml")
            fmt = "yaml" if yaml_name else reading.detect(path)
        if fmt == "yaml":
            report = merge_file(library, path)
            foreign: list[str] = []
        else:
            read = reading.read(
                path, fmt, library.annotator, as_entities=args.as_kind == "entities"
            )
            report = merge(library, read.entries, str(path))
            foreign = read.problems
        problems = foreign + (
            [f"{path}: unknown article {line}" for line in report.unknown_articles]
            + [f"{path}: conflict: {line}" for line in report.conflicts]
            + [f"{path}: orphaned (text changed, not found): {line}" for line in report.orphaned]
        )
        return [*problems, f"{path}: {report.summary()}"]

    return _each_file(args.files, handle)  # a problem line: exit 1


def cmd_export(library: Library, args: argparse.Namespace) -> int:
    from annotations.exchange import FOLDER_FORMATS
    from reader.core import exporting

    if args.format in FOLDER_FORMATS and args.output is None:
        raise UsageError(f"--format {args.format} writes a folder: give it with -o DIR")
    if args.gold and args.only_annotator:
        raise UsageError("--gold exports the settled annotations, not one annotator's")
    if args.config and args.format != "label-studio":
        raise UsageError("--config is for --format label-studio")
    if args.base and args.format != "w3c":
        raise UsageError("--base is for --format w3c")
    filters = {
        "tag": args.tag,
        "annotator": args.only_annotator,
        "include_all": args.all,
        "gold": args.gold,
    }
    exported = exporting.build(
        library, args.format, filters=filters, entities=args.entities, base=args.base
    )
    if args.output is not None:
        exporting.write(exported, args.format, args.output.resolve())
    else:
        _write_output(exported.data, None)
    if args.config:
        _write_output(exported.extra["config"].encode("utf-8"), args.config)
    if args.output:
        say(f"exported {exported.articles} articles to {args.output}")
    return EXIT_OK


def cmd_stats(library: Library, args: argparse.Namespace) -> int:
    from reader.cli import stats

    return stats.run(library, args)


def _write_output(data: bytes, output: Path | None) -> None:
    """To the file named (atomically: never half a file), or to standard output."""
    if output is not None:
        from annotations.files import write_file

        write_file(output.resolve(), data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _print_json(value: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


COMMANDS = {
    "import": cmd_import,
    "list": cmd_list,
    "show": cmd_show,
    "tag": cmd_tag,
    "untag": cmd_tag,
    "export": cmd_export,
    "import-annotations": cmd_import_annotations,
    "entity-list": cmd_entity_list,
    "stats": cmd_stats,
}


def _team_commands() -> None:
    from reader.cli.entity_commands import run as entities
    from reader.cli.feed_commands import COMMANDS as FEEDS
    from reader.cli.serve_command import COMMANDS as SERVE
    from reader.cli.sync_command import COMMANDS as SYNC
    from reader.cli.team_commands import COMMANDS as TEAM

    COMMANDS.update(TEAM)
    COMMANDS.update(FEEDS)
    COMMANDS.update(SYNC)
    COMMANDS.update(SERVE)
    COMMANDS["entities"] = entities


_team_commands()
