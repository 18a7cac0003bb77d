"""Storage: the TinyDB article store (atomic, locked, reloading, never overwriting a damaged
file) and the annotators' journals (appends seen by others, nothing lost to kills)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from annotations.edits import Edits
from annotations.errors import SchemaTooNewError
from annotations.library import Library
from annotations.model import Article
from annotations.records import Note, Tag
from reader.core.importing import import_parsed
from reader.ingest import parse_bytes

from .conftest import ROOT


def _child(
    folder: Path, name: str, count: int, article: str, mode: str = "tags"
) -> subprocess.Popen:
    args = [str(folder), name, str(count), article, mode]
    return subprocess.Popen(
        [sys.executable, "-m", "tests.writer_child", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def add_article(library: Library, title: str) -> None:
    import_parsed(library, [parse_bytes(f"{title}.txt", f"{title}\n\nMetin {title}.".encode())])


def test_writes_leave_no_temp_files_and_keep_a_backup(sample_library: Library):
    article = sample_library.articles()[0]["id"]
    Edits(sample_library).tag(article, "ceasefire")
    names = [p.name for p in sample_library.folder.rglob("*")]
    assert not [n for n in names if ".tmp-" in n]
    assert (sample_library.folder / "articles" / "ayse.json.bak").exists()
    assert b"ceasefire" in (sample_library.folder / "annotations" / "ayse.jsonl").read_bytes()


def test_new_files_are_not_world_writable(tmp_path: Path):
    old = os.umask(0o000)
    try:
        lib = Library(tmp_path / "lib", annotator="a")
        add_article(lib, "Bir")
        Edits(lib).tag(lib.articles()[0]["id"], "x")
    finally:
        os.umask(old)
    for path in (lib.folder / "articles" / "a.json", lib.folder / "annotations" / "a.jsonl"):
        assert not path.stat().st_mode & 0o002, path


def test_damaged_file_is_moved_aside_and_last_good_state_restored(tmp_path: Path):
    library = Library(tmp_path / "lib", annotator="ayse")
    add_article(library, "Bir")
    add_article(library, "İki")
    path = library.folder / "articles" / "ayse.json"
    damaged = path.read_bytes()[:-40]
    path.write_bytes(damaged)  # in place, as a careless editor or a truncation would

    reopened = Library(library.folder, annotator="ayse")
    assert sorted(a["title"] for a in reopened.articles()) == ["Bir", "İki"]
    (warning,) = reopened.warnings
    aside = [p for p in path.parent.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == damaged  # kept, never overwritten
    assert str(aside[0]) in warning and str(path) in warning


def test_a_shard_damaged_anywhere_is_restored_from_its_backup(tmp_path: Path, full: bool):
    """The shard cut short at a random point, or a random byte of it made invalid UTF-8:
    each time the library opens with a warning and both articles (8 damages, 300 with
    ``--full``)."""
    library = Library(tmp_path / "lib", annotator="ayse")
    add_article(library, "Bir")
    add_article(library, "İki")
    path = library.folder / "articles" / "ayse.json"
    good = path.read_bytes()
    rng = random.Random(15)
    rounds = 300 if full else 8
    for round_ in range(rounds):
        at = rng.randrange(len(good))
        damaged = good[:at] if round_ % 2 else good[:at] + b"\xff" + good[at + 1 :]
        path.write_bytes(damaged)
        reopened = Library(library.folder, annotator="ayse")
        titles = sorted(a["title"] for a in reopened.articles())
        assert titles == ["Bir", "İki"], (round_, at)
        assert len(reopened.warnings) == 1 and str(path) in reopened.warnings[0], round_
        assert path.read_bytes() == good  # restored
        for aside in path.parent.glob("ayse.json.damaged-*"):
            assert aside.read_bytes() == damaged  # kept as it was
            aside.unlink()
    print(f"{rounds} damaged shards restored")  # with -s


@pytest.mark.parametrize("content", [b"", b"  \n"], ids=["empty", "whitespace"])
def test_an_empty_file_is_damage_and_the_backup_is_restored(tmp_path: Path, content: bytes):
    library = Library(tmp_path / "lib", annotator="ayse")
    add_article(library, "Bir")
    path = library.folder / "articles" / "ayse.json"
    path.write_bytes(content)
    reopened = Library(library.folder, annotator="ayse")
    assert [a["title"] for a in reopened.articles()] == ["Bir"]  # not an empty library
    (warning,) = reopened.warnings
    assert "empty" in warning and str(path.with_name("ayse.json.bak")) in warning
    add_article(reopened, "İki")  # the next write keeps what the backup held
    assert sorted(a["title"] for a in Library(library.folder).articles()) == ["Bir", "İki"]


def test_damaged_file_without_backup_starts_empty_and_is_kept(tmp_path: Path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "articles.json").write_text("{ this is not json")
    lib = Library(folder, annotator="a")
    assert lib.articles() == []
    assert "no backup" in lib.warnings[0]
    assert any(".damaged-" in p.name for p in folder.iterdir())


def test_schema_newer_than_known_is_refused(tmp_path: Path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "articles.json").write_bytes(orjson.dumps({"_meta": {"1": {"schema": 99}}}))
    with pytest.raises(SchemaTooNewError, match="schema version 99"):
        Library(folder).articles()


def test_stale_temp_files_are_cleaned_before_writing(tmp_path: Path):
    folder = tmp_path / "lib"
    (folder / "articles").mkdir(parents=True)
    stale = folder / "articles" / ".a.json.tmp-12345-1"
    stale.write_text("half")
    add_article(Library(folder, annotator="a"), "Bir")
    assert not stale.exists()


def test_another_process_write_is_seen(sample_library: Library):
    article = sample_library.articles()[0]["id"]
    assert sample_library.tags_by_article() == {}
    other = Library(sample_library.folder, annotator="mehmet")
    Edits(other).tag(article, "mediation")
    assert sample_library.changed_on_disk()
    assert sample_library.tags_by_article() == {article: ["mediation"]}


def test_concurrent_writer_processes_lose_nothing(sample_library: Library, full: bool):
    article = sample_library.articles()[0]["id"]
    count = 100
    children = [_child(sample_library.folder, f"w{n}", count, article) for n in range(4)]
    outputs = [c.communicate(timeout=300)[0].split() for c in children]
    assert all(c.returncode == 0 for c in children)
    assert sum(len(o) for o in outputs) == 4 * count
    tags = {r.tag for r in Library(sample_library.folder).records(Tag)}
    assert tags == {t for out in outputs for t in out}


def kill_rounds(child_for, rounds: int, check) -> set[str]:
    """SIGKILL a writer in the middle of a save, at another point of the save each round;
    ``check(acknowledged, round)`` after each kill."""
    rng = random.Random(7)
    points = 12  # kill points spread over one save
    acknowledged: set[str] = set()
    for round_ in range(rounds):
        child = child_for(round_)
        acknowledged.add(_next_ack(child))  # the first save (it also imports the library)
        start = time.perf_counter()
        acknowledged.add(_next_ack(child))  # a whole save: how long one takes
        save = time.perf_counter() - start
        time.sleep(save * (round_ % points + rng.random()) / points)  # the moment to kill
        child.send_signal(signal.SIGKILL)
        acknowledged.update(child.stdout.read().split())
        child.wait()
        check(acknowledged, round_)
    assert len(acknowledged) >= 2 * rounds
    print(f"{rounds} kills, {len(acknowledged)} acknowledged saves, none lost")  # with -s
    return acknowledged


def test_writer_killed_mid_append_never_loses_a_saved_annotation(
    sample_library: Library, tmp_path: Path, full: bool
):
    """Each save appends a note of a megabyte to the writer's journal; every round writes to
    the same journal, so a line torn by a kill must not take the next round's save with it.
    (A kill seldom tears one write: this catches a writer that glues onto a torn line in about
    half the runs; tests/test_journal.py tears a line by hand and catches it every time.)"""
    folder = _fast_folder(tmp_path) / "lib"
    shutil.copytree(sample_library.folder, folder)
    article = sample_library.articles()[0]["id"]

    def check(acknowledged: set[str], round_: int) -> None:
        reopened = Library(folder)
        assert reopened.warnings == [], f"round {round_}"
        stored = {n.text.split(" ", 1)[0] for n in reopened.records(Note)}
        assert acknowledged <= stored, f"round {round_}: lost {sorted(acknowledged - stored)}"

    try:
        kill_rounds(
            lambda _: _child(folder, "k", 10_000, article, "notes:1000000"),
            100 if full else 12,
            check,
        )
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


def test_importer_killed_mid_write_never_damages_the_library(tmp_path: Path, full: bool):
    """Each import rewrites the importer's metadata shard, made megabytes long by one article
    with many keywords, so most of a save is spent writing it: a writer that wrote the file in
    place would leave it truncated or half written. After each kill the library must open
    without a warning (the file parses) and hold every article that was acknowledged."""
    folder = _fast_folder(tmp_path) / "lib"
    big = Article(title="Büyük", paragraphs=[("paragraph", "Metin.")])
    big.keywords = [f"anahtar sözcük {n}" for n in range(250_000)]
    Library(folder, annotator="k").add_articles([big])

    def check(acknowledged: set[str], round_: int) -> None:
        reopened = Library(folder, annotator="k")
        assert reopened.warnings == [], f"round {round_}"
        stored = set(reopened.article_index())
        assert acknowledged <= stored, f"round {round_}: lost {sorted(acknowledged - stored)}"
        assert big.id in stored
        backup = folder / "articles" / "k.json.bak"  # what a damaged file would be restored from
        saved = orjson.loads(backup.read_bytes())["articles"].values()
        assert big.id in {doc["id"] for doc in saved}, f"round {round_}: the backup lost it"

    try:
        kill_rounds(
            lambda _: _child(folder, "k", 10_000, "-", "articles"), 100 if full else 12, check
        )
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


def _fast_folder(tmp_path: Path) -> Path:
    """A folder in memory (tmpfs) when there is one: fsync costs nothing there, so a save is
    mostly writing and a kill lands in the write far more often. Kills, not power loss, are
    what this tests."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        import tempfile

        return Path(tempfile.mkdtemp(dir=shm, prefix="okur-kill-"))
    return tmp_path


