"""End to end in a real pseudo-terminal: TERM=linux, no truecolor, 80x24, resize, quit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .app_support import make_library
from .pty_session import PtySession


@pytest.fixture
def session_env(tmp_path: Path, isolated_home) -> dict[str, str]:
    make_library(tmp_path / "lib", hostile=True)
    env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "TEXTUAL")}
    env.update(READER_LIBRARY=str(tmp_path / "lib"), HOME=str(isolated_home))
    return env


@pytest.mark.parametrize("term", ["linux", "xterm-256color", "screen-256color"])
def test_search_open_back_quit_in_a_real_terminal(session_env, term):
    session_env["TERM"] = term
    session = PtySession(["--annotator", "ayse"], session_env)
    try:
        assert session.wait_for("Articles (8)"), session.text()
        session.send("/kizilay\r")
        assert session.wait_for("Türk Kızılay"), session.text()
        session.send("?")
        assert session.wait_for("command palette"), session.text()
        session.send("\x1b")
        assert session.wait_gone("command palette"), session.text()
        session.send("\x1b")
        assert session.wait_for("of 8 articles"), session.text()
        session.send("q")
    finally:
        code = session.close()
    assert code == 0
    tail = bytes(session.raw[-200:])
    assert b"\x1b[?1049l" in tail  # left the alternate screen: the terminal is clean


def test_hostile_article_reaches_the_terminal_inert(session_env):
    session_env["TERM"] = "xterm-256color"
    session = PtySession(["--annotator", "ayse"], session_env, size=(100, 30))
    try:
        assert session.wait_for("Articles (8)")
        session.send("/tikla\r")
        assert session.wait_for("[@click=app.quit]tıkla[/]"), session.text()
        # the lede, shown literally: only the article screen has it
        assert session.wait_for("[link=https://example.org]bağlantı[/link]"), session.text()
        session.send("q")
        assert session.wait_for("of 8 articles"), session.text()  # back on the list
        raw = bytes(session.raw)  # every frame of the article screen, drawn and left
        assert b"\x1b]52" not in raw and b"\x1b]0;pwned" not in raw and b"\xe2\x80\xae" not in raw
        session.send("q")
    finally:
        assert session.close() == 0


def test_resize_follows_and_small_sizes_degrade(session_env):
    session_env["TERM"] = "xterm-256color"
    session = PtySession([], session_env, size=(80, 24))
    try:
        assert session.wait_for("Articles (8)")
        session.resize(120, 40)
        assert session.wait_for("Associated Press"), session.text()  # the source column
        session.resize(50, 15)
        assert session.wait_gone("Associated Press"), session.text()  # narrow: the title only
        assert session.wait_for("Articles (8)"), session.text()  # redrawn whole, not torn
        session.send("q")
    finally:
        assert session.close() == 0


def test_keys_typed_before_the_library_is_drawn_are_not_lost(session_env):
    """A fast typist (or a slow ssh link): `/`, a query and Enter sent the moment the app
    starts, while the terminal still reads whole lines, search and open the best match."""
    session_env["TERM"] = "xterm-256color"
    session = PtySession(["--annotator", "ayse"], session_env)
    try:
        session.send("/kizilay\r")
        assert session.wait_for("Türk Kızılay"), session.text()
        session.send("q")
        assert session.wait_for("of 8 articles"), session.text()
        session.send("q")
    finally:
        assert session.close() == 0
