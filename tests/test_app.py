"""Key flows of the app, driven by Textual's pilot."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Label, Static

from annotations.edits import Edits
from reader.tui.app import ReaderApp
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.article_view import ArticleView

from .app_support import make_app, make_library

SIZE = (80, 24)


async def test_list_shows_samples_and_navigates(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.screen.query_one(ArticleList)
        assert len(listing.rows) == 7
        await pilot.press("j", "j")
        assert listing.cursor == 2
        await pilot.press("G")
        assert listing.cursor == 6
        await pilot.press("g")
        assert listing.cursor == 0


async def test_search_enter_opens_best_match_and_escape_goes_back(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"kizilay")
        listing = app.screen.query_one(ArticleList)
        assert listing.rows[0]["title"].startswith("Kızılay")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article.title.startswith("Kızılay")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert app.library.read_ids() == set()  # a moment on screen is not reading it


async def test_turkish_case_search(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        for query, expected in [
            ("İSTANBUL", "İstanbul'da"),
            ("lübnan", "Lübnan"),
            ("ISTANBUL", "İstanbul'da"),
            ("kizilay", "Kızılay"),
        ]:
            await pilot.press("slash", *query)
            assert screen.query_one(ArticleList).rows[0]["title"].startswith(expected), query
            await pilot.press("escape")


async def test_search_and_entity_filter_without_turkish_letters(tmp_path: Path):
    from reader.core.importing import import_parsed
    from reader.ingest import parse_bytes

    library = make_library(tmp_path / "lib")
    body = "Tarım haberi\n\nKahramanmaraş’ta gül hasadı başladı."
    import_parsed(library, [parse_bytes("gul.txt", body.encode())])
    app = ReaderApp(library, theme="okur-dark")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"marasta gul")  # typed on a keyboard without ş and ü
        await app.workers.wait_for_complete()  # the full search keys, not only titles
        await pilot.pause()
        listing = app.screen.query_one(ArticleList)
        assert [r["title"] for r in listing.rows] == ["Tarım haberi"]
        await pilot.press("enter")
        await pilot.pause()
        text = app.screen.text
        marked = [text[m.start : m.end] for m in app.screen.marks([]) if m.kind == "search"]
        assert marked == ["maraş’ta", "gül"]
        await pilot.press("escape")
        await pilot.pause()
        app.screen.filter_entity("Kahramanmaras")  # what the E prompt does with its answer
        assert [r["title"] for r in listing.rows] == ["Tarım haberi"]


async def test_next_previous_and_reading_position(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        first = app.screen.article_id
        await pilot.press("n")
        await pilot.pause()
        second = app.screen.article_id
        assert second != first
        await pilot.press("space")
        await pilot.pause()
        position = app.screen.query_one(ArticleView).top_offset()
        assert position > 0
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.article_id == first
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one(ArticleView).top_offset() == position


def _help_lines(app: ReaderApp) -> list[str]:
    return "\n".join(str(s.content) for s in app.screen.query(Static)).splitlines()


def _shows(lines: list[str], app: ReaderApp, binding: Binding) -> bool:
    """A line shows the binding: its description, each of its keys, and the id to remap it by."""
    keys = {app.get_key_display(Binding(k.strip(), "")) for k in binding.key.split(",")}
    tokens = keys | ({binding.id} if binding.id else set())
    return any(
        binding.description in line and tokens <= set(re.split(r"[\s,]+", line)) for line in lines
    )


def _keys_of(screen: Screen) -> list[Binding]:
    """Every binding the screen declares (in any mode), and the ones active on it that the
    app defines (they have ids: the focused widget's, the app's), with a description."""
    declared = [b for b in type(screen).BINDINGS if isinstance(b, Binding)]
    active = [a.binding for a in screen.active_bindings.values() if a.binding.id]
    return [b for b in declared + active if b.description]


async def test_help_lists_every_key_of_the_screen_below_and_the_guide(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        guide_lines = [line for line in _guide(app).splitlines() if line.strip()]
        assert "{" not in "".join(guide_lines)  # every key of the guide filled in
        for other in (ArticleScreen, LibraryScreen):  # help over the library, then an article
            below = app.screen
            expected = _keys_of(below)
            assert len(expected) > 15 and any(b.key == "question_mark" for b in expected)
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            lines = _help_lines(app)
            assert [line for line in guide_lines if line not in lines] == []
            missing = [(b.key, b.description) for b in expected if not _shows(lines, app, b)]
            assert missing == [], f"help over {type(below).__name__} does not show these"
            ids = {b.id for b in expected}
            words = {word for line in lines for word in line.split()}
            not_here = [b.id for b in other.BINDINGS if b.id and b.id not in ids]
            assert not_here and [i for i in not_here if i in words] == []  # not the other's
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is below
            if other is ArticleScreen:
                await pilot.press("enter")
                await pilot.pause()
                assert isinstance(app.screen, ArticleScreen)


async def test_sort_and_filters(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    first_id = app.library.articles()[0]["id"]
    Edits(app.library).tag(first_id, "ceasefire")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.screen.query_one(ArticleList)
        await pilot.press("s")
        titles = [r["title"] for r in listing.rows]
        assert app.screen.query_state.sort == "title"
        assert titles[0].startswith("İstanbul")  # Turkish-aware order: İ sorts as i
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert [r["id"] for r in listing.rows] == [first_id]
        await pilot.press("c")
        assert len(listing.rows) == 7
        await pilot.press("u")
        assert app.screen.query_state.read_state == "unread"


async def test_theme_switch_is_saved_in_the_users_own_settings_file(tmp_path: Path, isolated_home):
    settings = isolated_home / "config" / "haber-okur" / "settings.yaml"
    settings.parent.mkdir(parents=True)
    hand_edited = "# my keys\nkeys:\n  library.sort: o   # s is for search to me\n"
    settings.write_text(hand_edited, encoding="utf-8")
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.theme = "okur-light"
        await pilot.pause()
    assert settings.read_text(encoding="utf-8") == hand_edited + "theme: okur-light\n"
    again = ReaderApp(make_library(tmp_path / "lib"))
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "okur-light"


async def test_broken_user_theme_and_taxonomy_are_reported_not_fatal(tmp_path: Path, isolated_home):
    themes = isolated_home / "config" / "haber-okur" / "themes"
    themes.mkdir(parents=True)
    (themes / "bad.yaml").write_text("name: bad\nprimary: notacolour\n")
    (themes / "mine.yaml").write_text("name: mine\nprimary: '#ff0000'\n")
    taxonomy = themes.parent / "taxonomy.yaml"
    taxonomy.write_text("tags:\n  - key: ateşkes\n   keywords: [ateşkes]\n", encoding="utf-8")
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "mine" in app.available_themes
        assert any("bad.yaml" in n.message for n in app._notifications)
        assert any(f"{taxonomy}, line 3: " in n.message for n in app._notifications)


async def test_palette_command_switches_theme(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"theme: okur-contrast")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "okur-contrast"


async def test_other_process_tag_appears_live(tmp_path: Path):
    from annotations.library import Library

    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.screen.query_one(ArticleList)
        article_id = listing.rows[0]["id"]
        Edits(Library(tmp_path / "lib", annotator="mehmet")).tag(article_id, "mediation")
        await pilot.pause(1.3)
        assert listing.tags.get(article_id) == ["mediation"]


async def test_hostile_article_is_literal(tmp_path: Path):
    app = make_app(tmp_path / "lib", hostile=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"tikla", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        assert "[@click=app.quit]" in screen.article.title
        assert "\x1b" not in screen.article.text and "\u202e" not in screen.article.text
        view = screen.query_one(ArticleView)
        shown = Content.from_markup(str(view.border_title)).plain  # what the border draws
        assert shown == screen.article.title
        await pilot.click(ArticleView, offset=(10, 0))  # where the title's "link" would be
        await pilot.press("j", "k")
        assert app.is_running


async def test_search_keys_while_typing(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"ateşkes xyz", "ctrl+w")
        listing = app.screen.query_one(ArticleList)
        assert app.screen.query_state.search == "ateşkes"
        assert len(listing.rows) > 1
        await pilot.press("down", "enter")  # the second match, chosen while typing
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article_id == listing.rows[1]["id"]


async def test_escape_in_search_drops_it_and_clears_the_box(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"sudan")
        listing = app.screen.query_one(ArticleList)
        assert len(listing.rows) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert len(listing.rows) == 7
        assert app.screen.query_one("#search").value == ""
        assert app.focused is listing


async def test_three_megabyte_article_opens_and_scrolls(tmp_path: Path):
    from reader.core.importing import import_parsed
    from reader.ingest import parse_bytes

    library = make_library(tmp_path / "lib")
    paragraph = (
        "Ateşkes görüşmeleri İstanbul’da sürüyor ve heyetler yeniden bir araya geliyor. " * 8
    )
    body = "\n\n".join(f"{i}. {paragraph}" for i in range(4800))
    big = f"date 2025-11-30 Test\nÇok uzun haber\n\n10:0030/11/2025, Pazar\nAA\n{body}\n"
    assert len(big) > 3_000_000
    import_parsed(library, [parse_bytes("big.txt", big.encode())])
    app = ReaderApp(library, theme="okur-dark")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"uzun haber", "enter")
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        assert len(view.lines) > 40_000
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_offset.y > 40_000
        await pilot.press("g", "space", "space", "ctrl+d")
        await pilot.pause()
        assert 0 < view.scroll_offset.y < 100


@pytest.mark.parametrize("theme", ["okur-dark", "okur-light", "okur-contrast", "okur-ansi"])
async def test_every_bundled_theme_starts_and_shows_an_article(tmp_path: Path, theme: str):
    app = ReaderApp(make_library(tmp_path / "lib"), theme=theme)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == theme
        await pilot.press("enter", "right_square_bracket", "v", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_over_ssh_animations_are_off_and_the_theme_is_the_16_colour_one(
    tmp_path: Path, monkeypatch
):
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    app = ReaderApp(make_library(tmp_path / "lib"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.animation_level == "none"
        assert app.theme == "okur-ansi"


async def test_palette_export_writes_yaml(tmp_path: Path, monkeypatch):
    import yaml

    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path / "lib")
    Edits(app.library).tag("00e97159207a77b9", "no")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"export: YAML")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+u", *"out.yaml", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    doc = yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))
    assert doc["articles"][0]["tags"][0]["tag"] == "no"


async def test_keys_remapped_by_binding_id(tmp_path: Path, isolated_home):
    settings = isolated_home / "config" / "haber-okur" / "settings.yaml"
    settings.parent.mkdir(parents=True)
    settings.write_text("keys:\n  library.sort: o\n", encoding="utf-8")
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        assert app.screen.query_state.sort == "title"


def _footer_keys(app: ReaderApp) -> dict[str, str]:
    from textual.widgets._footer import FooterKey

    return {k.description: k.key for k in app.screen.query(FooterKey)}


def _palette_help(app: ReaderApp) -> dict[str, str]:
    from reader.tui.palette import ReaderCommands

    return {name: help for name, help, _ in ReaderCommands(app.screen)._commands()}


def _guide(app: ReaderApp) -> str:
    from reader.tui.keys import fill_keys
    from reader.tui.screens.help import every_binding

    guide = (resources.files("reader.tui") / "help.md").read_text(encoding="utf-8")
    return fill_keys(app, guide, every_binding(app))


def _help_keys(app: ReaderApp) -> dict[str, str]:
    from reader.tui.screens.help import binding_rows

    return {binding_id: keys for binding_id, keys, _ in binding_rows(app.screen) if binding_id}


async def test_remapped_keys_work_and_are_the_ones_shown(tmp_path: Path, isolated_home):
    """Help, footer and palette name the keys in force; the old keys no longer act, also for
    the keys handled by the list (the search's start and cancel) rather than by a binding."""
    settings = isolated_home / "config" / "haber-okur" / "settings.yaml"
    settings.parent.mkdir(parents=True)
    settings.write_text(
        "keys:\n  library.search: f\n  library.escape: ctrl+g\n"
        "  article.tag: y\n  article.back: backspace\n  prompt.cancel: f2\n",
        encoding="utf-8",
    )
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert _footer_keys(app)["Search"] == "f"
        assert _help_keys(app)["library.search"] == "f"
        assert _help_keys(app)["library.escape"] == "^g"
        assert _palette_help(app)["library: search"] == "Search as you type (f)"
        assert "\n  f         search as you type" in _guide(app)  # the help's prose too
        listing = app.screen.query_one(ArticleList)
        await pilot.press("slash")
        assert not listing.typing_ahead
        await pilot.press("f", "x", "escape")
        assert listing.typing_ahead and app.screen.query_state.search == "x"
        await pilot.press("ctrl+g", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        back = app.get_key_display(Binding("backspace", ""))
        footer = _footer_keys(app)
        assert (footer["Tag"], footer["Back"]) == ("y", "backspace")
        help_keys = _help_keys(app)
        assert (help_keys["article.tag"], help_keys["article.back"]) == ("y", back)
        palette = _palette_help(app)
        assert palette["article: tag"] == "Add a tag (y)"
        assert palette["article: back"] == f"Back to the library ({back})"
        await pilot.press("t", "escape")
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChoicePrompt"
        hint = app.screen.query_one("#prompt-hint", Label).render()
        assert "f2 cancels" in str(hint)
        await pilot.press("f2", "backspace")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_a_new_search_starts_at_the_best_match(tmp_path: Path):
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G")  # the cursor on the last (oldest) article
        await pilot.press("slash", *"gazze")
        listing = app.screen.query_one(ArticleList)
        assert listing.cursor == 0 and len(listing.rows) > 1


async def test_articles_imported_while_running_are_listed_and_searchable(tmp_path: Path):
    from reader.core.importing import import_parsed
    from reader.ingest import parse_bytes

    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", "x", "escape")  # search keys loaded
        await pilot.pause(1.2)  # and the start-up timer that loads them has passed
        await app.workers.wait_for_complete()
        other = make_library(tmp_path / "lib")
        import_parsed(other, [parse_bytes("n.txt", "Zeytin hasadı\n\nErzincan’da bugün.".encode())])
        await pilot.pause(1.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        listing = app.screen.query_one(ArticleList)
        assert len(listing.rows) == 8
        await pilot.press("slash", *"erzincan")
        assert [r["title"] for r in listing.rows] == ["Zeytin hasadı"]


async def test_palette_offers_only_our_themes_and_the_users(tmp_path: Path, isolated_home):
    from textual.command import CommandList, CommandPalette

    themes = isolated_home / "config" / "haber-okur" / "themes"
    themes.mkdir(parents=True)
    (themes / "mine.yaml").write_text("name: mine\nprimary: '#ff0000'\n")
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ours = ["mine", "okur-ansi", "okur-contrast", "okur-dark", "okur-light"]
        assert [t.name for t in app.reader_themes()] == ours
        app.action_change_theme()  # Textual's own "Theme" command
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        commands = app.screen.query_one(CommandList)
        offered = [
            str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)
        ]
        assert sorted(offered) == ours


async def test_read_after_a_while_or_a_scroll_and_m_marks_unread(tmp_path: Path, monkeypatch):
    from reader.tui.screens import article

    monkeypatch.setattr(article, "READ_AFTER", 2.0)
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.screen.query_one(ArticleList)
        first, second, third = (r["id"] for r in listing.rows[:3])
        await pilot.press("enter", "n")  # passing through the first
        for _ in range(100):  # the second stays on screen: read once its time is up
            await pilot.pause(0.1)
            if app.library.read_ids():
                break
        assert app.library.read_ids() == {second}
        await pilot.press("m", "space")  # unread again, and it stays so (a scroll or not)
        await pilot.pause()
        assert app.library.read_ids() == set()
        await pilot.press("n", "space")  # the third, scrolled at once
        await pilot.pause()
        assert app.library.read_ids() == {third}
        await pilot.press("escape")
        await pilot.pause()
        assert listing.current["id"] == third
        await pilot.press("m")
        assert app.library.read_ids() == set() and third not in listing.read
        await pilot.press("m")
        assert app.library.read_ids() == {third} and third in listing.read


async def test_entity_filter_offers_the_librarys_entities_most_frequent_first(tmp_path: Path):
    from reader.tui.screens.prompts import ChoicePrompt

    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        library_screen = app.screen
        library_screen.load_search_keys()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("E")
        prompt = app.screen
        assert isinstance(prompt, ChoicePrompt)
        values = [value for value, _ in prompt.choices]
        assert values[0] == "Birleşmiş Milletler" and "Hakan Fidan" in values
        counts = [int(label.rpartition("(")[2].rstrip(")")) for _, label in prompt.choices]
        assert counts == sorted(counts, reverse=True)
        await pilot.press(*"Bir Ad Daha", "enter")  # free text still goes
        await pilot.pause()
        assert library_screen.query_state.entity == "Bir Ad Daha"


async def test_export_proposes_a_file_in_the_documents_folder(tmp_path: Path, isolated_home):
    from textual.widgets import Input

    from reader.core.location import export_dir

    assert export_dir() == isolated_home / "data" / "haber-okur" / "exports"  # no Documents
    (isolated_home / "Documents").mkdir()
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_export()
        await pilot.pause()
        proposed = Path(app.screen.query_one(Input).value)
        assert proposed.parent == isolated_home / "Documents" / "haber-okur"  # the full path
        assert proposed.name.startswith("annotations-") and proposed.suffix == ".yaml"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert proposed.is_file()  # its folder was made


async def test_with_16_colours_the_theme_is_the_16_colour_one_unless_chosen(
    tmp_path: Path, isolated_home, monkeypatch
):
    from textual import constants

    monkeypatch.setattr(constants, "COLOR_SYSTEM", "standard")  # what --colors 16 sets
    assert ReaderApp(make_library(tmp_path / "lib")).theme == "okur-ansi"
    assert ReaderApp(make_library(tmp_path / "lib"), theme="okur-light").theme == "okur-light"
    settings = isolated_home / "config" / "haber-okur" / "settings.yaml"
    settings.parent.mkdir(parents=True)
    settings.write_text("theme: okur-contrast\n", encoding="utf-8")
    assert ReaderApp(make_library(tmp_path / "lib")).theme == "okur-contrast"
