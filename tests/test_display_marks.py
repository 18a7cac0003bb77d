"""Thousands of combining marks or zero-width joiners after one letter are capped on screen, so
the borders after them stay put; the stored text keeps them (issue 15, item 13)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from annotations.sanitize import MAX_MARKS, cap_marks
from reader.core.importing import import_parsed
from reader.ingest import parse_bytes
from reader.tui.app import ReaderApp
from reader.tui.screens.article import ArticleScreen
from reader.tui.widgets.article_view import ArticleView

from .app_support import make_library

MARKS = "\u0301" * 5_000
JOINERS = "\u200d" * 5_000


def _longest_run(text: str) -> int:
    runs = re.findall("(?:[\u200b-\u200d\u2060]|[\u0300-\u036f])+", text)
    return max((len(r) for r in runs), default=0)


def test_cap_marks_keeps_a_few_and_leaves_normal_text_alone():
    assert (
        cap_marks("e" + MARKS + "x" + JOINERS + "y")
        == "e" + "\u0301" * 4 + "x" + "\u200d" * 4 + "y"
    )
    family = "👨\u200d👩\u200d👧\u200d👦"  # joiners between emoji: one after each
    vietnamese = unicodedata.normalize("NFD", "Việt Nam")  # two marks on one letter
    for text in (family, vietnamese, "Şişli’de İğdır", "plain ascii"):
        assert cap_marks(text) == text


async def test_an_article_of_thousands_of_marks_shows_a_few(tmp_path: Path):
    library = make_library(tmp_path / "lib")
    title = "Başlık x" + MARKS + " sonu"
    body = "Gövde" + JOINERS + " metni ve x" + MARKS + " son."
    import_parsed(library, [parse_bytes("m.txt", f"{title}\n\n{body}".encode())])
    (row,) = [a for a in library.articles() if a["title"].startswith("Başlık")]
    assert MARKS in library.load_article(row["id"]).text  # stored as it came
    app = ReaderApp(library, theme="okur-dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert _longest_run(app.export_screenshot()) <= MAX_MARKS  # the list row
        await pilot.press("slash", *"gövde", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        view = app.screen.query_one(ArticleView)
        assert _longest_run(str(view.border_title)) <= MAX_MARKS
        shown = "".join(view.render_line(y).text for y in range(view.size.height))
        assert "Gövde" in shown and _longest_run(shown) <= MAX_MARKS
        assert _longest_run(app.export_screenshot()) <= MAX_MARKS
