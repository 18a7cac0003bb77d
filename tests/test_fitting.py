"""At 80x24 every column, footer, header line and prompt title says something whole: text is
cut with "…" (in terminal cells), lists keep whole items and count the rest ("+2")."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from textual.widgets import Label
from textual.widgets._footer import FooterKey

from annotations.edits import Edits
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.prompts import ChoicePrompt
from reader.tui.shorten import fit, fit_items, shorten
from reader.tui.widgets.article_header import ArticleHeader
from reader.tui.widgets.article_list import ArticleList

from .app_support import make_app

SIZE = (80, 24)
TAGS = ["ceasefire", "mediation", "humanitarian aid", "diplomacy", "hostages", "Black Sea corridor"]


def test_shorten_and_fit_count_cells():
    assert shorten("Anadolu Ajansı", 14) == "Anadolu Ajansı"  # Turkish letters: one cell each
    assert shorten("Associated Press", 14) == "Associated Pr…"
    assert shorten("人民日报海外版", 8) == "人民日…"  # two cells each, never half of one
    assert cell_len(fit("人民日报海外版", 8)) == 8 and fit("BBC", 5) == "BBC  "
    assert fit_items(TAGS, 30) == "ceasefire, mediation +4"
    assert fit_items(TAGS, 6) == "+6" and fit_items(TAGS, 1) == "…"
    assert fit_items(TAGS, 200) == ", ".join(TAGS)


def _whole(text: str, items: list[str], separator: str) -> bool:
    """Every item shown is one of ``items``; what follows them is a count or nothing."""
    shown, _, rest = text.partition(" +")
    return all(part in items for part in shown.split(separator)) and (not rest or rest.isdigit())


async def test_at_80_columns_nothing_is_cut_without_a_sign(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    first = app.library.articles()[0]
    assert first["source"] == "Associated Press"  # longer than the source column
    Edits(app.library).tag(first["id"], *TAGS)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        row = app.screen.query_one(ArticleList).render_line(0).text
        assert row.startswith("● 2025-11-12 Associated Pr… ")
        title_and_tags = row[len("● 2025-11-12 Associated Pr… ") :]
        assert "…" in title_and_tags  # the title is cut, with the sign
        tags = title_and_tags.split("… ", 1)[1].strip()
        assert _whole(tags, TAGS, ", ") and tags.endswith("+5"), tags

        await pilot.press("E")  # the longest prompt title of the library
        await pilot.pause()
        title = app.screen.query(Label).first()
        assert cell_len(str(title.content)) <= title.content_region.width
        await pilot.press("escape")
        long_title = "Label for “" + "Cumhurbaşkanlığı İletişim Başkanlığı " * 2 + "” (everywhere)"
        app.push_screen(ChoicePrompt(long_title, [("PER", "person")]))
        await pilot.pause()
        drawn = app.screen.query(Label).first().render_line(0).text.rstrip()
        assert drawn.endswith("…") and long_title.startswith(drawn[:-1].rstrip()), drawn
        await pilot.press("escape", "enter", "v")  # the article, selecting: a long footer
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)

        header = app.screen.query_one(ArticleHeader)
        lines = str(header.content).splitlines()
        assert all(cell_len(line) <= header.content_region.width for line in lines)
        tag_line = next(line for line in lines if line.startswith("tags "))
        own = tag_line.removeprefix("tags ").split("   ")[0]
        assert _whole(own, [f"#{t}" for t in TAGS], "  "), tag_line

        keys = list(app.screen.query(FooterKey))
        palette = next(k for k in keys if k.has_class("-command-palette"))
        shown = [k for k in keys if k is not palette]
        assert shown and all(k.region.right <= palette.region.x for k in shown)
        assert str(app.screen.query("FittedFooter FooterLabel").last().content) == "…"
