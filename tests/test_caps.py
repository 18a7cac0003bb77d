"""Caps on records, and a big import read as a stream (issue 15, item 12): a file of up to a
million records merges in bounded memory; beyond the caps a file is refused, naming the place,
and nothing of it is merged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import annotations.merge as merge
from annotations.library import Library
from annotations.merge import merge_file
from annotations.model import Article
from annotations.records import Tag
from annotations.safeyaml import YamlInputError

from .conftest import ROOT

HEAD = "format: reader-annotations\nversion: '1'\narticles:\n"


def _tags(ids: list[str], count: int, annotator: str = "bora", first: int = 0) -> str:
    """An export of ``count`` tags of ``annotator``, spread over the articles ``ids``."""
    parts = [HEAD]
    for k, article in enumerate(ids):
        parts.append(f"- id: {article}\n  tags:\n")
        parts.extend(
            f"  - id: t{i:08d}\n    annotator: {annotator}\n"
            f"    created: '2026-11-01T00:00:00.000000Z'\n    tag: etiket-{i}\n"
            for i in range(first + k, first + count, len(ids))
        )
    return "".join(parts)


def _library(folder: Path, articles: int) -> tuple[Library, list[str]]:
    library = Library(folder, annotator="ayse")
    new = [
        Article(title=f"Haber {n}", paragraphs=[("paragraph", f"Metin {n}.")])
        for n in range(articles)
    ]
    library.add_articles(new)
    return library, [a.id for a in new]


def test_more_records_of_one_annotator_on_one_article_than_the_cap_are_refused(
    tmp_path: Path, monkeypatch
):
    monkeypatch.setattr(merge, "MAX_ARTICLE_RECORDS", 50)
    library, (article,) = _library(tmp_path / "lib", 1)
    over = tmp_path / "over.yaml"
    over.write_text(_tags([article], 51), encoding="utf-8")
    with pytest.raises(YamlInputError, match=r"over\.yaml: articles\[1\]: 51 records of 'bora'"):
        merge_file(library, over)
    assert library.records(Tag) == []  # nothing of it merged

    first = tmp_path / "first.yaml"
    first.write_text(_tags([article], 30), encoding="utf-8")
    assert merge_file(library, first).added == {"tags": 30}
    second = tmp_path / "second.yaml"  # 30 more: with the library's, over the cap
    second.write_text(_tags([article], 30, first=100), encoding="utf-8")
    with pytest.raises(YamlInputError, match="with those in the library: over 50"):
        merge_file(library, second)
    assert len(library.records(Tag)) == 30
    other = tmp_path / "other.yaml"  # another annotator has a cap of their own
    other.write_text(_tags([article], 30, annotator="cem", first=200), encoding="utf-8")
    assert merge_file(library, other).added == {"tags": 30}


def test_a_file_of_more_records_than_the_cap_is_refused(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(merge, "MAX_FILE_RECORDS", 100)
    library, ids = _library(tmp_path / "lib", 3)
    big = tmp_path / "big.yaml"
    big.write_text(_tags(ids, 101), encoding="utf-8")
    with pytest.raises(YamlInputError, match="more than 100 records"):
        merge_file(library, big)
    assert library.records(Tag) == []


CHILD = """
import resource, sys, time
from pathlib import Path
from annotations.library import Library
from annotations.merge import merge_file
library = Library(Path(sys.argv[1]), annotator="ayse")
start = time.perf_counter()
report = merge_file(library, Path(sys.argv[2]))
took = time.perf_counter() - start
try:  # this process's own high-water mark (ru_maxrss starts at the parent's, from the fork)
    status = Path("/proc/self/status").read_text()
    peak = int(status.split("VmHWM:")[1].split()[0]) // 1024
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(sum(report.added.values()), peak, f"{took:.1f}")
"""


def _merge_in_a_child(folder: Path, path: Path) -> tuple[int, int, float]:
    run = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=True,
    )
    added, peak, took = run.stdout.split()
    return int(added), int(peak), float(took)


def test_a_big_import_is_merged_in_bounded_memory(tmp_path: Path, full: bool):
    """The file is read as a stream (twice: checked, then merged in batches), never built as
    one document. Measured (the child's own peak, VmHWM): 20,000 tags add 26 MB to the peak
    of a 10-record import, where reading the whole document added 92 MB. What still grows is
    what the process keeps of the library (its journals), the merged records among them."""
    count = 1_000_000 if full else 20_000
    folder = tmp_path / "lib"
    _, ids = _library(folder, 120 if full else 3)  # under the cap of 10,000 an article
    small, big = tmp_path / "small.yaml", tmp_path / "big.yaml"
    small.write_text(_tags(ids, 10), encoding="utf-8")
    big.write_text(_tags(ids, count, first=10), encoding="utf-8")
    _, baseline, _ = _merge_in_a_child(folder, small)
    added, peak, took = _merge_in_a_child(folder, big)
    assert added == count
    grown = peak - baseline
    print(f"{count:,} records: {took} s, peak {peak} MB, {grown} MB over a 10-record import")
    assert grown < (count // 500 if full else 50), grown  # old: 4.6 KB a record
