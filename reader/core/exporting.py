"""Writing an export to files, for the command line and the app (docs/exchange.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotations.exchange import FOLDER_FORMATS
from annotations.exchange.documents import EntityFinder
from annotations.exchange.exporting import Exported, export
from annotations.files import write_file
from annotations.library import Library
from annotations.model import Article


def entity_finder(library: Library) -> EntityFinder:
    """The entities the app shows (recognised, then everyone's corrections)."""
    from reader.core.annotating import article_entities

    def find(article: Article) -> list[tuple[int, int, str]]:
        return [(e.start, e.end, e.label) for e in article_entities(library, article)]

    return find


def build(
    library: Library,
    fmt: str,
    *,
    filters: dict[str, Any],
    entities: bool = False,
    base: str | None = None,
) -> Exported:
    """Any format of :data:`annotations.exchange.FORMATS`; CoNLL always with entities (its
    tags are theirs)."""
    finder = entity_finder(library) if entities or fmt == "conll" else None
    return export(library, fmt, filters=filters, entities=finder, w3c_base=base)


def write(exported: Exported, fmt: str, target: Path) -> None:
    """To ``target``: a file, or for brat a folder of files (made if needed)."""
    if fmt in FOLDER_FORMATS:
        for name, content in exported.files.items():
            write_file(target / name, content.encode("utf-8"), create_folder=True)
    else:
        write_file(target, exported.data, create_folder=True)