def _next_ack(child: subprocess.Popen) -> str:
    line = child.stdout.readline().strip()
    assert line, f"the writer stopped early (exit code {child.wait()})"
    return line


def test_records_handed_out_do_not_change_when_the_library_does(sample_library: Library):
    article = sample_library.articles()[0]["id"]
    edits = Edits(sample_library)
    note = edits.add_note(article, "ilk").records()[0]
    (before,) = sample_library.records(Note)
    edits.edit_note(note.id, "ikinci")
    assert before.text == "ilk"  # a snapshot, never an alias of the store's state
    assert [n.text for n in sample_library.records(Note)] == ["ikinci"]


def test_body_temp_files_of_dead_importers_are_cleaned(sample_library: Library, tmp_path: Path):
    import os as os_

    folder = sample_library.bodies / "ab"
    folder.mkdir(exist_ok=True)
    dead = folder / ".abcdef.json.tmp-999999-1"
    alive = folder / f".abcdef.json.tmp-{os_.getpid()}-1"
    dead.write_text("half")
    alive.write_text("being written")
    import_parsed(sample_library, [parse_bytes("n.txt", b"Yeni haber\n\nMetin.")])
    assert not dead.exists() and alive.exists()


def test_a_restored_file_is_told_once_with_both_paths(tmp_path: Path):
    from .conftest import run_cli

    library = Library(tmp_path / "lib", annotator="ayse")
    add_article(library, "Bir")
    add_article(library, "İki")
    path = library.folder / "articles" / "ayse.json"
    path.write_bytes(path.read_bytes()[:-30])
    first = run_cli("--annotator", "ayse", "list", library=library.folder)
    assert first.returncode == 0 and "Bir" in first.stdout and "İki" in first.stdout
    assert str(path) in first.stderr and str(path.with_name("ayse.json.bak")) in first.stderr
    again = run_cli("--annotator", "ayse", "list", library=library.folder)
    assert again.stderr == ""  # once: the file is whole again


