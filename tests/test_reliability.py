"""Nothing lost, nothing fatal: read-only libraries, full disks, live views."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from annotations.edits import Edits
from annotations.errors import LibraryWriteError
from annotations.library import Library
from reader.tui.screens.article import ArticleScreen
from reader.tui.widgets.annotation_panel import AnnotationPanel
from reader.tui.widgets.article_view import ArticleView

from .app_support import make_app, make_library

SAMPLE_ID = "00e97159207a77b9"


def _make_read_only(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """What a read-only mount or another user's folder looks like to this process (root
    ignores permissions, so tests simulate them): no write access, opens for writing fail."""
    real_open, real_access = os.open, os.access
    inside = str(folder)

    def guarded_open(path, flags, *args, **kw):
        if str(path).startswith(inside) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kw)

    def guarded_access(path, mode, *args, **kw):
        if str(path).startswith(inside) and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kw)

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(os, "access", guarded_access)


def test_read_only_library_reads_and_refuses_writes_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
):
    from reader.cli import run

    folder = tmp_path / "lib"
    make_library(folder)
    monkeypatch.setenv("READER_LIBRARY", str(folder))
    _make_read_only(monkeypatch, folder)
    assert Library(folder).read_only
    assert run(["list"]) == 0
    assert "MİT Başkanı" in capsys.readouterr().out
    assert run(["tag", SAMPLE_ID, "ceasefire"]) == 1
    err = capsys.readouterr().err
    assert "could not save" in err and str(folder) in err and "Read-only" in err
    monkeypatch.undo()
    assert Library(folder).tags_by_article() == {}


async def test_app_on_a_read_only_library_says_so_and_keeps_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    app = make_app(tmp_path / "lib")
    _make_read_only(monkeypatch, tmp_path / "lib")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert any("read-only" in n.message for n in app._notifications)
        await pilot.press("slash", *"hamas", "enter")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert any("could not save" in n.message for n in app._notifications)


def _fail_writes(monkeypatch: pytest.MonkeyPatch, code: int = errno.ENOSPC) -> None:
    import annotations.storage as storage

    real = storage.os.write

    def write(fd: int, data) -> int:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(storage.os, "write", write)
    monkeypatch.setattr(storage, "_real_write_for_tests", real, raising=False)


def test_full_disk_keeps_the_last_good_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    library = make_library(tmp_path / "lib")
    Edits(library).tag(SAMPLE_ID, "before")
    _fail_writes(monkeypatch)
    with pytest.raises(LibraryWriteError, match="No space left"):
        Edits(library).tag(SAMPLE_ID, "during")
    monkeypatch.undo()
    again = Library(tmp_path / "lib")
    assert again.tags_by_article() == {SAMPLE_ID: ["before"]}
    assert again.warnings == []
    assert not [p for p in (tmp_path / "lib").iterdir() if ".tmp-" in p.name]


async def test_app_keeps_running_when_saving_fails(tmp_path: Path, monkeypatch):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"hamas", "enter")
        await pilot.pause()
        _fail_writes(monkeypatch)
        await pilot.press("1")
        await pilot.pause()
        assert any("No space left" in n.message for n in app._notifications)
        assert isinstance(app.screen, ArticleScreen)
        monkeypatch.undo()
        await pilot.press("1")
        await pilot.pause()
        assert app.library.tags_by_article()[SAMPLE_ID] == ["ceasefire"]


async def test_other_process_passages_appear_without_losing_the_place(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"hamas", "enter")
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        await pilot.press("space")
        await pilot.pause()
        place = view.top_offset()
        other = Library(tmp_path / "lib", annotator="mehmet")
        text = other.load_article(SAMPLE_ID).text
        start = text.index("Görüşmede")
        Edits(other).add_span(SAMPLE_ID, text, start, start + 9, "x")
        Edits(other).tag(SAMPLE_ID, "diplomacy")
        await pilot.pause(1.5)
        panel = app.screen.query_one(AnnotationPanel)
        assert any(i and i.kind == "span" for i in panel.items)
        assert view.top_offset() == place
        assert "diplomacy" in app.library.tags_by_article()[SAMPLE_ID]
