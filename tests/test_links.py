"""A library file or folder replaced by a link, or owned by someone unexpected, is never
written through (issue 15, item 10): in a shared library another member could otherwise point
your next write at any file of yours."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from annotations.edits import Edits
from annotations.errors import LibraryWriteError
from annotations.library import Library
from annotations.model import Article

from .conftest import run_cli

OTHER_UID = 4242  # someone else (root can give them a link)
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="making another user's link")


def _article(title: str) -> Article:
    return Article(title=title, paragraphs=[("paragraph", f"Metin {title}.")])


@pytest.fixture
def setup(tmp_path: Path):
    library = Library(tmp_path / "lib", annotator="ayse")
    library.add_articles([_article("Bir")])
    Edits(library).tag(library.articles()[0]["id"], "ilk")
    private = tmp_path / "private"
    private.mkdir()
    secret = private / "notes.txt"
    secret.write_bytes(b"secret\n")
    return library, private, secret


def _link(path: Path, target: Path, *, foreign: bool = True) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to(target)
    if foreign and os.geteuid() == 0:
        os.lchown(path, OTHER_UID, OTHER_UID)


def _untouched(private: Path, secret: Path) -> None:
    assert secret.read_bytes() == b"secret\n"
    assert [p.name for p in private.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(
    "name", ["ayse.search.jsonl", "ayse.json.lock", "ayse.jsonl", "ayse.jsonl.lock"]
)
def test_a_file_of_yours_replaced_by_a_link_is_not_written_through(setup, name: str):
    library, private, secret = setup
    folder = "annotations" if name.startswith("ayse.jsonl") else "articles"
    target = secret if "lock" not in name else private / "made-by-the-lock"
    _link(library.folder / folder / name, target)
    fresh = Library(library.folder, annotator="ayse")
    with pytest.raises(LibraryWriteError, match="link"):
        if folder == "articles":
            fresh.add_articles([_article("İki")])
        else:
            Edits(fresh).tag(fresh.articles()[0]["id"], "ikinci")
    _untouched(private, secret)


@needs_root
def test_a_body_folder_replaced_by_another_users_link_is_refused(setup):
    library, private, secret = setup
    new = _article("İki")
    _link(library.bodies / new.id[:2], private)
    with pytest.raises(LibraryWriteError, match="link made by"):
        Library(library.folder, annotator="ayse").add_articles([new])
    _untouched(private, secret)


def test_a_link_in_place_of_a_journal_is_not_read(setup):
    library, private, secret = setup
    secret.write_bytes(
        b'{"put":"tag","rec":{"id":"x","article":"a","annotator":"ayse",'
        b'"created":"2026-01-01T00:00:00.000000Z","tag":"from-a-private-file"}}\n'
    )
    _link(library.folder / "annotations" / "ayse.jsonl", secret)
    fresh = Library(library.folder, annotator="ayse")
    assert fresh.tags_by_article() == {}
    assert any("is a link" in w for w in fresh.warnings)


def test_a_link_in_place_of_a_metadata_shard_is_damage_not_followed(setup):
    library, private, secret = setup
    shard = library.folder / "articles" / "ayse.json"
    planted = shard.read_bytes().replace(b"Bir", b"Gizli")
    secret.write_bytes(planted)
    _link(shard, secret)
    fresh = Library(library.folder, annotator="ayse")
    assert [a["title"] for a in fresh.articles()] == ["Bir"]  # restored from the .bak
    assert any("link" in w for w in fresh.warnings)
    fresh.add_articles([_article("İki")])
    assert secret.read_bytes() == planted


@needs_root
def test_a_journal_owned_by_someone_else_is_not_written(setup):
    library, _, _ = setup
    journal = library.folder / "annotations" / "ayse.jsonl"
    os.chown(journal, OTHER_UID, OTHER_UID)
    fresh = Library(library.folder, annotator="ayse")
    with pytest.raises(LibraryWriteError, match="belongs to"):
        Edits(fresh).tag(fresh.articles()[0]["id"], "ikinci")


def test_a_temp_file_name_taken_by_a_link_is_not_written_through(setup):
    library, private, secret = setup
    shard = library.folder / "articles" / "ayse.json"
    temp = shard.with_name(f".ayse.json.tmp-{os.getpid()}-{threading.get_ident()}")
    fresh = Library(library.folder, annotator="ayse")
    assert fresh.article_store.mine  # opened: its stale temp files were cleaned; then planted
    _link(temp, secret, foreign=False)
    fresh.add_articles([_article("İki")])
    _untouched(private, secret)
    assert sorted(a["title"] for a in Library(library.folder).articles()) == ["Bir", "İki"]


def test_the_command_line_says_so_without_a_traceback(setup, tmp_path: Path):
    library, private, secret = setup
    _link(library.folder / "articles" / "ayse.search.jsonl", secret)
    new = tmp_path / "yeni.txt"
    new.write_text("Yeni haber\n\nMetin.", encoding="utf-8")
    result = run_cli("--annotator", "ayse", "import", str(new), library=library.folder)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "ayse.search.jsonl" in result.stderr and "link" in result.stderr
    _untouched(private, secret)
