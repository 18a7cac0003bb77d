"""Team review in the app: mark done with one key, settle disagreements with single keys,
undo, and see the agreement screen."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region

from annotations.edits import Edits
from annotations.library import Library
from annotations.review import build_review
from reader.tui.app import ReaderApp
from reader.tui.screens.agreement import AgreementScreen
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.review import ReviewScreen

from .app_support import make_library

SAMPLE = "00e97159207a77b9"
SIZE = (80, 24)


def two_annotators_disagree(folder: Path) -> None:
    make_library(folder)
    text = Library(folder, "setup").load_article(SAMPLE).text
    ayse, bora = Edits(Library(folder, "ayse")), Edits(Library(folder, "bora"))
    ayse.tag(SAMPLE, "ceasefire", "mediation")
    bora.tag(SAMPLE, "humanitarian aid")
    ayse.add_span(SAMPLE, text, 10, 30, "demand")
    bora.add_span(SAMPLE, text, 12, 30, "demand")
    ayse.set_done(SAMPLE)


def shown(widget) -> str:
    """The text the widget paints on screen."""
    size = widget.size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, *size)))


async def test_done_key_then_review_settle_undo(tmp_path: Path):
    folder = tmp_path / "lib"
    two_annotators_disagree(folder)
    app = ReaderApp(Library(folder, annotator="bora"), theme="okur-dark")
    async with app.run_test(size=SIZE) as pilot:
        app.open_article(SAMPLE, [SAMPLE])
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("D")  # bora marks it done: now it is compared
        assert "✓ done" in str(app.screen.article_view.border_subtitle)
        app.action_review()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "0 of 4 settled" in shown(screen.status)
        assert "ayse" in shown(screen.body) and "bora" in shown(screen.body)
        await pilot.press("1", "2", "b")  # ayse's, bora's, both (one key each)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "3 of 4 settled" in shown(screen.status)
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "2 of 4 settled" in shown(screen.status)
    review = build_review(Library(folder, "x"))
    assert review.progress() == (2, 4)
    assert {g.tag for g in review.gold() if g.tag} == {"ceasefire", "humanitarian aid"}


async def test_agreement_screen_shows_the_coefficients(tmp_path: Path):
    folder = tmp_path / "lib"
    two_annotators_disagree(folder)
    Edits(Library(folder, "bora")).set_done(SAMPLE)
    app = ReaderApp(Library(folder, annotator="bora"), theme="okur-dark")
    async with app.run_test(size=SIZE) as pilot:
        app.action_agreement()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AgreementScreen)
        text = shown(app.screen.body)
        assert "1 articles compared" in text and "demand" in text and "mediation" in text
