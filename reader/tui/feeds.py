"""The app's "Fetch feeds": reader/core/fetching.py in a worker thread, a progress bar at the
bottom of the screen, a notification with the summary; ``fetch_every_minutes`` in the
settings repeats it while the app runs (docs/feeds.md). New articles reach every running
app's list through the library's live refresh, unread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp


class FetchProgress(Horizontal):
    DEFAULT_CSS = """
    FetchProgress {
        dock: bottom;
        height: 1;
        background: $panel;
        layer: overlay;
    }
    FetchProgress Label { width: auto; padding: 0 1; }
    FetchProgress ProgressBar { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Label("Fetching feeds")
        yield ProgressBar(total=None, show_eta=False)

    def advance(self, done: int, total: int) -> None:
        self.query_one(Label).update(f"Fetching feeds {done}/{total}")
        self.query_one(ProgressBar).update(total=total, progress=done)


def every_minutes(settings: dict[str, Any]) -> tuple[float | None, str | None]:
    """``fetch_every_minutes`` from the settings: (minutes or None when off, a problem)."""
    value = settings.get("fetch_every_minutes")
    if value in (None, "", "off", False, 0, "0"):
        return None, None
    try:
        minutes = float(value)
    except (TypeError, ValueError):
        minutes = -1.0
    if not 1 <= minutes <= 7 * 24 * 60:
        problem = f"settings: fetch_every_minutes must be 1 to 10080 minutes, not {value!r}: off"
        return None, problem
    return minutes, None


def start_fetch(app: ReaderApp, quiet: bool = False) -> None:
    """Fetch every feed in a worker; ``quiet`` (the schedule) says nothing when nothing came."""
    if app._fetching:
        if not quiet:
            app.notify("Feeds are being fetched already", timeout=3)
        return
    from reader.core.fetching import list_feeds

    if not list_feeds(app.library):
        if not quiet:
            app.notify("No feeds yet: add one with `reader feeds add URL`", timeout=6, markup=False)
        return
    app._fetching = True
    bar = FetchProgress()
    app.screen.mount(bar)

    def progress(done: int, total: int) -> None:
        app.call_from_thread(bar.advance, done, total)

    def run() -> None:
        from annotations.errors import LibraryError
        from reader.core.fetching import fetch_feeds

        try:
            report = fetch_feeds(app.library, progress=progress)
        except LibraryError as exc:
            app.call_from_thread(finish, None, str(exc))
            return
        app.call_from_thread(finish, report, None)

    def finish(report: Any, error: str | None) -> None:
        app._fetching = False
        bar.remove()
        if error is not None:
            app.notify(error, severity="error", timeout=10, markup=False)
            return
        app.refresh_screens()
        if quiet and not (report.new or report.updated or report.failed):
            return
        came = "1 new article" if report.new == 1 else f"{report.new} new articles"
        app.notify(f"Fetched feeds: {came} ({report.summary()})", timeout=8, markup=False)
        if report.failed:
            lines = [f"{url}: {why}" for url, why in report.failed[:5]]
            more = len(report.failed) - len(lines)
            if more > 0:
                lines.append(f"... and {more} more (reader fetch tells them all)")
            app.notify("\n".join(lines), severity="warning", timeout=12, markup=False)

    app.run_worker(run, thread=True, group="fetch", name="fetch feeds")
