"""The TinyDB storage: atomic, locked, reloading, never overwriting a damaged file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from annotations import records
from annotations.errors import SchemaTooNewError
from annotations.library import Library

from .conftest import ROOT


def _child(folder: Path, name: str, count: int, article: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.writer_child", str(folder), name, str(count), article],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_writes_leave_no_temp_files_and_keep_a_backup(sample_library: Library):
    article = sample_library.articles()[0]["id"]
    sample_library.add_tag(article, "ceasefire")
    names = sorted(os.listdir(sample_library.folder))
    assert not [n for n in names if ".tmp-" in n]
    assert "annotations.json.bak" in names
    assert orjson.loads((sample_library.folder / "annotations.json").read_bytes())["tags"]


def test_new_files_are_not_world_writable(tmp_path: Path):
    old = os.umask(0o000)
    try:
        lib = Library(tmp_path / "lib", annotator="a")
        lib.add_tag("0" * 16, "x")
    finally:
        os.umask(old)
    mode = (lib.folder / "annotations.json").stat().st_mode
    assert not mode & 0o002


def test_damaged_file_is_moved_aside_and_last_good_state_restored(sample_library: Library):
    article = sample_library.articles()[0]["id"]
    sample_library.add_tag(article, "one")
    sample_library.add_tag(article, "two")
    path = sample_library.folder / "annotations.json"
    damaged = path.read_bytes()[:-40]
    path.write_bytes(damaged)  # in place, as a careless editor or a truncation would

    reopened = Library(sample_library.folder, annotator="ayse")
    assert reopened.tags_by_article()[article] == ["one", "two"]
    (warning,) = reopened.warnings
    aside = [p for p in sample_library.folder.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == damaged  # kept, never overwritten
    assert str(aside[0]) in warning and str(path) in warning


def test_damaged_file_without_backup_starts_empty_and_is_kept(tmp_path: Path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "annotations.json").write_text("{ this is not json")
    lib = Library(folder, annotator="a")
    assert lib.annotations("tags") == []
    assert "no backup" in lib.warnings[0]
    assert any(".damaged-" in p.name for p in folder.iterdir())


def test_schema_newer_than_known_is_refused(tmp_path: Path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "articles.json").write_bytes(orjson.dumps({"_meta": {"1": {"schema": 99}}}))
    with pytest.raises(SchemaTooNewError, match="schema version 99"):
        Library(folder).articles()


def test_stale_temp_files_are_cleaned_at_start(tmp_path: Path):
    folder = tmp_path / "lib"
    folder.mkdir()
    stale = folder / ".annotations.json.tmp-12345-1"
    stale.write_text("half")
    Library(folder)
    assert not stale.exists()


def test_another_process_write_is_seen(sample_library: Library):
    article = sample_library.articles()[0]["id"]
    assert sample_library.tags_by_article() == {}
    other = Library(sample_library.folder, annotator="mehmet")
    other.add_tag(article, "mediation")
    assert sample_library.changed_on_disk()
    assert sample_library.tags_by_article() == {article: ["mediation"]}


def test_concurrent_writer_processes_lose_nothing(sample_library: Library, full: bool):
    article = sample_library.articles()[0]["id"]
    count = 100
    children = [_child(sample_library.folder, f"w{n}", count, article) for n in range(4)]
    outputs = [c.communicate(timeout=300)[0].split() for c in children]
    assert all(c.returncode == 0 for c in children)
    assert sum(len(o) for o in outputs) == 4 * count
    tags = {r["tag"] for r in Library(sample_library.folder).annotations("tags")}
    assert tags == {t for out in outputs for t in out}


def test_writer_killed_mid_write_never_damages_the_library(sample_library: Library, full: bool):
    """SIGKILL a writer in the middle of a save, at another point of the save each round.

    A long note makes every save rewrite about a megabyte, so a save lasts milliseconds and
    most of it is spent writing: a writer that wrote the file in place would be killed with
    it truncated or half written within a few rounds. After each kill the library must open
    without a warning (the file parses) and hold every write that was acknowledged.
    """
    article = sample_library.articles()[0]["id"]
    long_note = records.note(article, "Uzun bir not; her kayıtta yeniden yazılır. " * 25_000, "a")
    sample_library.insert_new("notes", [long_note])
    rng = random.Random(7)
    points = 12  # kill points spread over one save
    acknowledged: set[str] = set()
    for round_ in range(100 if full else 12):
        child = _child(sample_library.folder, f"k{round_}", 10_000, article)
        acknowledged.add(_next_ack(child))  # the first save (it also imports TinyDB)
        start = time.perf_counter()
        acknowledged.add(_next_ack(child))  # a whole save: how long one takes
        save = time.perf_counter() - start
        time.sleep(save * (round_ % points + rng.random()) / points)  # the moment to kill
        child.send_signal(signal.SIGKILL)
        acknowledged.update(child.stdout.read().split())
        child.wait()
        reopened = Library(sample_library.folder)
        assert reopened.warnings == [], f"round {round_}"
        stored = {r["tag"] for r in reopened.annotations("tags")}
        assert acknowledged <= stored, f"round {round_}: lost {sorted(acknowledged - stored)}"
        assert [n["id"] for n in reopened.annotations("notes")] == [long_note["id"]]
    assert len(acknowledged) >= 24


def _next_ack(child: subprocess.Popen) -> str:
    line = child.stdout.readline().strip()
    assert line, f"the writer stopped early (exit code {child.wait()})"
    return line


def test_records_handed_out_do_not_change_when_the_library_does(sample_library: Library):
    article = sample_library.articles()[0]["id"]
    record = {"id": "r1", "article": article, "tag": "a", "annotator": "x", "created": "1"}
    sample_library.insert_new("tags", [record])
    before = sample_library.annotations("tags")[0]
    sample_library.upsert("tags", {**record, "tag": "b"})
    assert before["tag"] == "a"  # a snapshot, not an alias of TinyDB's document
    assert sample_library.annotations("tags")[0]["tag"] == "b"


def test_body_temp_files_of_dead_importers_are_cleaned(sample_library: Library, tmp_path: Path):
    import os as os_

    from reader.importing import import_parsed
    from reader.ingest import parse_bytes

    folder = sample_library.bodies / "ab"
    folder.mkdir(exist_ok=True)
    dead = folder / ".abcdef.json.tmp-999999-1"
    alive = folder / f".abcdef.json.tmp-{os_.getpid()}-1"
    dead.write_text("half")
    alive.write_text("being written")
    import_parsed(sample_library, [parse_bytes("n.txt", b"Yeni haber\n\nMetin.")])
    assert not dead.exists() and alive.exists()
