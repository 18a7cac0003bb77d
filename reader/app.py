"""The Textual app (minimal for now: the library list)."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, OptionList
from textual.widgets.option_list import Option

from annotations.library import Library


class ReaderApp(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, library: Library, theme: str | None = None) -> None:
        super().__init__()
        self.library = library

    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList(*(Option(Text(a["title"]), id=a["id"]) for a in self.library.articles()))
        yield Footer()
