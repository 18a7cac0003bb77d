"""What the screens look like (pytest-textual-snapshot), at 80x24 and 120x40."""

from __future__ import annotations

import pytest

from .app_support import make_app

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_library_screen(snap_compare, tmp_path, size):
    assert snap_compare(make_app(tmp_path / "lib"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_article_screen(snap_compare, tmp_path, size):
    app = make_app(tmp_path / "lib")
    assert snap_compare(app, press=["j", "j", "j", "enter"], terminal_size=size)


def test_hostile_article(snap_compare, tmp_path):
    app = make_app(tmp_path / "lib", hostile=True)
    assert snap_compare(app, press=["enter"], terminal_size=(100, 30))