async def test_the_app_tells_about_a_restored_file(tmp_path: Path):
    from reader.tui.app import ReaderApp

    library = Library(tmp_path / "lib", annotator="ayse")
    add_article(library, "Bir")
    add_article(library, "İki")
    path = library.folder / "articles" / "ayse.json"
    path.write_bytes(b"")
    app = ReaderApp(Library(library.folder, annotator="ayse"), theme="okur-dark")
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(str(path) in m and ".bak" in m for m in messages), messages


def test_umask_000_opens_nothing_to_other_users(tmp_path: Path):
    old = os.umask(0o000)
    try:
        lib = Library(tmp_path / "lib", annotator="a")
        add_article(lib, "Bir")
        Edits(lib).tag(lib.articles()[0]["id"], "x")
        lib.set_reading(lib.articles()[0]["id"], position=1)
    finally:
        os.umask(old)
    assert not Library(lib.folder, annotator="someone-else").team  # still a personal library
    for path in [lib.folder, *lib.folder.rglob("*")]:
        assert not path.stat().st_mode & 0o022, (path, oct(path.stat().st_mode))


@pytest.mark.parametrize(
    "damage",
    ["wrong shape", "a folder"],
)
def test_a_library_file_of_the_wrong_kind_is_damage_not_a_traceback(tmp_path: Path, damage):
    from .conftest import run_cli

    library = Library(tmp_path / "lib", annotator="ayse")
    add_article(library, "Bir")
    add_article(library, "İki")
    path = library.folder / "articles" / "ayse.json"
    if damage == "wrong shape":
        path.write_bytes(orjson.dumps({"articles": [1, 2, 3]}))
    else:
        path.unlink()
        path.mkdir()
    result = run_cli("--annotator", "ayse", "list", library=library.folder)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and str(path) in result.stderr
    assert "Bir" in result.stdout and "İki" in result.stdout  # restored from the backup


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_library_file_is_a_clear_message(tmp_path: Path):
    from .conftest import run_cli

    library = Library(tmp_path / "lib", annotator="ayse")
    add_article(library, "Bir")
    path = library.folder / "articles" / "ayse.json"
    path.chmod(0)
    result = run_cli("--annotator", "ayse", "list", library=library.folder)
    assert result.returncode == 1 and "cannot be read" in result.stderr
    assert "Traceback" not in result.stderr


