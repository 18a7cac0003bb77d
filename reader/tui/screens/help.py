"""The help screen: every binding of the screen below, grouped, and a short guide."""

from __future__ import annotations

from importlib import resources
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from reader.tui.keys import fill_keys, keys_in_force, remapped


def binding_rows(screen: Screen[Any]) -> list[tuple[str, str, str]]:
    """(binding id, keys, description) for the focused widget, its screen and the app: the keys
    in force (settings.yaml may remap them by id)."""
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    nodes: list[DOMNode] = []
    node: DOMNode | None = screen.focused
    while node is not None and node is not screen:
        nodes.append(node)
        node = node.parent
    nodes += [screen, screen.app]
    app = screen.app
    for node in nodes:
        bindings = [b for b in node.BINDINGS if isinstance(b, Binding)]
        # a key a remapped binding took is no longer the key of the binding that had it
        taken = {key for b in bindings if remapped(app, b) for key in keys_in_force(app, b)}
        for binding in bindings:
            if not binding.description:
                continue
            in_force = keys_in_force(app, binding)
            if not remapped(app, binding):
                in_force = [k for k in in_force if k not in taken]
            if not in_force:
                continue
            keys = ", ".join(app.get_key_display(Binding(k, "")) for k in in_force)
            if binding.description + keys in seen:
                continue
            seen.add(binding.description + keys)
            rows.append((binding.id or "", keys, binding.description))
    return rows


def every_binding(app: Any) -> dict[str, Binding]:
    """Every binding of the app's screens and widgets, by id (the guide names them)."""
    from reader.tui.screens.article import ArticleScreen
    from reader.tui.screens.library import LibraryScreen
    from reader.tui.screens.review import ReviewScreen
    from reader.tui.screens.stats import StatsScreen
    from reader.tui.widgets.annotation_panel import AnnotationPanel
    from reader.tui.widgets.article_list import ArticleList
    from reader.tui.widgets.article_view import ArticleView

    owners = (app, LibraryScreen, ArticleScreen, ReviewScreen, StatsScreen)
    found: dict[str, Binding] = {}
    for owner in (*owners, ArticleView, ArticleList, AnnotationPanel):
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                found.setdefault(binding.id, binding)
    return found


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
        Binding("space,pagedown", "page(1)", "Page down", show=False),
        Binding("b,pageup", "page(-1)", "Page up", show=False),
        Binding("g,home", "top", "Top", show=False),
        Binding("G,end", "bottom", "Bottom", show=False),
    ]

    def __init__(self, below: Screen[Any]) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        text = Text()
        guide = (resources.files("reader.tui") / "help.md").read_text(encoding="utf-8")
        text.append(fill_keys(self.app, guide, every_binding(self.app)))
        text.append(
            "\nEvery key of this screen (remap them by id in settings.yaml)\n\n", style="bold"
        )
        width = max((len(k) for _, k, _ in binding_rows(self.below)), default=8)
        for binding_id, keys, description in binding_rows(self.below):
            text.append(f"  {keys.ljust(width)}  ", style="bold")
            text.append(description)
            text.append(f"  {binding_id}\n" if binding_id else "\n", style="dim")
        with VerticalScroll(id="help"):
            yield Static(text)

    def action_scroll(self, delta: int) -> None:
        self.query_one("#help", VerticalScroll).scroll_relative(y=delta, animate=False)

    def action_page(self, direction: int) -> None:
        box = self.query_one("#help", VerticalScroll)
        box.scroll_relative(y=direction * max(1, box.size.height - 1), animate=False)

    def action_top(self) -> None:
        self.query_one("#help", VerticalScroll).scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.query_one("#help", VerticalScroll).scroll_end(animate=False)
