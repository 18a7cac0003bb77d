"""Theme files: a broken one is reported, never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from themes import load_themes, theme_from_mapping


@pytest.mark.parametrize("primary", ["", "~", "null"])
def test_theme_with_an_empty_primary_is_reported(tmp_path: Path, primary: str):
    (tmp_path / "empty.yaml").write_text(f"name: empty\nprimary: {primary}\n")
    (tmp_path / "mine.yaml").write_text("name: mine\nprimary: '#ff0000'\n")
    found = load_themes(tmp_path)
    assert "mine" in [t.name for t in found.themes]
    assert "empty" not in [t.name for t in found.themes]
    assert [p for p in found.problems if "empty.yaml" in p] == [
        f"{tmp_path / 'empty.yaml'}: no 'primary' colour"
    ]


def test_theme_keeps_every_colour_it_names():
    colours = {
        "primary": "#010101",
        "secondary": "#020202",
        "warning": "#030303",
        "error": "#040404",
        "success": "#050505",
        "accent": "#060606",
        "foreground": "#070707",
        "background": "#080808",
        "surface": "#090909",
        "panel": "#0a0a0a",
        "boost": "#0b0b0b",
    }
    theme = theme_from_mapping({"name": "all", **colours, "variables": {"tag": "#0c0c0c"}})
    assert {key: getattr(theme, key) for key in colours} == colours
    assert theme.variables == {"tag": "#0c0c0c"}
    bare = theme_from_mapping({"name": "bare", "primary": "#010101"})
    assert bare.secondary is None and bare.boost is None and bare.dark
