"""The settings file is the user's: saving the theme changes its theme line and nothing else."""

from __future__ import annotations

from pathlib import Path

from reader.tui.settings import load, save_theme


def test_theme_replaced_in_place_comments_and_line_ends_kept(tmp_path: Path):
    path = tmp_path / "settings.yaml"
    text = "# mine\r\ntheme: okur-dark   # at night\r\nkeys:\r\n  library.sort: o  # not s\r\n"
    path.write_bytes(text.encode())
    assert save_theme(path, "okur-light") is None
    assert path.read_bytes() == text.replace("okur-dark", "okur-light").encode()


def test_theme_appended_when_missing_and_quoted_when_yaml_would_misread_it(tmp_path: Path):
    path = tmp_path / "settings.yaml"
    path.write_text("# anahtarlar\nkeys:\n  library.sort: o", encoding="utf-8")
    assert save_theme(path, "yes") is None
    assert path.read_text() == '# anahtarlar\nkeys:\n  library.sort: o\ntheme: "yes"\n'
    assert load(path)[0]["theme"] == "yes"
    assert save_theme(tmp_path / "new" / "settings.yaml", "okur-dark") is None
    assert (tmp_path / "new" / "settings.yaml").read_text() == "theme: okur-dark\n"


def test_a_settings_file_that_does_not_load_is_not_overwritten(tmp_path: Path):
    path = tmp_path / "settings.yaml"
    path.write_text("keys: [unclosed\n")
    assert "not saved" in save_theme(path, "okur-light")
    assert path.read_text() == "keys: [unclosed\n"
    path.write_text("{keys: {library.sort: o}, theme: okur-dark}\n")  # flow style: rewritten
    assert save_theme(path, "okur-light") is None
    assert load(path)[0] == {"keys": {"library.sort": "o"}, "theme": "okur-light"}
