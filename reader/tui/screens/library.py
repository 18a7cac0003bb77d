"""The library screen: the article list with search, sort and filters."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Static

from annotations.errors import LibraryError
from reader.core.search import Searcher
from reader.tui.keys import key_display, keys_by_id
from reader.tui.listing import ListQuery, select
from reader.tui.screens.prompts import ChoicePrompt
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.footer import FittedFooter

if TYPE_CHECKING:
    from textual import getters

    from annotations.library import Library
    from reader.tui.app import ReaderApp

SEARCH_KEYS_DELAY = 1.0


class LibraryScreen(Screen[None]):
    if TYPE_CHECKING:
        app = getters.app(ReaderApp)

    BINDINGS = [
        Binding("slash", "start_search", "Search", id="library.search"),
        Binding(
            "escape", "escape", "Cancel search, clear filters", show=False, id="library.escape"
        ),
        Binding("s", "cycle_sort", "Sort", show=False, id="library.sort"),
        Binding("T", "filter_tag", "Tag filter", id="library.filter_tag"),
        Binding("S", "filter_source", "Source filter", show=False, id="library.filter_source"),
        Binding(
            "E", "filter_entity_prompt", "Entity filter", show=False, id="library.filter_entity"
        ),
        Binding("u", "cycle_read", "Unread/read", show=False, id="library.filter_read"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="library.unread"),
        Binding("c", "clear_filters", "Clear", show=False, id="library.clear"),
        Binding("t", "tag", "Tag", show=False, id="library.tag"),
        Binding("U", "app.undo", "Undo", show=False, id="library.undo"),
        Binding("percent_sign", "app.stats", "Corpus stats", show=False, id="library.stats"),
        Binding("question_mark", "app.help", "Help", id="library.help"),
        Binding("q", "app.quit", "Quit", id="library.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_state = ListQuery()
        self.searcher: Searcher | None = None
        self._before_search: ListQuery | None = None
        self._articles_version: object = None
        self._mentions: tuple[Searcher, str, set[str]] | None = None
        self._read_only = False
        self.rows_total = 0
        self.names_found: dict[str, int] = {}  # gazetteer names in the search keys (a worker)

    @property
    def library(self) -> Library:
        return self.app.library

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield ArticleList(id="articles")
        search_key = key_display(self, "library.search")
        yield Input(
            placeholder=f"{search_key} search title, text, source, keywords",
            id="search",
            select_on_focus=False,
        )

    def on_mount(self) -> None:
        listing = self.query_one(ArticleList)
        listing.start_search = self.action_start_search
        listing.type_ahead = self._typed_ahead
        listing.search_keys = frozenset(keys_by_id(self, "library.search"))  # as remapped
        listing.cancel_keys = frozenset(keys_by_id(self, "library.escape"))
        self.refresh_rows()
        self.call_after_refresh(self.app.replay_early_keys)  # what was typed ahead: now
        self.call_after_refresh(self._mount_footer)  # the list first: start-up matters
        self.set_timer(SEARCH_KEYS_DELAY, self.load_search_keys)  # after the first paint

    async def _mount_footer(self) -> None:
        await self.mount(FittedFooter())
        self.refresh_bindings()  # a footer mounted late has missed the first bindings signal

    @work(thread=True, exclusive=True, group="search-keys")
    def load_search_keys(self) -> None:
        from reader.core.annotating import gazetteer_mentions

        searcher = Searcher(self.library.search_keys()).prepare()
        self.app.call_from_thread(self._searcher_ready, searcher)
        names = gazetteer_mentions(searcher.keys)  # for the entity filter's choices
        self.app.call_from_thread(setattr, self, "names_found", names)

    def _searcher_ready(self, searcher: Searcher) -> None:
        self.searcher = searcher
        if self.query_state.search or self.query_state.entity:
            self.refresh_rows()

    # -- rows ---------------------------------------------------------------------------
    def refresh_rows(self, keep_id: str | None = None, *, to_top: bool = False) -> None:
        """Recompute the rows from the library (cheap: cached until a file changes)."""
        library = self.library
        articles = library.articles()
        version = library.articles_version
        if self.searcher is not None and version != self._articles_version:
            self.load_search_keys()  # articles were imported meanwhile: search them too
        self._articles_version = version
        self._read_only = library.read_only  # checked when the files change, not per keystroke
        ready = self.app.annotations_ready  # else they are still being read, in a worker
        tags = library.tags_by_article() if ready else {}
        read = library.read_ids() if ready else set()
        query = self.query_state
        searcher = self.searcher
        if searcher is None and query.search:
            searcher = Searcher(_metadata_keys(articles))
        entity_ids = self._entity_ids(query.entity) if query.entity else None
        rows = select(
            articles, query, tags=tags, read=read, searcher=searcher, entity_ids=entity_ids
        )
        counts = self.app.annotation_counts() if ready else {}
        listing = self.query_one(ArticleList)
        current = listing.current
        if keep_id is None and current is not None and not to_top:
            keep_id = current["id"]  # a refresh keeps your place; a new query starts at the top
        listing.set_rows(
            rows,
            tags=tags,
            read=read,
            counts=counts,
            keep_id=keep_id,
        )
        self.rows_total = len(articles)
        self.update_status()

    def _entity_ids(self, surface: str) -> set[str]:
        """Articles that mention the entity (found in the full search keys; kept until those
        or the entity change, not recomputed per search keystroke)."""
        if self.searcher is None:
            self.searcher = Searcher(self.library.search_keys())
        if self._mentions is None or self._mentions[:2] != (self.searcher, surface):
            self._mentions = (self.searcher, surface, self.searcher.mentioning(surface))
        return self._mentions[2]

    def update_status(self) -> None:
        listing = self.query_one(ArticleList)
        status = Text()
        status.append(" haber-okur ", style="bold")
        status.append(f" {len(listing.rows)} of {self.rows_total} articles ")
        status.append(f" sort: {self.query_state.sort} ", style="dim")
        if self._read_only:
            status.append(" read-only ", style="bold reverse")
        described = self.query_state.describe()
        if described:
            status.append(" " + described + " ", style="bold")
        self.query_one("#status", Static).update(status)
        listing.border_title = f"Articles ({len(listing.rows)})"
        position = f"{listing.cursor + 1} / {len(listing.rows)}" if listing.rows else "0 / 0"
        listing.border_subtitle = position

    def set_query(self, query: ListQuery) -> None:
        """Show the rows of ``query``, from the top (the best match first)."""
        self.query_state = query
        self.refresh_rows(to_top=True)
        search = self.query_one("#search", Input)
        if search.value.strip() != query.search:
            with search.prevent(Input.Changed):
                search.value = query.search

    @on(ArticleList.Highlighted)
    def _highlighted(self) -> None:
        self.update_status()

    @on(ArticleList.Opened)
    def _open(self, event: ArticleList.Opened) -> None:
        ids = [r["id"] for r in self.query_one(ArticleList).rows]
        self.app.open_article(event.article_id, ids, self.query_state.search)

    # -- search -------------------------------------------------------------------------
    def action_start_search(self) -> None:
        """Type the search from the list (see ArticleList.on_key); the box shows it."""
        if self.searcher is None:
            self.load_search_keys()
        self._before_search = self.query_state
        listing = self.query_one(ArticleList)
        listing.typing_ahead = True
        self.set_focus(listing)
        self.query_one("#search", Input).add_class("-typing")

    def _typed_ahead(self, key: str, character: str | None) -> None:
        """A key of the search being typed (the list has the focus)."""
        search = self.query_one("#search", Input)
        if key == "enter":
            self._search_submitted()
            return
        if key == "escape":  # library.escape's keys (the list passes them as "escape")
            self.action_escape()
            return
        if key == "backspace":
            search.value = search.value[:-1]
        elif key == "ctrl+u":
            search.value = ""
        elif key == "ctrl+w":
            search.value = search.value.rstrip().rpartition(" ")[0]
        elif character:
            search.value += character
        self._apply_search(search.value)

    def _apply_search(self, value: str) -> None:
        query = replace(self.query_state, search=value.strip())
        if query != self.query_state:
            self.query_state = query
            self.refresh_rows(to_top=True)

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        """Typing in the box itself (after a click on it)."""
        if self.query_one("#search", Input).has_focus:
            self._apply_search(event.value)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self._apply_search(self.query_one("#search", Input).value)
        self._close_search()
        self.query_one(ArticleList).action_open()  # the best match, or the row moved to

    def action_escape(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus or self.query_one(ArticleList).typing_ahead:
            # Escape in the search: drop the search, keep the other filters
            self.set_query(self._before_search or replace(self.query_state, search=""))
            self._close_search()
        elif self.query_state != ListQuery(sort=self.query_state.sort):
            self.action_clear_filters()

    def _close_search(self) -> None:
        self.query_one(ArticleList).typing_ahead = False
        self.query_one("#search", Input).remove_class("-typing")
        self.set_focus(self.query_one(ArticleList))

    # -- sort and filters ---------------------------------------------------------------
    def action_cycle_sort(self) -> None:
        self.set_query(self.query_state.next_sort())

    def action_cycle_read(self) -> None:
        self.set_query(self.query_state.next_read_state())

    def action_clear_filters(self) -> None:
        self.set_query(ListQuery(sort=self.query_state.sort))
        self.notify("Filters cleared", timeout=1.5)

    def action_filter_tag(self) -> None:
        counts: dict[str, int] = {}
        for names in self.library.tags_by_article().values():
            for name in names:
                counts[name] = counts.get(name, 0) + 1
        if not counts:
            self.notify("No article is tagged yet", severity="warning")
            return
        choices = [(name, f"{name}  ({n})") for name, n in sorted(counts.items())]

        def chosen(tag: str | None) -> None:
            if tag:
                self.set_query(replace(self.query_state, tag=tag))

        self.app.push_screen(ChoicePrompt("Show articles tagged…", choices), chosen)

    def action_filter_source(self) -> None:
        counts: dict[str, int] = {}
        for row in self.library.articles():
            source = row.get("source") or "-"
            counts[source] = counts.get(source, 0) + 1
        choices = [(name, f"{name}  ({n})") for name, n in sorted(counts.items())]

        def chosen(source: str | None) -> None:
            if source:
                self.set_query(replace(self.query_state, source=source))

        self.app.push_screen(ChoicePrompt("Show articles from…", choices), chosen)

    def action_tag(self) -> None:
        """Tag the highlighted article without opening it."""
        from annotations.sanitize import clean_line
        from reader.core.annotating import tag_choices

        current = self.query_one(ArticleList).current
        if current is None:
            return

        def save(tag: str | None) -> None:
            name = clean_line(tag or "")
            if name:
                self.app.edit(lambda edits: edits.tag(current["id"], name), f"Tagged: {name}")

        self.app.push_screen(
            ChoicePrompt("Tag the highlighted article", tag_choices(self.library), allow_new=True),
            save,
        )

    def action_toggle_read(self) -> None:
        """Mark the highlighted article read, or unread again."""
        current = self.query_one(ArticleList).current
        if current is None:
            return
        article_id = current["id"]
        read = article_id not in self.library.read_ids()
        try:
            self.app.edits.mark_read(article_id, read=read)
        except (LibraryError, OSError) as exc:
            self.app.report_error(exc)
            return
        self.notify("Marked read" if read else "Marked unread", timeout=1.5)
        self.refresh_rows()

    def action_filter_entity_prompt(self) -> None:
        """The library's entities, most frequent first (what is known without recognising
        every article: see ``entity_choices``); any other name may be typed."""
        from reader.core.annotating import entity_choices

        def chosen(name: str | None) -> None:
            if name and name.strip():
                self.filter_entity(name.strip())

        self.app.push_screen(
            ChoicePrompt(
                "Show articles that mention… (person, organisation, place)",
                entity_choices(self.library, self.names_found),
                allow_new=True,
                placeholder="type a name, or narrow the list",
            ),
            chosen,
        )

    def filter_entity(self, surface: str) -> None:
        self.set_query(replace(ListQuery(sort=self.query_state.sort), entity=surface))


def _metadata_keys(articles: list[dict[str, Any]]) -> dict[str, str]:
    """Search keys from metadata alone, until the full keys are loaded."""
    from annotations.textfold import fold

    return {
        a["id"]: fold(" ".join([a.get("title") or "", a.get("source") or "", *a["keywords"]]))
        for a in articles
    }
