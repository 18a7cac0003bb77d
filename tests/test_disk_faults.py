"""Writes that half fail: a backup the full disk refused, a short write (issue 15, item 13)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import orjson
import pytest

from annotations.library import Library
from annotations.model import Article


def _article(title: str) -> Article:
    return Article(title=title, paragraphs=[("paragraph", f"Metin {title}.")])


def _fail_writes_to(monkeypatch: pytest.MonkeyPatch, marker: str, mode: str = "full") -> None:
    """Writes to files whose name contains ``marker``: ``full``, fail with ENOSPC; ``short``,
    write at most half of what they are given (as write(2) may); ``short-then-full``: one
    short write, then the disk is full."""
    real_open, real_write = os.open, os.write
    chosen: set[int] = set()
    writes: list[int] = []

    def fake_open(path, flags, *args, **kw):
        fd = real_open(path, flags, *args, **kw)
        if marker in os.fsdecode(path):
            chosen.add(fd)
        else:
            chosen.discard(fd)
        return fd

    def fake_write(fd, data):
        if fd not in chosen:
            return real_write(fd, data)
        writes.append(fd)
        if mode == "short" or (mode == "short-then-full" and len(writes) == 1):
            return real_write(fd, bytes(data[: max(1, len(data) // 2)]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "write", fake_write)


def test_a_backup_the_disk_refused_is_told(tmp_path: Path, monkeypatch, capsys):
    from reader.cli import run

    folder = tmp_path / "lib"
    Library(folder, annotator="ayse").add_articles([_article("Bir")])
    new = tmp_path / "iki.txt"
    new.write_text("İki\n\nMetin iki.", encoding="utf-8")
    monkeypatch.setenv("READER_LIBRARY", str(folder))
    _fail_writes_to(monkeypatch, ".ayse.json.bak.tmp-")
    assert run(["--annotator", "ayse", "import", str(new)]) == 0  # the import itself is saved
    err = capsys.readouterr().err
    backup = folder / "articles" / "ayse.json.bak"
    assert "warning" in err and str(backup) in err and "No space left" in err, err
    monkeypatch.undo()
    assert sorted(a["title"] for a in Library(folder).articles()) == ["Bir", "İki"]
    assert b"Bir" in backup.read_bytes() and "İki".encode() not in backup.read_bytes()


def test_a_short_write_of_search_keys_is_finished(tmp_path: Path, monkeypatch):
    folder = tmp_path / "lib"
    library = Library(folder, annotator="ayse")
    _fail_writes_to(monkeypatch, "ayse.search.jsonl", "short")
    library.add_articles([_article("Bir"), _article("İki")])
    library.add_articles([_article("Üç")])
    monkeypatch.undo()
    lines = (folder / "articles" / "ayse.search.jsonl").read_bytes().splitlines()
    ids = {orjson.loads(line)["id"] for line in lines}  # every line whole
    assert ids == set(Library(folder).article_index())


def test_a_failed_write_of_search_keys_leaves_no_half_line(tmp_path: Path, monkeypatch):
    from annotations.errors import LibraryWriteError

    folder = tmp_path / "lib"
    library = Library(folder, annotator="ayse")
    library.add_articles([_article("Bir")])
    path = folder / "articles" / "ayse.search.jsonl"
    before = path.read_bytes()
    _fail_writes_to(monkeypatch, "ayse.search.jsonl", "short-then-full")
    with pytest.raises(LibraryWriteError, match="No space left"):
        library.add_articles([_article("İki")])
    monkeypatch.undo()
    assert path.read_bytes() == before


def test_bodies_no_article_refers_to_are_removed_by_a_later_import(tmp_path: Path, monkeypatch):
    """A failed (or killed) import leaves bodies whose metadata was never stored; the next
    import removes those an hour old, and keeps recent ones (an import in progress)."""
    from annotations.errors import LibraryWriteError

    folder = tmp_path / "lib"
    library = Library(folder, annotator="ayse")
    kept = _article("Bir")
    library.add_articles([kept])

    def full_disk(*args, **kw):
        raise LibraryWriteError(folder / "articles" / "ayse.json", OSError(errno.ENOSPC, "full"))

    old, recent = _article("Eski"), _article("Yeni")
    with monkeypatch.context() as patch:
        patch.setattr(library.article_store, "add", full_disk)
        for article in (old, recent):
            with pytest.raises(LibraryWriteError):
                library.add_articles([article])
    bodies = {a.id: folder / "bodies" / a.id[:2] / f"{a.id}.json" for a in (kept, old, recent)}
    assert all(p.exists() for p in bodies.values())  # left behind
    two_hours_ago = bodies[old.id].stat().st_mtime - 7200
    os.utime(bodies[old.id], (two_hours_ago, two_hours_ago))
    os.utime(bodies[kept.id], (two_hours_ago, two_hours_ago))

    later = Library(folder, annotator="ayse")
    later.add_articles([_article("Üç")])
    assert not bodies[old.id].exists()
    assert bodies[kept.id].exists() and bodies[recent.id].exists()
    assert any("removed 1 article text " in n for n in later.notices)
    assert {a["title"] for a in later.articles()} == {"Bir", "Üç"}
