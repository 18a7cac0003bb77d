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


HOSTILE = "\x1b]52;c;aGVsbG8=\x07\x1b]0;pwned\x07\x1b[2J"
IN_YAML = HOSTILE.replace("\x1b", "\\e").replace("\x07", "\\a")  # YAML's own escapes


def test_messages_that_quote_input_reach_the_terminal_inert(tmp_path):
    """Ids and titles from a received YAML, and file names, are printed without their escape
    sequences (OSC 52 clipboard writes, OSC 0 window titles, CSI 2J)."""
    from .conftest import run_cli

    received = tmp_path / "received.yaml"
    received.write_text(
        "format: reader-annotations\nversion: '1'\narticles:\n"
        f"  - id: \"{IN_YAML}abc\"\n    title: \"{IN_YAML}başlık\"\n",
        encoding="utf-8",
    )
    bad = tmp_path / f"kötü{HOSTILE}.json"
    bad.write_text("{not json", encoding="utf-8")
    for args, kept in (
        (("import-annotations", str(received)), "abc (başlık)"),
        (("import", str(bad)), "kötü"),
    ):
        result = run_cli(*args, library=tmp_path / "lib")
        assert result.returncode == 1, result.stderr
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr
        assert kept in result.stderr  # the message still names it, without the escapes


async def test_notifications_in_the_app_are_inert(tmp_path):
    from .app_support import make_app

    app = make_app(tmp_path / "lib")
    async with app.run_test() as pilot:
        await pilot.pause()
        app.notify(f"{HOSTILE}etiket", title=f"{HOSTILE}x", markup=False)
        await pilot.pause()
        shown = list(app._notifications)[-1]
        assert "\x1b" not in shown.message + shown.title and "etiket" in shown.message
