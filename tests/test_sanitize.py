"""Untrusted text: escapes, controls and bidi overrides never survive ingestion."""

from __future__ import annotations

from annotations.sanitize import clean, strip_controls


def test_escape_sequences_removed():
    hostile = (
        "a\x1b[31mred\x1b[0m b\x1b]0;title\x07c \x1b]52;c;aGVsbG8=\x1b\\d "
        "e\x1b[?1049l f\x1b[6n g\x9b31m h\x85i\x00j\x7fk"
    )
    assert strip_controls(hostile) == "ared bc d e f g hijk"


def test_bidi_controls_removed_and_tabs_become_spaces():
    assert clean("a\u202eb\u2066c\u2069\td\r\ne\rf") == "abc d\ne\nf"


def test_markup_is_text_not_removed():
    assert clean("[bold red]x[/] [@click=app.quit]") == "[bold red]x[/] [@click=app.quit]"
