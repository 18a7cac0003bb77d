"""Import files into a library: parse, store in batches, report every failure by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotations.library import Library
from annotations.model import Article
from reader.ingest import Parsed, iter_files, parse_bytes, parse_path

BATCH = 500


@dataclass
class ImportReport:
    files: int = 0
    added: int = 0
    present: int = 0
    updated: int = 0  # new versions of articles already in the library
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)

    def summary(self) -> str:
        return (
            f"{self.files} file{'' if self.files == 1 else 's'}: {self.added} imported, "
            f"{self.present} already present, "
            f"{len(self.failed)} failed, updated: {self.updated}"
        )


Progress = Callable[[int, int], None]  # (files done, files in all)


def import_parsed(
    library: Library,
    parsed: Iterable[Parsed],
    progress: Progress | None = None,
    total: int = 0,
) -> ImportReport:
    report = ImportReport()
    pending: list[Article] = []

    def flush() -> None:
        result = library.add_articles(pending)
        report.added += len(result.added)
        report.present += len(result.present)
        report.updated += len(result.updated)
        pending.clear()

    for item in parsed:
        report.files += 1
        pending.extend(item.articles)
        report.failed.extend((item.path, reason) for reason in item.problems)
        if len(pending) >= BATCH:
            flush()
        if progress:
            progress(report.files, total)
    if pending:
        flush()
    return report


def import_paths(
    library: Library, paths: list[Path], progress: Progress | None = None
) -> ImportReport:
    missing = [p for p in paths if not p.exists()]
    files = list(iter_files(p for p in paths if p.exists()))
    report = import_parsed(library, (parse_path(p) for p in files), progress, len(files))
    report.failed[:0] = [(str(p), "no such file or folder") for p in missing]
    return report


def import_samples(library: Library) -> ImportReport:
    from reader.core.location import sample_files

    return import_parsed(library, (parse_bytes(name, data) for name, data in sample_files()))
