"""Command palette: namespaced, context-sensitive commands, rebuilt on every search."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from annotations.textfold import fold, fold_query
from reader.tui.keys import key_display, with_key

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp

Command = tuple[str, str, Callable[[], object]]
OTHER_FORMATS = {  # docs/exchange.md
    "jsonl": "Prodigy and spaCy (tokens, spans)",
    "doccano": "doccano",
    "brat": "brat (a folder of .txt and .ann)",
    "conll": "NER trainers (CoNLL IOB2 entities)",
    "label-studio": "Label Studio (tasks)",
    "w3c": "Web Annotation (JSON-LD)",
}
MAX_ARTICLE_HITS = 30


def safe_highlight(matcher: Matcher, candidate: str) -> Content:
    """Like ``Matcher.highlight`` but the candidate is literal text, never markup."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if score:
        for offset in offsets:
            if not candidate[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ReaderCommands(Provider):
    """Commands for the library, the article on screen, themes and export."""

    if TYPE_CHECKING:
        # Textual types Provider.app as App[object], and App is invariant in its result type,
        # so no subclass of App can narrow it; the palette runs only in the ReaderApp.
        @property
        def app(self) -> ReaderApp: ...  # type: ignore[override]

    def _commands(self) -> Iterator[Command]:
        from reader.tui.screens.article import ArticleScreen
        from reader.tui.screens.library import LibraryScreen

        app = self.app
        screen = self.screen
        library_screen = next(
            (s for s in reversed(app.screen_stack) if isinstance(s, LibraryScreen)), None
        )
        keyed = partial(with_key, screen)
        if isinstance(screen, LibraryScreen):
            yield (
                "library: search",
                keyed("Search as you type", "library.search"),
                screen.action_start_search,
            )
            yield (
                "library: sort by next key",
                keyed("date → title → source", "library.sort"),
                screen.action_cycle_sort,
            )
            yield (
                "library: filter by tag",
                keyed("Show articles with a tag", "library.filter_tag"),
                screen.action_filter_tag,
            )
            yield (
                "library: filter by source",
                keyed("Show one source", "library.filter_source"),
                screen.action_filter_source,
            )
            yield (
                "library: filter by entity",
                keyed(
                    "Articles that mention a person, organisation or place",
                    "library.filter_entity",
                ),
                screen.action_filter_entity_prompt,
            )
            yield (
                "library: unread / read / all",
                keyed("Cycle the read filter", "library.filter_read"),
                screen.action_cycle_read,
            )
            yield (
                "library: mark read / unread",
                keyed("Toggle the highlighted article's read mark", "library.unread"),
                screen.action_toggle_read,
            )
            yield (
                "library: clear filters",
                keyed("Show every article", "library.clear"),
                screen.action_clear_filters,
            )
        if isinstance(screen, ArticleScreen):
            yield (
                "article: next",
                keyed("Next article in the list", "article.next"),
                partial(screen.action_step, 1),
            )
            yield (
                "article: previous",
                keyed("Previous article", "article.previous"),
                partial(screen.action_step, -1),
            )
            yield (
                "article: back",
                keyed("Back to the library", "article.back"),
                screen.action_back,
            )
            yield from screen.palette_commands()
        for theme in app.reader_themes():
            yield (
                f"theme: {theme.name}",
                "Switch theme (saved)",
                partial(setattr, app, "theme", theme.name),
            )
        help_keys = key_display(screen, "library.help") or key_display(screen, "article.help")
        help_text = f"Every key on this screen ({help_keys or key_display(screen, 'app.help')})"
        quit_key = key_display(library_screen, "library.quit") if library_screen else ""
        quit_text = f"Leave haber-okur ({quit_key} in the library)" if quit_key else "Leave"
        yield (
            "team: review disagreements",
            "Settle where annotators differ, into the gold layer",
            app.action_review,
        )
        yield (
            "team: agreement",
            "κ, α and F1 between annotators, per tag and label",
            app.action_agreement,
        )
        yield (
            "feeds: Fetch feeds",
            "Fetch the library's feeds and import new articles (reader fetch)",
            app.action_fetch_feeds,
        )
        yield (
            "stats: corpus at a glance",
            with_key(library_screen, "Sources, weeks, tags, entities, progress", "library.stats")
            if library_screen is not None
            else "Sources, weeks, tags, entities, progress",
            app.action_stats,
        )
        yield (
            "sync: git repository",
            "Send your annotations and receive the others' (reader sync)",
            app.action_sync,
        )
        from reader.entities.models import current

        yield (
            "entities: train on the library's corrections",
            f"Learn the names people corrected (now: {current().describe()})",
            app.action_train_entities,
        )
        yield (
            "entities: which recogniser",
            "Rules, or the model in use and when it was trained",
            app.action_show_recogniser,
        )
        yield ("export: YAML", "Export all annotations to a YAML file", app.action_export)
        yield (
            "export: gold layer",
            "Export the settled annotations to a YAML file",
            partial(app.action_export, True),
        )
        for fmt, tool in OTHER_FORMATS.items():
            yield (
                f"export: {fmt}",
                f"All annotations for {tool}",
                partial(app.action_export, False, fmt),
            )
        yield ("help: keys", help_text, app.action_help)
        if library_screen is not None:
            yield ("app: quit", quit_text, app.action_quit)

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, safe_highlight(matcher, name), callback, text=name, help=help_text)
        words = fold_query(query.removeprefix("open:")).split()
        hits = 0
        for row in self.app.library.articles():
            title = row.get("title") or ""
            if not words or not all(w in fold(title) for w in words):
                continue
            label = f"open: {title}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score * 0.9,
                    safe_highlight(matcher, label),
                    partial(self._open, row["id"]),
                    text=label,
                    help=f"{row.get('source') or ''} {row.get('date') or ''}".strip(),
                )
                hits += 1
                if hits >= MAX_ARTICLE_HITS:
                    break

    def _open(self, article_id: str) -> None:
        ids = [r["id"] for r in self.app.library.articles()]
        self.app.open_article(article_id, ids)


class ThemeCommands(Provider):
    """The palette of Textual's "Theme" command: only the themes the reader offers."""

    if TYPE_CHECKING:

        @property
        def app(self) -> ReaderApp: ...  # type: ignore[override]

    def _commands(self) -> list[tuple[str, Callable[[], object]]]:
        app = self.app
        return [(t.name, partial(setattr, app, "theme", t.name)) for t in app.reader_themes()]

    async def discover(self) -> Hits:
        for name, callback in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, safe_highlight(matcher, name), callback, text=name)
