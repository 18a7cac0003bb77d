"""What the screens look like (pytest-textual-snapshot), at 80x24 and 120x40."""

from __future__ import annotations

import pytest

from .app_support import make_app

SIZES = [(80, 24), (120, 40)]


async def settled(pilot) -> None:
    """Wait for what is mounted after the first paint (the footer)."""
    await pilot.pause()
    await pilot.pause(0.3)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_library_screen(snap_compare, tmp_path, size):
    assert snap_compare(make_app(tmp_path / "lib"), terminal_size=size, run_before=settled)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_article_screen(snap_compare, tmp_path, size):
    app = make_app(tmp_path / "lib")
    assert snap_compare(app, press=["j", "j", "j", "enter"], terminal_size=size)


def test_hostile_article(snap_compare, tmp_path):
    app = make_app(tmp_path / "lib", hostile=True)
    assert snap_compare(app, press=["enter"], terminal_size=(100, 30))


def test_annotated_article(snap_compare, tmp_path):
    from annotations.edits import Edits
    from annotations.journal import Op
    from annotations.records import Span

    app = make_app(tmp_path / "lib")
    library = app.library
    article = library.load_article("00e97159207a77b9")
    text = article.text
    Edits(library).tag(article.id, "ceasefire", "mediation")
    start = text.index("Hamas heyeti, 'Gazze")
    span = Span.new(
        article.id, text, start, text.index(".", start) + 1, "mediation", "ayse", note="teşekkür"
    ).replace(created="2026-01-01T00:00:00Z", id="0000000000000001")
    library.write([Op(span.KIND, span.to_dict())])
    assert snap_compare(
        app, press=["slash", *"hamas", "enter", "right_square_bracket"], terminal_size=(120, 40)
    )


def test_long_source_and_many_tags_at_80x24(snap_compare, tmp_path):
    """Nothing cut without a sign: the header keeps whole tags ("+1"), the footer whole keys."""
    from annotations.edits import Edits

    app = make_app(tmp_path / "lib")
    first = app.library.articles()[0]["id"]  # from the Associated Press
    tags = ["ceasefire", "mediation", "humanitarian-aid", "diplomacy", "hostages", "Karadeniz"]
    Edits(app.library).tag(first, *tags)
    assert snap_compare(app, press=["enter", "v"], terminal_size=(80, 24))
