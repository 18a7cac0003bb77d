"""The Textual app: screens, themes, live refresh, and the actions the palette offers."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from typing import Any

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from annotations.edits import Change, Edits
from annotations.errors import LibraryError
from annotations.library import Library
from annotations.records import Note, Span
from annotations.sanitize import strip_controls
from reader.core.location import config_dir
from reader.tui import settings
from themes import DEFAULT_THEME, SSH_THEME, VARIABLE_DEFAULTS, load_themes

REFRESH_SECONDS = 1.0
ANNOTATIONS_DELAY = 0.1  # seconds after start-up: the first frame is drawn before the worker reads
EARLY_KEYS_AT_MOST = 2.0  # seconds: keys typed ahead wait for the library at most this long


def _reader_commands() -> type:
    """Imported when the palette opens, not at start-up."""
    from reader.tui.palette import ReaderCommands

    return ReaderCommands


class ReaderApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "haber-okur"
    COMMANDS = App.COMMANDS | {lambda: _reader_commands()}
    BINDINGS = [
        Binding("f1", "help", "Help", show=False, id="app.help"),
    ]

    def __init__(self, library: Library, theme: str | None = None) -> None:
        super().__init__()
        self.library = library
        self.requested_theme = theme
        self.settings_path = config_dir() / "settings.yaml"
        self.user_settings: dict[str, Any] = {}
        self.over_ssh = bool(os.environ.get("SSH_CONNECTION"))
        if self.over_ssh:
            self.animation_level = "none"  # smooth scrolling costs 16x the bytes per page
        self._settings_ready = False
        self.problems: list[str] = []
        self.edits = Edits(library)  # every annotation change goes through it (and undo)
        self.annotations_ready = False  # read in a worker after the first paint
        self._warned = 0
        self._fetching = False  # a fetch of the feeds is running (reader/tui/feeds.py)
        self._early_keys: list[events.Key] | None = []  # until the library is ready
        self._training = False  # an entity model is being trained (one at a time)
        self._own_themes: list[str] = []  # bundled and user theme files, in load order
        self._apply_settings()

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLE_DEFAULTS)

    def _apply_settings(self) -> None:
        """Themes, saved theme and keys: before the first paint, so CSS is built once."""
        self.problems = self._load_themes()
        self.user_settings, problem = settings.load(self.settings_path)
        if problem:
            self.problems.append(problem)
        wanted = self.requested_theme or self.user_settings.get("theme")
        if not wanted:  # not chosen: the 16-colour theme where other colours would not show
            wanted = SSH_THEME if self.over_ssh or self.sixteen_colours() else DEFAULT_THEME
        if wanted not in self.available_themes:
            self.problems.append(f"theme {wanted!r} not found; using {DEFAULT_THEME}")
            wanted = DEFAULT_THEME
        self.theme = wanted
        self._settings_ready = True
        keys = self.user_settings.get("keys")
        if isinstance(keys, dict):  # remap by binding id, e.g. {"library.search": "f"}
            self.set_keymap({str(k): str(v) for k, v in keys.items()})

    def sixteen_colours(self) -> bool:
        """Only 16 colours: forced (``--colors 16``, READER_COLORS=16, TEXTUAL_COLOR_SYSTEM) or
        what Textual detected; the other themes' colours would be rounded to the same few."""
        return self.console.color_system == "standard"

    # -- keys typed before the library is on screen (fast typists, a slow ssh link) ----------
    async def on_event(self, event: events.Event) -> None:
        if self._early_keys is not None and isinstance(event, events.Key):
            if not event.is_forwarded:
                self._early_keys.append(event)  # kept for the library, in order
            event.stop()
            event.prevent_default()
            return
        await super().on_event(event)

    async def replay_early_keys(self) -> None:
        """Give the library the keys typed before it was ready, in order, before any key typed
        since. An Enter typed while the terminal still read whole lines arrives as ctrl+j."""
        keys, self._early_keys = self._early_keys or [], None
        for key in keys:
            again = (
                events.Key("enter", "\r")
                if key.key == "ctrl+j"
                else events.Key(key.key, key.character)
            )
            again.set_sender(self)
            await self.on_event(again)

    def get_default_screen(self) -> Screen[None]:
        from reader.tui.screens.library import LibraryScreen

        return LibraryScreen()

    def on_mount(self) -> None:
        self._tell_problems(self.problems)
        if self.library.read_only:
            self.notify(
                f"The library {self.library.folder} is read-only for you: you can read, "
                "but tags and notes will not be saved.",
                severity="warning",
                timeout=15,
                markup=False,
            )
        self.set_timer(EARLY_KEYS_AT_MOST, self.replay_early_keys)  # whatever screen is first
        self.set_interval(REFRESH_SECONDS, self.check_library)
        self.call_after_refresh(gc.enable)  # the CLI turns collection off for start-up
        self.call_after_refresh(self._check_taxonomy)
        self.set_timer(ANNOTATIONS_DELAY, self.load_annotations)  # after the first paint
        self._schedule_fetch()

    def _schedule_fetch(self) -> None:
        """``fetch_every_minutes`` (off by default): fetch the feeds while the app runs."""
        if "fetch_every_minutes" not in self.user_settings:
            return  # nothing imported at start-up for it
        from reader.tui.feeds import every_minutes

        minutes, problem = every_minutes(self.user_settings)
        if problem:
            self.notify(problem, severity="warning", timeout=10, markup=False)
        if minutes:
            self.set_interval(minutes * 60, lambda: self.action_fetch_feeds(quiet=True))

    def action_fetch_feeds(self, quiet: bool = False) -> None:
        """Fetch every feed of the library in a worker (reader/tui/feeds.py)."""
        from reader.tui.feeds import start_fetch

        start_fetch(self, quiet)

    @work(thread=True, exclusive=True, group="annotations")
    def load_annotations(self) -> None:
        """Everyone's annotations are read after the first paint (a team's 100,000 records
        take a second): the list shows first, its tags and counts a moment later."""
        self.library.tags_by_article()  # a first-release library is migrated here, once
        self.annotation_counts()
        self.library.read_ids()
        self.call_from_thread(self._annotations_loaded)

    def _annotations_loaded(self) -> None:
        self.annotations_ready = True
        for notice in self.library.notices:
            self.notify(notice, timeout=15, markup=False)
        self._tell_problems([])
        self.refresh_screens()

    def _tell_problems(self, problems: list[str]) -> None:
        """Each problem once: the app's own, then the library's as they are found."""
        for problem in problems + self.library.warnings[self._warned :]:
            self.notify(problem, severity="warning", timeout=10, markup=False)
        self._warned = len(self.library.warnings)

    def _check_taxonomy(self) -> None:
        """A broken taxonomy.yaml is replaced by the bundled one: say so, and where it broke."""
        from reader.core.annotating import taxonomy

        problem = taxonomy().problem
        if problem:
            self.notify(problem, severity="warning", timeout=15, markup=False)

    def _load_themes(self) -> list[str]:
        found = load_themes(config_dir() / "themes")
        for theme in found.themes:
            self.register_theme(theme)
            if theme.name not in self._own_themes:
                self._own_themes.append(theme.name)
        return [f"theme file {p}" for p in found.problems]

    def watch_theme(self, theme: str) -> None:
        if self._settings_ready and self.user_settings.get("theme") != theme:
            self.user_settings["theme"] = theme
            problem = settings.save_theme(self.settings_path, theme)
            if problem:
                self.notify(problem, severity="warning", markup=False)

    def reader_themes(self) -> list[Theme]:
        """The themes the palette offers: ours (``okur-…``) and the user's theme files, not
        Textual's built-in ones (a user theme file is the way to add one)."""
        themes = self.available_themes
        names = [n for n in themes if n.startswith("okur")]
        names += [n for n in self._own_themes if n not in names]
        return [themes[n] for n in sorted(names) if n in themes]

    def search_themes(self) -> None:
        """Textual's "Theme" command (and ``change_theme``), limited to :meth:`reader_themes`."""
        from textual.command import CommandPalette

        from reader.tui.palette import ThemeCommands

        self.push_screen(
            CommandPalette(providers=[ThemeCommands], placeholder="Search for themes…")
        )

    # -- library state ------------------------------------------------------------------
    def check_library(self) -> None:
        """Pick up changes other processes made (within about a second)."""
        try:
            changed = self.library.changed_on_disk()
        except OSError:
            return
        if changed:
            self.refresh_screens()

    def refresh_screens(self) -> None:
        from reader.tui.screens.article import ArticleScreen
        from reader.tui.screens.library import LibraryScreen

        # the stats screen (and its charts: 150 ms to import) only once it has been opened
        stats = sys.modules.get("reader.tui.screens.stats")
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.refresh_rows()
            elif isinstance(screen, ArticleScreen):
                screen.refresh_annotations()
            elif stats is not None and isinstance(screen, stats.StatsScreen):
                screen.recompute()

    def annotation_counts(self) -> dict[str, int]:
        """Passages and notes per article (kept up to date incrementally)."""
        spans = self.library.count_by_article(Span)
        counts = dict(spans)
        for article, n in self.library.count_by_article(Note).items():
            counts[article] = counts.get(article, 0) + n
        return counts

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification quotes input sooner or later (titles, tags, file names, YAML
        values): escape sequences and control characters are taken out first."""
        super().notify(
            strip_controls(message),
            title=strip_controls(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def report_error(self, error: LibraryError | OSError | ValueError) -> None:
        self.notify(str(error), severity="error", timeout=10, markup=False)

    # -- navigation ---------------------------------------------------------------------
    def action_review(self) -> None:
        from reader.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen())

    def action_agreement(self) -> None:
        from reader.tui.screens.agreement import AgreementScreen

        self.push_screen(AgreementScreen())

    def open_article(self, article_id: str, order: list[str], search: str = "") -> None:
        self._show_article(article_id, order, search, replace=False)

    def switch_article(self, article_id: str, order: list[str], search: str = "") -> None:
        """Show another article in place of the one on screen (next/previous)."""
        self._show_article(article_id, order, search, replace=True)

    def _show_article(
        self, article_id: str, order: list[str], search: str, *, replace: bool
    ) -> None:
        from reader.tui.screens.article import ArticleScreen

        try:
            screen = ArticleScreen(article_id, order, search)
        except LibraryError as exc:
            self.report_error(exc)
            return
        if replace:
            self.pop_screen()
        self.push_screen(screen, lambda _: self._back_in_library(article_id))

    def filter_library_by_entity(self, surface: str) -> None:
        from reader.tui.screens.library import LibraryScreen

        if isinstance(self.screen, LibraryScreen):
            self.screen.filter_entity(surface)

    # -- edits --------------------------------------------------------------------------
    def edit(
        self, operation: Callable[[Edits], Change | None], saved: str | None = None
    ) -> Change | None:
        """Run one operation of the edits service: report a failure (the app keeps running),
        confirm a change (``saved``, or the change's own description), refresh what is shown."""
        try:
            change = operation(self.edits)
        except (LibraryError, OSError) as exc:
            self.report_error(exc)
            return None
        if change is not None:
            self.notify(saved or f"Saved: {change.description}", timeout=2, markup=False)
        self.refresh_screens()
        return change

    def action_undo(self) -> None:
        self._undo_redo(self.edits.undo, "Undone", "Nothing to undo")

    def action_redo(self) -> None:
        self._undo_redo(self.edits.redo, "Redone", "Nothing to redo")

    def _undo_redo(self, step: Callable[[], Change | None], verb: str, nothing: str) -> None:
        try:
            change = step()
        except (LibraryError, OSError) as exc:
            self.report_error(exc)  # the step stays where it was: try again later
            return
        if change is None:
            self.notify(nothing, timeout=1.5)
            return
        self.notify(f"{verb}: {change.description}", timeout=2, markup=False)
        self.refresh_screens()

    def _back_in_library(self, article_id: str) -> None:
        from reader.tui.screens.library import LibraryScreen

        if isinstance(self.screen, LibraryScreen):
            self.screen.refresh_rows(keep_id=article_id)

    def action_export(self, gold: bool = False, fmt: str = "yaml") -> None:
        """Ask where, then export everyone's annotations (or the gold layer) in ``fmt``
        (docs/exchange.md; brat is a folder)."""
        from datetime import datetime

        from annotations.exchange import FOLDER_FORMATS
        from reader.core.location import export_dir
        from reader.tui.screens.prompts import TextPrompt

        stem = "gold" if gold else "annotations"
        suffix = {"yaml": ".yaml", "w3c": ".jsonld", "label-studio": ".json", "conll": ".conll"}
        name = f"{stem}-{datetime.now():%Y%m%d-%H%M}"
        if fmt not in FOLDER_FORMATS:
            name += suffix.get(fmt, ".jsonl")
        what = "the gold layer" if gold else "all annotations"
        where = "folder" if fmt in FOLDER_FORMATS else "file"

        def chosen(path: str | None) -> None:
            if path and path.strip():
                self.export_to(path.strip(), gold, fmt)

        self.push_screen(
            TextPrompt(
                f"Export {what} as {fmt}: {where}, made if needed",
                str(export_dir() / name),
            ),
            chosen,
        )

    @work(thread=True, exclusive=True, group="export")
    def export_to(self, path: str, gold: bool = False, fmt: str = "yaml") -> None:
        from pathlib import Path

        from reader.core import exporting

        target = Path(path).expanduser().resolve()
        try:
            exported = exporting.build(self.library, fmt, filters={"gold": gold})
            exporting.write(exported, fmt, target)
        except (LibraryError, OSError) as exc:
            self.call_from_thread(self.report_error, exc)
            return
        what = "articles of the gold layer" if gold else "annotated articles"
        self.call_from_thread(
            self.notify, f"Exported {exported.articles} {what} to {target}", markup=False
        )

    def action_stats(self) -> None:
        from reader.tui.screens.stats import StatsScreen

        if not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen())

    def action_sync(self) -> None:
        """``reader sync`` in a worker, with its steps as notifications (docs/sharing.md)."""
        from annotations.sync import Sync

        try:
            linked = Sync(self.library).remote
        except LibraryError as exc:
            self.report_error(exc)
            return
        if not linked:
            self.notify(
                "This library is not linked to a git repository: run reader sync init REMOTE",
                severity="warning",
                timeout=8,
                markup=False,
            )
            return
        self.sync_now()

    @work(thread=True, exclusive=True, group="sync")
    def sync_now(self) -> None:
        from annotations.sync import Sync, SyncError

        def progress(step: str) -> None:
            self.call_from_thread(self.notify, f"Sync: {step}…", timeout=2, markup=False)

        try:
            report = Sync(self.library, terminal=False).run(progress)
        except (LibraryError, OSError) as exc:
            came = exc.report if isinstance(exc, SyncError) else None
            if came is not None:  # what came in before it failed is in the library
                text = "\n".join(came.received(self.library.annotator))
                self.call_from_thread(self.notify, text, timeout=10, markup=False)
                self.call_from_thread(self.refresh_screens)
            self.call_from_thread(self.report_error, exc)
            return
        lines = report.lines(self.library.annotator)
        severity: SeverityLevel = "information" if report.complete else "warning"
        self.call_from_thread(
            self.notify, "\n".join(lines), severity=severity, timeout=10, markup=False
        )
        self.call_from_thread(self.refresh_screens)

    def action_show_recogniser(self) -> None:
        from reader.entities import models

        recogniser = models.current()
        where = f" ({recogniser.path})" if recogniser.path is not None else ""
        problem = models.problem() or (
            "It learnt from other rules than these: train it again" if recogniser.stale() else None
        )
        self.notify(
            f"Entities: {recogniser.describe()}{where}" + (f". {problem}" if problem else ""),
            markup=False,
        )

    def action_train_entities(self) -> None:
        """Train an entity model on the library's corrections (in a worker)."""
        if self._training:
            self.notify("Already training the entity model", markup=False)
            return
        self._training = True
        self.notify("Training the entity model on the library's corrections…", markup=False)
        self.train_entities()

    @work(thread=True, exclusive=True, group="train")
    def train_entities(self) -> None:
        from reader.entities import crf, models
        from reader.entities.corpus import Summary
        from reader.entities.learning import library_documents

        told = [0]

        def progress(stage: str, done: int, total: int) -> None:
            quarter = done * 4 // max(total, 1)
            if stage == "training" and quarter > told[0]:
                told[0] = quarter
                self.call_from_thread(
                    self.notify, f"Training: iteration {done} of at most {total}", timeout=3
                )

        output = models.default_model_path()
        try:
            docs = library_documents(self.library, Summary())
            if not docs:
                raise crf.ModelError(
                    "nothing to learn from: correct entities in an article, or mark it done"
                )
            report = crf.train(docs, output, corpora=["library"], progress=progress)
        except (crf.ModelError, LibraryError, OSError) as exc:
            self.call_from_thread(self.report_error, exc)
        else:
            self.call_from_thread(
                self.notify,
                f"Entity model trained on {len(docs)} articles ({report.seconds:.0f} s): "
                f"the app uses it from now on ({output})",
                markup=False,
            )
            self.call_from_thread(self.refresh_screens)
        finally:
            self._training = False

    def action_help(self) -> None:
        from reader.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))
