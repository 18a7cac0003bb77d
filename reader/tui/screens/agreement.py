"""The agreement screen: κ, α and F1 per tag and label, coloured by the theme's good / fair /
poor colours (reader/core/agreement_tables.py builds the tables, as for the command line)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.color import Color, ColorParseError
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from annotations.agreement import AgreementReport, measure
from reader.core.agreement_tables import Styles, agreement_tables
from reader.tui.widgets.footer import FittedFooter

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp


class AgreementScreen(Screen[None]):
    if TYPE_CHECKING:

        @property
        def app(self) -> ReaderApp: ...  # type: ignore[override]

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="agreement.back"),
        Binding("r", "reload", "Recompute", id="agreement.reload"),
        Binding("question_mark", "app.help", "Help", show=False, id="agreement.help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.body = Static(Text("Measuring agreement…"), id="agreement-body")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="agreement-scroll"):
            yield self.body
        yield FittedFooter()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.measure_in_worker()

    @work(thread=True, exclusive=True, group="agreement")
    def measure_in_worker(self) -> None:
        report = measure(self.app.library)
        self.app.call_from_thread(self._show, report)

    def _show(self, report: AgreementReport) -> None:
        if report.problem:
            self.body.update(Text(report.problem))
            return
        self.body.update(agreement_tables(report, theme_styles(self.app)))


def theme_styles(app: App[Any]) -> Styles:
    """Good, fair, poor and dim as the theme colours them, named as Rich names them (a theme
    may say ``ansi_red``)."""
    colours = app.get_css_variables()

    def style(name: str, fallback: str) -> str:
        try:
            return str(Style(color=Color.parse(colours[name]).rich_color))
        except (KeyError, ColorParseError):
            return fallback

    return Styles(
        good=style("success", "green"),
        fair=style("warning", "yellow"),
        poor=style("error", "red"),
        dim=style("foreground-muted", "dim"),
    )
