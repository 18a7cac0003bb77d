"""Annotating in the app: tags, quick keys, passages, notes, entity corrections, undo/redo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
from textual.screen import Screen

from annotations.edits import Edits
from annotations.records import Note, Span
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.article_entities import EntityActions
from reader.tui.screens.article_passages import PassageActions
from reader.tui.screens.article_tags import TagActions
from reader.tui.screens.prompts import ChoicePrompt
from reader.tui.widgets.annotation_panel import AnnotationPanel
from reader.tui.widgets.article_view import ArticleView

from .app_support import make_app
from .conftest import ROOT

SIZE = (100, 30)
SAMPLE_ID = "00e97159207a77b9"


async def open_sample(pilot) -> ArticleScreen:
    await pilot.pause()
    await pilot.press("slash", *"hamas", "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ArticleScreen) and screen.article_id == SAMPLE_ID
    return screen


def other_process_tags(folder: Path) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "reader", "--library", str(folder), "list", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    return next(r["tags"] for r in orjson.loads(out) if r["id"] == SAMPLE_ID)


async def test_tag_prompt_saves_at_once_for_other_processes(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        await pilot.press("t", *"mediation", "enter")
        await pilot.pause()
        assert other_process_tags(tmp_path / "lib") == ["mediation"]
        await pilot.press("t", *"yeni etiket", "enter")  # a new tag, not in the taxonomy
        await pilot.pause()
        assert other_process_tags(tmp_path / "lib") == ["mediation", "yeni etiket"]


async def test_tag_prompt_completes_from_the_taxonomy(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        await pilot.press("t", *"hum", "enter")
        await pilot.pause()
        assert app.library.tags_by_article()[SAMPLE_ID] == ["humanitarian aid"]


async def test_quick_keys_toggle_and_suggestions_accept(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        await pilot.press("1")
        assert app.library.tags_by_article()[SAMPLE_ID] == ["ceasefire"]
        await pilot.press("1")
        assert app.library.tags_by_article().get(SAMPLE_ID, []) == []
        await pilot.press("a")
        assert set(app.library.tags_by_article()[SAMPLE_ID]) == {
            "ceasefire",
            "mediation",
            "humanitarian aid",
        }
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"mediation", "enter")
        await pilot.pause()
        assert "mediation" not in app.library.tags_by_article()[SAMPLE_ID]


async def test_select_a_sentence_label_it_with_a_note_then_undo_redo(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sample(pilot)
        await pilot.press("v")
        assert screen.selection is not None
        await pilot.press("j", "j")  # start at the second sentence after the title
        await pilot.press("right_parenthesis")
        start, end = screen.selection
        chosen = screen.text[start:end]
        assert chosen.endswith(".") and len(chosen.split()) > 3
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"mediation", "enter")
        await pilot.pause()
        await pilot.press(*'dikkat: "arabulucu" [rol]', "enter")
        await pilot.pause()
        (span,) = app.library.records(Span)
        assert span.quote == chosen and span.label == "mediation"
        assert span.note == 'dikkat: "arabulucu" [rol]'
        assert screen.text[span.start : span.end] == chosen
        assert screen.selection is None
        await pilot.press("u")
        await pilot.pause()
        assert app.library.records(Span) == []
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert [s.id for s in app.library.records(Span)] == [span.id]


async def test_paragraph_selection_and_escape_ladder(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sample(pilot)
        await pilot.press("v", "j", "V")
        start, end = screen.selection
        assert any(b.start == start and b.end == end for b in screen.article.blocks)
        await pilot.press("escape")
        assert screen.selection is None and app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen


async def test_entity_relabel_wins_and_persists(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sample(pilot)
        await pilot.press("right_square_bracket")
        picked = screen.picked
        assert picked is not None and picked.text == "MİT"
        await pilot.press("L")
        await pilot.pause()
        await pilot.press(*"LOC", "enter")
        await pilot.pause()
        assert all(e.label == "LOC" for e in screen.entities if e.text == "MİT")
        await pilot.press("u")
        await pilot.pause()
        assert all(e.label == "ORG" for e in screen.entities if e.text == "MİT")
        await pilot.press("ctrl+r")
        await pilot.pause()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "reader",
            "--library",
            str(tmp_path / "lib"),
            "entities",
            SAMPLE_ID,
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    assert {e["label"] for e in orjson.loads(out) if e["text"] == "MİT"} == {"LOC"}


async def test_mark_new_entity_and_remove_one(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sample(pilot)
        await pilot.press("v", "j")  # the lede's first word: "Kalın" ... select "heyeti"
        screen.selection = (screen.text.index("heyeti"), screen.text.index("heyeti") + 6)
        await pilot.press("E")
        await pilot.pause()
        await pilot.press(*"ORG", "enter")
        await pilot.pause()
        assert any(e.text == "heyeti" and e.label == "ORG" for e in screen.entities)
        await pilot.press("right_square_bracket")
        target = screen.picked.text
        await pilot.press("x")
        await pilot.pause()
        assert not any(e.text == target for e in screen.entities)


async def test_panel_lists_entities_by_type_and_filters_library(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_sample(pilot)
        panel = screen.query_one(AnnotationPanel)
        assert panel.display
        kinds = {(i.kind, i.label) for i in panel.items if i}
        assert {("entity", "PERSON"), ("entity", "ORG"), ("entity", "LOC")} <= kinds
        await pilot.press("right_square_bracket")
        await pilot.press("f")
        await pilot.pause()
        listing = app.screen.query_one("#articles")
        assert app.screen.query_state.entity == "MİT"
        assert [r["id"] for r in listing.rows] == [SAMPLE_ID]


async def test_article_note(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await open_sample(pilot)
        await pilot.press("N")
        await pilot.pause()
        await pilot.press(*"Takip edilecek", "enter")
        await pilot.pause()
        (note,) = app.library.records(Note)
        assert note.text == "Takip edilecek" and note.annotator == "ayse"


async def test_edit_and_relabel_a_passage_from_the_panel(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    text = app.library.load_article(SAMPLE_ID).text
    start = text.index("Görüşmede")
    span = Edits(app.library).add_span(SAMPLE_ID, text, start, start + 9, "mediation", "eski")
    span = span.records()[0]
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_sample(pilot)
        panel = screen.query_one(AnnotationPanel)
        panel.focus()
        panel.select_item("span", span.id)
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("ctrl+u", *"yeni not", "enter")
        await pilot.pause()
        assert app.library.records(Span)[0].note == "yeni not"
        await pilot.press("L")
        await pilot.pause()
        await pilot.press(*"ceasefire", "enter")
        await pilot.pause()
        assert app.library.records(Span)[0].label == "ceasefire"
        await pilot.press("u")
        await pilot.pause()
        assert app.library.records(Span)[0].label == "mediation"
        await pilot.press("x")
        await pilot.pause()
        assert app.library.records(Span) == []


async def test_library_entity_filter_prompt(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        await pilot.press(*"Hakan Fidan", "enter")
        await pilot.pause()
        titles = [r["title"] for r in app.screen.query_one("#articles").rows]
        assert len(titles) == 3 and any(t.startswith("Kızılay") for t in titles)


async def test_check_action_answers_from_state_before_during_and_after_the_screen(
    tmp_path: Path,
):
    """The footer asks check_action about every binding (the App's too) at any moment: a screen
    not yet composed, or already gone, must answer without raising (it used to end the app)."""
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = ArticleScreen(SAMPLE_ID, [SAMPLE_ID])
        actions = [b.action.partition("(")[0] for b in screen.BINDINGS] + ["copy_text"]
        for action in actions:
            screen.check_action(action, ())  # not composed yet
        app.push_screen(screen)
        await pilot.pause()
        assert all(screen.check_action(a, ()) is not None for a in actions)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen
        for action in actions:
            screen.check_action(action, ())  # gone


async def test_an_article_note_in_the_panel_can_be_edited_and_deleted(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sample(pilot)
        await pilot.press("N", *"ilk not", "enter", "e")  # e: show and focus the panel
        await pilot.pause()
        (note,) = app.library.records(Note)
        panel = screen.query_one(AnnotationPanel)
        assert panel.has_focus
        panel.select_item("note", note.id)  # moving onto a note used to crash (no 'start')
        await pilot.pause()
        await pilot.press("c", "ctrl+u", *"düzeltilmiş not", "enter")
        await pilot.pause()
        assert [n.text for n in app.library.records(Note)] == ["düzeltilmiş not"]
        await pilot.press("x")
        await pilot.pause()
        assert app.library.records(Note) == []


async def test_next_entity_moves_on_while_the_panel_has_focus(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=(130, 40)) as pilot:
        screen = await open_sample(pilot)
        screen.query_one(AnnotationPanel).focus()
        starts = []
        for _ in range(len(screen.entities)):
            await pilot.press("right_square_bracket")
            await pilot.pause()
            starts.append(screen.picked.start)
        assert starts == sorted(e.start for e in screen.entities)  # every mention, in order


async def test_selecting_a_passage_after_a_mouse_click(tmp_path: Path):
    """A click used to overwrite the screen's selection helper with Textual's own text-selection
    flag (both were ``_selecting``): every selection key then crashed the app."""
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sample(pilot)
        await pilot.click(ArticleView)
        await pilot.pause()
        await pilot.press("v")
        start, end = screen.selection
        await pilot.press("w")
        await pilot.pause()
        assert screen.selection[0] == start and screen.selection[1] > end
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoicePrompt)


def test_the_article_actions_shadow_nothing_of_textual():
    """The mixins come before Screen in ArticleScreen's bases: a name they share with Textual
    replaces Textual's."""
    ours = set().union(*(vars(c) for c in (TagActions, EntityActions, PassageActions)))
    textual = set().union(*(vars(c) for c in Screen.__mro__))
    assert {n for n in ours & textual if not n.startswith("__")} == set()


async def test_escape_in_the_side_panel_returns_to_the_text(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_sample(pilot)
        await pilot.press("e", "j")  # show and focus the panel, move onto an entity
        assert screen.panel.has_focus and screen.picked is not None
        await pilot.press("escape")
        assert app.screen is screen and screen.article_view.has_focus
        assert screen.panel.display and screen.picked is not None  # nothing else undone
        await pilot.press("escape")  # then the ladder as before: the entity, the article
        assert app.screen is screen and screen.picked is None
        await pilot.press("escape")
        assert app.screen is not screen
