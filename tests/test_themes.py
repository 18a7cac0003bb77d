"""Theme files: a broken one is reported, never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from themes import load_themes


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