def test_deleting_lock_files_while_writers_run_loses_nothing(tmp_path: Path, full: bool):
    """Three processes of one importer add articles to the same shard (a read-modify-write
    each) while the lock files are deleted over and over: a lock must keep excluding writers
    when its file is removed, so every acknowledged article is still there."""
    import threading

    folder = _fast_folder(tmp_path) / "lib"
    Library(folder, annotator="k").add_articles(
        [Article(title="İlk", paragraphs=[("paragraph", "Metin.")])]
    )
    count = 300 if full else 40
    stop = threading.Event()
    deleted = 0

    def delete_locks() -> None:
        nonlocal deleted
        while not stop.is_set():
            for lock in folder.glob("*/*.lock"):
                try:
                    lock.unlink()
                    deleted += 1
                except FileNotFoundError:
                    pass
            time.sleep(0.0002)

    deleter = threading.Thread(target=delete_locks)
    deleter.start()
    try:
        children = [_child(folder, "k", count, "-", "articles") for _ in range(3)]
        outputs = [c.communicate(timeout=300)[0].split() for c in children]
    finally:
        stop.set()
        deleter.join()
    try:
        assert all(c.returncode == 0 for c in children)
        acknowledged = {i for out in outputs for i in out}
        assert len(acknowledged) == 3 * count and deleted > 0
        stored = set(Library(folder, annotator="k").article_index())
        assert acknowledged <= stored, f"lost {len(acknowledged - stored)} of {len(acknowledged)}"
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
